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
 * One sentence of a transcript as the GraphQL API returns it ({@code transcript(id) { sentences { ... } }}). During a
 * live meeting (API 2.23.0 and later) the sentences are the real-time captions heard so far: one per segment, at its
 * latest text. A sentence carries no {@code chunk_id}; see {@link ChunkTracker} for how it is matched to the segments
 * received on the socket.
 *
 * @param index       its position in the transcript, or null
 * @param text        its text (never null; empty when the API gave none)
 * @param rawText     the unprocessed text, or null
 * @param speakerName who spoke, or null when the API did not say
 * @param speakerId   the API's number for the speaker, or null
 * @param startTime   seconds from the start of the meeting, or null
 * @param endTime     seconds from the start of the meeting, or null
 */
public record TranscriptSentence(
        Integer index,
        String text,
        String rawText,
        String speakerName,
        Integer speakerId,
        Double startTime,
        Double endTime) {

    public TranscriptSentence {
        text = text == null ? "" : text;
    }
}
