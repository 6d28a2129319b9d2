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
package io.github.camelfireflies.internal.backfill;

import io.github.camelfireflies.api.LiveTranscript;

/**
 * The items a {@link Backfiller} takes from its stream's lane: the stream offers {@link Connected} and
 * {@link #GAP_OPENED}, the backfill offers the others to itself (a fetch's answer, a wait that is over), so that each
 * is handled in order with the live events.
 */
public final class BackfillMarkers {

    /** The connection is made: offered on the I/O thread before the connection's first event. */
    public record Connected(boolean reconnected, long gapMillis) {
    }

    /** The connection is gone (lost, suspended, ended by the server). */
    public static final Object GAP_OPENED = new Object() {
        @Override
        public String toString() {
            return "GAP_OPENED";
        }
    };

    /** A fetch answered. */
    record Fetched(long generation, LiveTranscript transcript, Throwable error) {
    }

    /** A rate limit's wait is over. */
    record Retry(long generation) {
    }

    /** The hold's time is over. */
    record HoldExpired(long generation) {
    }

    /** Whether an item is one of the backfill's markers. */
    public static boolean isMarker(Object item) {
        return item == GAP_OPENED || item instanceof Connected || item instanceof Fetched || item instanceof Retry
               || item instanceof HoldExpired;
    }

    private BackfillMarkers() {
    }
}
