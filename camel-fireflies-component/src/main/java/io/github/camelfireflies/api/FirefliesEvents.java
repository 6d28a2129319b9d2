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

/** The Socket.IO event names of the Fireflies Realtime API. */
public final class FirefliesEvents {

    public static final String AUTH_SUCCESS = "auth.success";
    public static final String AUTH_FAILED = "auth.failed";
    public static final String CONNECTION_ESTABLISHED = "connection.established";
    public static final String CONNECTION_ERROR = "connection.error";
    public static final String TRANSCRIPTION = "transcription.broadcast";
    /** Not on the wire: discovery's own event when it starts following a meeting. */
    public static final String MEETING_STARTED = "meeting.started";
    /** Not on the wire: discovery's own event when a followed meeting leaves the list of meetings in progress. */
    public static final String MEETING_ENDED = "meeting.ended";

    private FirefliesEvents() {
    }
}
