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

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One {@code transcription.broadcast} event: a chunk of live transcript. The same {@code chunkId} arrives again each
 * time the segment is revised. Immutable; serialized with the documented snake_case names.
 *
 * @param transcriptId the meeting's transcript id
 * @param chunkId      the segment's id, the same for every revision of it
 * @param text         the segment's text (as revised so far)
 * @param speakerName  who speaks, or null when the server did not say
 * @param startTime    seconds from the start of the meeting, or null
 * @param endTime      seconds from the start of the meeting, or null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({ "transcript_id", "chunk_id", "text", "speaker_name", "start_time", "end_time" })
public record TranscriptionEvent(
        @JsonProperty("transcript_id") String transcriptId,
        @JsonProperty("chunk_id") String chunkId,
        @JsonProperty("text") String text,
        @JsonProperty("speaker_name") String speakerName,
        @JsonProperty("start_time") Double startTime,
        @JsonProperty("end_time") Double endTime) {

    public TranscriptionEvent {
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(text, "text");
    }

    /** JSON with the documented field names (written by hand, the same text as Jackson writes for this record). */
    public String toJson() {
        return EventJson.write(this);
    }
}
