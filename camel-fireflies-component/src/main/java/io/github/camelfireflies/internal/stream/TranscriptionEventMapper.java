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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns the argument of a {@code transcription.broadcast} event into a {@link TranscriptionEvent}. Accepts the three
 * shapes met in the wild, unwrapped here and nowhere else: the documented flat object, {@code {"payload":{...}}} and
 * {@code {"data":{...}}}. Unknown fields are ignored; numbers may come as JSON numbers or numeric strings.
 */
public final class TranscriptionEventMapper {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TranscriptionEventMapper() {
    }

    /**
     * @param  arg                   the event's first argument
     * @param  fallbackTranscriptId  the subscribed transcript id, used when the event does not carry one
     * @throws InvalidEventException when it is no transcription event, with the reason
     */
    public static TranscriptionEvent map(JsonNode arg, String fallbackTranscriptId) throws InvalidEventException {
        JsonNode o = unwrap(arg);
        String chunkId = requiredText(o, "chunk_id");
        JsonNode textNode = o.get("text");
        if (textNode == null || textNode.isNull()) {
            throw new InvalidEventException("Transcription event " + chunkId + " has no text");
        }
        if (!textNode.isTextual()) {
            throw new InvalidEventException("Transcription event " + chunkId + " has a text that is not a string: "
                                            + textNode.getNodeType());
        }
        String transcriptId = optionalText(o, "transcript_id");
        return new TranscriptionEvent(
                transcriptId != null ? transcriptId : fallbackTranscriptId,
                chunkId,
                textNode.textValue(),
                optionalText(o, "speaker_name"),
                number(o, "start_time", chunkId),
                number(o, "end_time", chunkId));
    }

    /** The event object inside whichever of the three shapes the argument has. */
    static JsonNode unwrap(JsonNode arg) throws InvalidEventException {
        if (arg == null || arg.isNull() || arg.isMissingNode()) {
            throw new InvalidEventException("Transcription event without a payload");
        }
        if (!arg.isObject()) {
            throw new InvalidEventException("Transcription event payload is not a JSON object but " + arg.getNodeType());
        }
        if (!arg.has("chunk_id")) {
            JsonNode inner = arg.get("payload");
            if (inner == null || !inner.isObject()) {
                inner = arg.get("data");
            }
            if (inner != null && inner.isObject()) {
                return inner;
            }
        }
        return arg;
    }

    private static String requiredText(JsonNode o, String field) throws InvalidEventException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw new InvalidEventException("Transcription event without " + field + " (fields: " + fieldNames(o) + ")");
        }
        if (n.isTextual() || n.isNumber()) {
            return n.asText();
        }
        throw new InvalidEventException("Transcription event " + field + " is not a string but " + n.getNodeType());
    }

    private static String optionalText(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    private static Double number(JsonNode o, String field, String chunkId) throws InvalidEventException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            double d = n.doubleValue();
            if (!Double.isInfinite(d)) { // 1e400 overflows to infinity: as unusable as the string "Infinity"
                return d;
            }
        } else if (n.isTextual()) {
            String s = n.textValue().trim();
            try {
                double d = Double.parseDouble(s);
                if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new InvalidEventException("Transcription event " + chunkId + " has a " + field + " that is not a number: "
                                        + abbreviate(n.toString()));
    }

    private static String fieldNames(JsonNode o) {
        StringBuilder sb = new StringBuilder();
        o.fieldNames().forEachRemaining(f -> sb.append(sb.length() == 0 ? "" : ",").append(f));
        return abbreviate(sb.toString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** JSON with the documented snake_case names. */
    public static String toJson(TranscriptionEvent event) {
        return event.toJson();
    }

    /** Reads the JSON written by {@link #toJson}. */
    public static TranscriptionEvent fromJson(String json) throws InvalidEventException {
        try {
            return map(MAPPER.readTree(json), null);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("Not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
