/*
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.github.camelfireflies.api;

/**
 * What a full hand-off queue of a meeting does with the next event (option {@code overflowPolicy}).
 */
public enum OverflowPolicy {
    /**
     * Drop nothing: the WebSocket reader waits for room, bounded by half the server's {@code pingTimeout}, so a slow
     * route slows the connection and the server; control items are admitted over the capacity.
     */
    BLOCK,
    /** Drop the oldest waiting event to make room (the stream stays current); every drop is counted. */
    DROP_OLDEST,
    /** Drop the new event (what waits is kept); every drop is counted. */
    DROP_NEWEST
}
