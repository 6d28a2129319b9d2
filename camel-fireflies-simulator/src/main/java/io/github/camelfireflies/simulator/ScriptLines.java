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
package io.github.camelfireflies.simulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** Parses the JSON-lines form of a {@link MeetingScript} (the format is described there). */
final class ScriptLines {

    private static final Set<String> FIELDS = Set.of("at_ms", "event", "data", "shape", "action", "raw");

    private ScriptLines() {
    }

    /**
     * Parses JSON-lines text.
     *
     * @param  text                     the script
     * @param  sourceName               used in error messages
     * @throws IllegalArgumentException on the first invalid line, naming it
     */
    static List<MeetingScript.Step> parse(String text, String sourceName) {
        List<MeetingScript.Step> steps = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        long previous = 0;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("//")) {
                continue;
            }
            String where = sourceName + ":" + (n + 1);
            MeetingScript.Step step = parseLine(line, where);
            if (step.atMs() < previous) {
                throw new IllegalArgumentException(where + ": at_ms " + step.atMs() + " is before the previous line's "
                                                   + previous + " (at_ms is absolute, lines must be in time order)");
            }
            previous = step.atMs();
            steps.add(step);
        }
        return steps;
    }

    private static MeetingScript.Step parseLine(String line, String where) {
        JsonNode json;
        try {
            json = SimJson.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(where + ": each line must be a JSON object");
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException(where + ": unknown field '" + f + "' (expected " + FIELDS
                                                   + "; timing is the absolute at_ms)");
            }
        }
        JsonNode at = json.get("at_ms");
        if (at == null || !at.canConvertToLong() || !at.isIntegralNumber() || at.asLong() < 0) {
            throw new IllegalArgumentException(where + ": at_ms must be a non-negative integer");
        }
        long atMs = at.asLong();
        int kinds = (json.has("event") ? 1 : 0) + (json.has("action") ? 1 : 0) + (json.has("raw") ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException(where + ": a line needs exactly one of event, action or raw");
        }
        if (json.has("event")) {
            JsonNode event = json.get("event");
            if (!event.isTextual() || event.asText().isEmpty()) {
                throw new IllegalArgumentException(where + ": event must be a non-empty string");
            }
            Shape shape = Shape.FLAT;
            JsonNode s = json.get("shape");
            if (s != null) {
                if (!s.isTextual()) {
                    throw new IllegalArgumentException(where + ": shape must be flat, payload or data");
                }
                try {
                    shape = Shape.of(s.asText());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
            return new MeetingScript.EventStep(atMs, event.asText(), json.get("data"), shape);
        }
        if (json.has("data") || json.has("shape")) {
            throw new IllegalArgumentException(where + ": data and shape only go with event");
        }
        if (json.has("raw")) {
            JsonNode raw = json.get("raw");
            if (!raw.isTextual()) {
                throw new IllegalArgumentException(where + ": raw must be a string (the text frame)");
            }
            return new MeetingScript.RawStep(atMs, raw.asText());
        }
        JsonNode action = json.get("action");
        if (action.isTextual() && "end".equals(action.asText())) {
            return new MeetingScript.EndStep(atMs);
        }
        throw new IllegalArgumentException(where + ": unknown action " + action + " (supported: \"end\")");
    }
}
