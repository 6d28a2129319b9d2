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

import io.github.camelfireflies.api.TranscriptionEvent;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads the flat {@code transcription.broadcast} argument straight from a JSON parser into a {@link TranscriptionEvent},
 * with no tree: the fast path for the frames that make up almost all of a meeting. It accepts only what
 * {@link TranscriptionEventMapper} maps to the same event without a second thought (a flat object with a string
 * {@code chunk_id} and {@code text}, string or null names, JSON numbers or null times) and declines everything else by
 * returning null: the wrapped shapes, numeric strings, bad values. A declined argument is mapped by
 * {@link TranscriptionEventMapper}, which also words the errors, so both paths give the same result for any input.
 */
public final class TranscriptionEventReader {

    private TranscriptionEventReader() {
    }

    /**
     * @param  parser               positioned on the argument's first token; left on its last token
     * @param  fallbackTranscriptId the subscribed transcript id, used when the event does not carry one
     * @return                      the event, or null when the mapper must decide
     */
    public static TranscriptionEvent read(JsonParser parser, String fallbackTranscriptId) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String transcriptId = null;
        String chunkId = null;
        String text = null;
        String speaker = null;
        Double start = null;
        Double end = null;
        boolean usable = true;
        JsonToken t;
        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken v = parser.nextToken();
            switch (field) {
                case "transcript_id" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        transcriptId = parser.getText();
                    } else if (v == JsonToken.VALUE_NULL) {
                        transcriptId = null;
                    } else {
                        usable = false;
                    }
                }
                case "chunk_id" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        chunkId = parser.getText();
                    } else {
                        usable = false;
                    }
                }
                case "text" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        text = parser.getText();
                    } else {
                        usable = false;
                    }
                }
                case "speaker_name" -> {
                    if (v == JsonToken.VALUE_STRING) {
                        speaker = parser.getText();
                    } else if (v == JsonToken.VALUE_NULL) {
                        speaker = null;
                    } else {
                        usable = false;
                    }
                }
                case "start_time" -> {
                    start = number(parser, v);
                    usable &= start != null || v == JsonToken.VALUE_NULL;
                }
                case "end_time" -> {
                    end = number(parser, v);
                    usable &= end != null || v == JsonToken.VALUE_NULL;
                }
                default -> parser.skipChildren(); // unknown fields are ignored, as by the mapper
            }
            if (!usable) {
                parser.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT || !usable || chunkId == null || text == null) {
            return null; // a wrapped shape, a missing field or a bad value: the mapper decides and words the error
        }
        return new TranscriptionEvent(transcriptId != null ? transcriptId : fallbackTranscriptId, chunkId, text, speaker,
                start, end);
    }

    private static Double number(JsonParser parser, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            return null;
        }
        double d = parser.getDoubleValue();
        return Double.isInfinite(d) ? null : d;
    }
}
