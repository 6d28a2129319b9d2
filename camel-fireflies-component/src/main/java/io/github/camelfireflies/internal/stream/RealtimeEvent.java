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

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelfireflies.api.TranscriptionEvent;

/**
 * One event of a live meeting, ready to become an exchange.
 *
 * @param name          the Socket.IO event name
 * @param transcriptId  the subscribed transcript id
 * @param transcription the typed event for {@code transcription.broadcast}, else null
 * @param argument      for other events, their first argument as parsed JSON, or null when there is none
 * @param reconnected   true on the first event delivered after a reconnect: events may have been missed
 * @param gapMillis     with {@code reconnected}, how long the connection was down
 * @param receivedNanos {@link System#nanoTime()} when the frame that brought it was received (for an event emitted
 *                      later, e.g. a segment made final by its quiet time, when it was emitted), to tell its age
 */
public record RealtimeEvent(
        String name,
        String transcriptId,
        TranscriptionEvent transcription,
        JsonNode argument,
        boolean reconnected,
        long gapMillis,
        long receivedNanos) {

    /** An event received now. */
    public RealtimeEvent(String name, String transcriptId, TranscriptionEvent transcription, JsonNode argument,
                         boolean reconnected, long gapMillis) {
        this(name, transcriptId, transcription, argument, reconnected, gapMillis, System.nanoTime());
    }

    public boolean isTranscription() {
        return transcription != null;
    }
}
