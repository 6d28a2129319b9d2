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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelfireflies.internal.socketio.PacketCodec;

/**
 * A scripted meeting, read from a JSON-lines file: one JSON object per line, played by the simulator to the
 * subscribers of a transcript id. Immutable and thread-safe once parsed.
 * <p>
 * Line format (timing is <b>absolute</b>: {@code at_ms} is the offset in milliseconds from the meeting start, which is
 * the moment its first subscriber connected; lines must be in non-decreasing {@code at_ms} order):
 * <pre>
 * {"at_ms":1200,"event":"transcription.broadcast","data":{"chunk_id":"c1","speaker_name":"Alice","text":"Hello"}}
 * {"at_ms":1300,"event":"transcription.broadcast","shape":"payload","data":{...}}   // {"payload":{...}}
 * {"at_ms":1400,"event":"some.event"}                                                // 42["some.event"]
 * {"at_ms":1500,"raw":"42[\"x\""}                                                    // a raw text frame, sent as is
 * {"at_ms":60000,"action":"end"}                                                     // 41 to every subscriber
 * </pre>
 * <ul>
 * <li>{@code event} lines: {@code data} (optional) is the event's single argument, wrapped according to {@code shape}
 * ({@code flat} by default, or {@code payload} / {@code data}). When {@code data} is an object without
 * {@code transcript_id}, the simulator fills it in with the meeting's transcript id.</li>
 * <li>{@code action} lines: only {@code "end"}, a server DISCONNECT ({@code 41}) to every subscriber: the meeting is
 * over.</li>
 * <li>{@code raw} lines: a text frame sent verbatim (it may be malformed on purpose).</li>
 * <li>Blank lines and lines starting with {@code #} or {@code //} are ignored. Unknown fields are an error (so that a
 * misspelt field, or a relative {@code delay_ms}, is caught at load time).</li>
 * </ul>
 */
public final class MeetingScript {

    /** The classpath resource of the bundled demo meeting. */
    public static final String DEMO_RESOURCE = "meetings/demo.jsonl";

    private static final ObjectMapper MAPPER = PacketCodec.mapper();
    private static final Set<String> FIELDS = Set.of("at_ms", "event", "data", "shape", "action", "raw");

    /** One line of a script. */
    public sealed interface Step {
        /** Offset from the meeting start, in milliseconds. */
        long atMs();
    }

    /** Sends {@code 42["event", shape(data)]}, or {@code 42["event"]} when {@code data} is {@code null}. */
    public record EventStep(long atMs, String event, JsonNode data, Shape shape) implements Step {
        public EventStep {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(shape, "shape");
        }
    }

    /** Sends a raw text frame. */
    public record RawStep(long atMs, String frame) implements Step {
        public RawStep {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** Ends the meeting: a server DISCONNECT ({@code 41}) to every subscriber. */
    public record EndStep(long atMs) implements Step {
    }

    private final String source;
    private final List<Step> steps;

    private MeetingScript(String source, List<Step> steps) {
        this.source = source;
        this.steps = List.copyOf(steps);
    }

    /** Where the script came from (file, URL or a name given to {@link #parse(String, String)}). */
    public String source() {
        return source;
    }

    /** The steps, in playing order. */
    public List<Step> steps() {
        return steps;
    }

    /** The offset of the last step, in milliseconds (0 for an empty script). */
    public long durationMs() {
        return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).atMs();
    }

    /** Reads a script file (UTF-8). */
    public static MeetingScript load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read meeting script " + file, e);
        }
    }

    /** Reads a script from a URL (e.g. a classpath resource), UTF-8. */
    public static MeetingScript load(URL url) {
        Objects.requireNonNull(url, "url");
        try (InputStream in = url.openStream()) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), url.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read meeting script " + url, e);
        }
    }

    /** The bundled demo meeting ({@value #DEMO_RESOURCE}). */
    public static MeetingScript demo() {
        URL url = MeetingScript.class.getClassLoader().getResource(DEMO_RESOURCE);
        if (url == null) {
            throw new IllegalStateException("Missing classpath resource " + DEMO_RESOURCE);
        }
        return load(url);
    }

    /**
     * Parses JSON-lines text.
     *
     * @param  text                     the script
     * @param  sourceName               used in error messages
     * @throws IllegalArgumentException on the first invalid line, naming it
     */
    public static MeetingScript parse(String text, String sourceName) {
        List<Step> steps = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        long previous = 0;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("//")) {
                continue;
            }
            String where = sourceName + ":" + (n + 1);
            Step step = parseLine(line, where);
            if (step.atMs() < previous) {
                throw new IllegalArgumentException(where + ": at_ms " + step.atMs() + " is before the previous line's "
                                                   + previous + " (at_ms is absolute, lines must be in time order)");
            }
            previous = step.atMs();
            steps.add(step);
        }
        return new MeetingScript(sourceName, steps);
    }

    private static Step parseLine(String line, String where) {
        JsonNode json;
        try {
            json = MAPPER.readTree(line);
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
            return new EventStep(atMs, event.asText(), json.get("data"), shape);
        }
        if (json.has("data") || json.has("shape")) {
            throw new IllegalArgumentException(where + ": data and shape only go with event");
        }
        if (json.has("raw")) {
            JsonNode raw = json.get("raw");
            if (!raw.isTextual()) {
                throw new IllegalArgumentException(where + ": raw must be a string (the text frame)");
            }
            return new RawStep(atMs, raw.asText());
        }
        JsonNode action = json.get("action");
        if (action.isTextual() && "end".equals(action.asText())) {
            return new EndStep(atMs);
        }
        throw new IllegalArgumentException(where + ": unknown action " + action + " (supported: \"end\")");
    }

    @Override
    public String toString() {
        return "MeetingScript[" + source + ", " + steps.size() + " steps, " + durationMs() + " ms]";
    }
}
