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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * A scripted meeting, played by the simulator to the subscribers of a transcript id: read from a JSON-lines file (one
 * JSON object per line, below), or built in code from {@link Segment}s with {@link Revision}s ({@link #of(Segment...)})
 * or a {@link Generator} ({@link #generated(int, Duration, int)}), then {@code with...}. Immutable and thread-safe.
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
    private final String title;
    private final String organizerEmail;
    private final List<Segment> segments;
    private final Generator generator;
    private final boolean endWhenDone;
    private final Shape shape;

    private MeetingScript(String source, List<Step> steps) {
        this(source, steps, null, null, null, null, false, Shape.FLAT);
    }

    private MeetingScript(String source, List<Step> steps, String title, String organizerEmail, List<Segment> segments,
                          Generator generator, boolean endWhenDone, Shape shape) {
        this.source = source;
        this.steps = List.copyOf(steps);
        this.title = title;
        this.organizerEmail = organizerEmail;
        this.segments = segments == null ? null : List.copyOf(segments);
        this.generator = generator;
        this.endWhenDone = endWhenDone;
        this.shape = Objects.requireNonNull(shape, "shape");
    }

    // ------------------------------------------------------------------------------------------------ built in code

    /** A meeting that says these segments (each sent at its start time unless {@link Segment#at} says otherwise). */
    public static MeetingScript of(Segment... segments) {
        return of(List.of(segments));
    }

    /** A meeting that says these segments. */
    public static MeetingScript of(List<Segment> segments) {
        return segmented("segments", segments, null, null, null, false, Shape.FLAT);
    }

    /**
     * {@code count} segments, one every {@code every}, each followed by {@code revisions} revisions spread evenly until
     * the next segment. Segment {@code i} has chunk id {@link #generatedChunkId(int)}, speaker
     * {@link #generatedSpeaker(int)}, start time {@code i * every} (seconds), and its revision {@code r} (0 is the
     * first event) has the text {@link #generatedText(int, int)} and an end time that grows by
     * {@code every / (revisions + 1)} each time.
     */
    public static MeetingScript generated(int count, Duration every, int revisions) {
        return segmented("generated", null, new Generator(count, every, revisions), null, null, false, Shape.FLAT);
    }

    /** The chunk id of generated segment {@code i}. */
    public static String generatedChunkId(int segment) {
        return "m" + segment;
    }

    /** The text of revision {@code r} (0: the first event) of generated segment {@code i}. */
    public static String generatedText(int segment, int revision) {
        return "segment " + segment + " revision " + revision;
    }

    /** The speaker of generated segment {@code i}: Alice for even {@code i}, Bob for odd. */
    public static String generatedSpeaker(int segment) {
        return segment % 2 == 0 ? "Alice" : "Bob";
    }

    private static MeetingScript segmented(String source, List<Segment> segments, Generator generator, String title,
            String organizerEmail, boolean endWhenDone, Shape shape) {
        if ((segments == null) == (generator == null)) {
            throw new IllegalArgumentException("A meeting script has either segments or a generator");
        }
        return new MeetingScript(source, ScriptSegments.steps(segments, generator, endWhenDone, shape), title,
                organizerEmail, segments, generator, endWhenDone, shape);
    }

    /** This script with a title ({@code transcript(id)} gives it for a meeting that is not scheduled). */
    public MeetingScript withTitle(String newTitle) {
        return new MeetingScript(source, steps, newTitle, organizerEmail, segments, generator, endWhenDone, shape);
    }

    /** This script with an organizer's e-mail address. */
    public MeetingScript withOrganizerEmail(String email) {
        return new MeetingScript(source, steps, title, email, segments, generator, endWhenDone, shape);
    }

    /**
     * This script, the meeting ending by itself right after its last event (a DISCONNECT to every subscriber, and no
     * longer live). A script read from JSON lines gets an {@code end} step at its last step's time, unless it ends so.
     */
    public MeetingScript endingWhenDone() {
        if (segments != null || generator != null) {
            return segmented(source, segments, generator, title, organizerEmail, true, shape);
        }
        List<Step> ended = new ArrayList<>(steps);
        if (ended.isEmpty() || !(ended.get(ended.size() - 1) instanceof EndStep)) {
            ended.add(new EndStep(durationMs()));
        }
        return new MeetingScript(source, ended, title, organizerEmail, null, null, true, shape);
    }

    /**
     * This script with its transcription events wrapped in {@code newShape}.
     *
     * @throws IllegalStateException for a script read from JSON lines (each line has its own {@code shape})
     */
    public MeetingScript withShape(Shape newShape) {
        if (segments == null && generator == null) {
            throw new IllegalStateException("A script read from JSON lines gives the shape line by line");
        }
        return segmented(source, segments, generator, title, organizerEmail, endWhenDone, newShape);
    }

    /** The title set with {@link #withTitle}, or null. */
    public String title() {
        return title;
    }

    /** The organizer set with {@link #withOrganizerEmail}, or null. */
    public String organizerEmail() {
        return organizerEmail;
    }

    /** The segments of a script built with {@link #of}, else null. */
    public List<Segment> segments() {
        return segments;
    }

    /** The generator of a script built with {@link #generated}, else null. */
    public Generator generator() {
        return generator;
    }

    /** Whether the meeting ends by itself after its last event ({@link #endingWhenDone()}). */
    public boolean endWhenDone() {
        return endWhenDone;
    }

    /** How the transcription events of a built script are wrapped (a JSON-lines script: {@code FLAT}, per line). */
    public Shape shape() {
        return shape;
    }

    /** How many {@value FirefliesSimulator#TRANSCRIPTION_EVENT} events the meeting sends in all. */
    public int events() {
        if (generator != null) {
            return generator.count() * (generator.revisions() + 1);
        }
        if (segments != null) {
            return segments.stream().mapToInt(s -> 1 + s.revisions().size()).sum();
        }
        return (int) steps.stream().filter(st -> st instanceof EventStep e
                && FirefliesSimulator.TRANSCRIPTION_EVENT.equals(e.event())).count();
    }

    /**
     * A built script as one JSON object: {@code {transcriptId, segments | generator, title?, organizerEmail?, shape,
     * endWhenDone}}, segments as {@code {chunk_id, speaker_name, text, start_time, end_time, speaker_id?, atMs?,
     * revisions: [{text, delayMs, end_time?}]}} and a generator as {@code {count, everyMs, revisions}}: the form an
     * out-of-process fixture (such as the component's Node.js socket.io server) can play.
     *
     * @throws IllegalStateException for a script read from JSON lines
     */
    public ObjectNode toJson(String transcriptId) {
        if (segments == null && generator == null) {
            throw new IllegalStateException("Only a script built with of(...) or generated(...) has this form");
        }
        ObjectNode o = SimJson.MAPPER.createObjectNode().put("transcriptId", transcriptId)
                .put("endWhenDone", endWhenDone).put("shape", shape.name().toLowerCase(Locale.ROOT));
        if (title != null) {
            o.put("title", title);
        }
        if (organizerEmail != null) {
            o.put("organizerEmail", organizerEmail);
        }
        if (generator != null) {
            o.putObject("generator").put("count", generator.count()).put("everyMs", generator.every().toMillis())
                    .put("revisions", generator.revisions());
        } else {
            ArrayNode list = o.putArray("segments");
            segments.forEach(s -> ScriptSegments.addTo(s, list.addObject()));
        }
        return o;
    }

    /**
     * One segment: its first event is sent at {@code at} after the meeting started (null: at its start time), each
     * revision after that.
     *
     * @param speakerId not sent on the wire (the realtime API has none); kept for {@link MeetingScript#toJson(String)}
     */
    public record Segment(String chunkId, String speakerName, Integer speakerId, String text, double startTime,
                          double endTime, Duration at, List<Revision> revisions) {

        public Segment {
            Objects.requireNonNull(chunkId, "chunkId");
            Objects.requireNonNull(speakerName, "speakerName");
            Objects.requireNonNull(text, "text");
            if (startTime < 0 || endTime < startTime) {
                throw new IllegalArgumentException("Need 0 <= startTime <= endTime");
            }
            revisions = List.copyOf(revisions);
        }

        /** Sent at its start time, without revisions. */
        public static Segment of(String chunkId, String speakerName, String text, double startTime, double endTime) {
            return new Segment(chunkId, speakerName, null, text, startTime, endTime, null, List.of());
        }

        /** Sent at {@code after} the meeting started instead of at its start time. */
        public Segment at(Duration after) {
            return new Segment(chunkId, speakerName, speakerId, text, startTime, endTime, after, revisions);
        }

        public Segment withSpeakerId(int id) {
            return new Segment(chunkId, speakerName, id, text, startTime, endTime, at, revisions);
        }

        /** Adds a revision sent {@code after} the segment's first event, with the same end time. */
        public Segment revisedTo(String newText, Duration after) {
            return revisedTo(newText, after, null);
        }

        /** Adds a revision sent {@code after} the segment's first event; {@code newEndTime} null keeps the end time. */
        public Segment revisedTo(String newText, Duration after, Double newEndTime) {
            List<Revision> list = new ArrayList<>(revisions);
            list.add(new Revision(newText, after, newEndTime));
            return new Segment(chunkId, speakerName, speakerId, text, startTime, endTime, at, list);
        }

        /** The text of the last revision (the segment's own text without revisions). */
        public String finalText() {
            return revisions.isEmpty() ? text : revisions.get(revisions.size() - 1).text();
        }
    }

    /** A new text for a segment, sent {@code after} the segment's first event (not after the previous revision). */
    public record Revision(String text, Duration after, Double endTime) {
        public Revision {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(after, "after");
        }
    }

    /** {@code count} segments every {@code every}, with {@code revisions} revisions each. */
    public record Generator(int count, Duration every, int revisions) {
        public Generator {
            Objects.requireNonNull(every, "every");
            if (count < 0 || revisions < 0 || every.toMillis() < 1) {
                throw new IllegalArgumentException("Need count >= 0, revisions >= 0 and every >= 1 ms");
            }
        }
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
        return new MeetingScript(sourceName, ScriptLines.parse(text, sourceName));
    }

    @Override
    public String toString() {
        return "MeetingScript[" + source + ", " + steps.size() + " steps, " + durationMs() + " ms]";
    }
}
