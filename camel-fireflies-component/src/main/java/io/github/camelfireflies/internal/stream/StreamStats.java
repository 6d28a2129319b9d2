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
package io.github.camelfireflies.internal.stream;

import io.github.camelfireflies.api.FirefliesException;
import io.github.camelfireflies.internal.socketio.SocketIoSession;

/**
 * A snapshot of one {@link TranscriptStream}'s counters: what health checks, JMX and consoles show. Never holds the
 * API key.
 *
 * @param transcriptId    the meeting
 * @param url             the WebSocket URL it connects to (no secret in it)
 * @param state           where the connection is
 * @param eventsReceived  Socket.IO events received from the server
 * @param delivered       events handed to the sink (exchanges routed)
 * @param dropped         events dropped because the queue was full
 * @param queued          events waiting for the sink
 * @param openChunks      segments not yet emitted final ({@code emit=final})
 * @param reconnects      successful reconnects
 * @param failedAttempts  failed connect attempts in a row
 * @param lastError       the failure that stopped the stream, else the last connection error, or null
 * @param lastEventMillis wall-clock time of the last event received, or 0
 * @param fatal           the failure that stopped the stream for good, or null
 * @param backfillCalls   GraphQL calls the backfill made (whatever their outcome)
 * @param backfilled      transcription events emitted with a text from the backfill
 * @param backfillPending items waiting behind a backfill, plus one for a fetch in flight
 * @param stalls          times the route kept the reader waiting past the stall limit (the connection was let go)
 */
public record StreamStats(
        String transcriptId,
        String url,
        SocketIoSession.State state,
        long eventsReceived,
        long delivered,
        long dropped,
        int queued,
        int openChunks,
        long reconnects,
        int failedAttempts,
        String lastError,
        long lastEventMillis,
        FirefliesException fatal,
        long backfillCalls,
        long backfilled,
        int backfillPending,
        long stalls) {

    /** Whether the stream stopped for good (a refused key, attempts exhausted, the server ended the session). */
    public boolean isFinal() {
        return state == SocketIoSession.State.FAILED || state == SocketIoSession.State.ENDED;
    }
}
