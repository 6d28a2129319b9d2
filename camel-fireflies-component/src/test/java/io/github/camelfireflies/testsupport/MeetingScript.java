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
package io.github.camelfireflies.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a meeting of {@link NodeSocketIoServer#startMeeting(String, MeetingScript)} says, and when: either a list of
 * {@link Segment}s, each with optional {@link Revision}s, or a {@link Generator}. The meeting plays in real time from
 * the moment it starts, to whoever is subscribed when each event is due.
 * <p>
 * Build it with {@link #of(Segment...)} or {@link #generated(int, Duration, int)} and the {@code with...} methods.
 *
 * @param title          the meeting title ({@code null}: {@code "Meeting <transcriptId>"})
 * @param organizerEmail the organizer ({@code null}: {@code organizer@example.com})
 * @param segments       the scripted segments, or {@code null} with a generator
 * @param generator      the generated segments, or {@code null} with segments
 * @param endWhenDone    end the meeting (DISCONNECT, no longer live) right after its last event; otherwise it stays
 *                       live until {@link NodeSocketIoServer#endMeeting(String)}
 * @param shape          how each event is wrapped on the wire
 */
public record MeetingScript(String title, String organizerEmail, List<Segment> segments, Generator generator,
                            boolean endWhenDone, FirefliesTestServer.Shape shape) {

    public MeetingScript {
        if ((segments == null) == (generator == null)) {
            throw new IllegalArgumentException("A meeting script has either segments or a generator");
        }
        segments = segments == null ? null : List.copyOf(segments);
        Objects.requireNonNull(shape, "shape");
    }

    /** A meeting that says these segments. */
    public static MeetingScript of(Segment... segments) {
        return of(List.of(segments));
    }

    /** A meeting that says these segments. */
    public static MeetingScript of(List<Segment> segments) {
        return new MeetingScript(null, null, segments, null, false, FirefliesTestServer.Shape.FLAT);
    }

    /**
     * {@code count} segments, one every {@code every}, each followed by {@code revisions} revisions spread evenly until
     * the next segment. Segment {@code i} has chunk id {@link #generatedChunkId(int)}, speaker
     * {@link #generatedSpeaker(int)} (speaker id 1 for Alice, 2 for Bob), start time {@code i * every} (seconds), and
     * its revision {@code r} (0 is the first event) has the text {@link #generatedText(int, int)} and an end time that
     * grows by {@code every / (revisions + 1)} each time.
     */
    public static MeetingScript generated(int count, Duration every, int revisions) {
        return new MeetingScript(null, null, null, new Generator(count, every, revisions), false,
                FirefliesTestServer.Shape.FLAT);
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

    public MeetingScript withTitle(String t) {
        return new MeetingScript(t, organizerEmail, segments, generator, endWhenDone, shape);
    }

    public MeetingScript withOrganizerEmail(String email) {
        return new MeetingScript(title, email, segments, generator, endWhenDone, shape);
    }

    /** The meeting ends by itself right after its last event. */
    public MeetingScript endingWhenDone() {
        return new MeetingScript(title, organizerEmail, segments, generator, true, shape);
    }

    public MeetingScript withShape(FirefliesTestServer.Shape s) {
        return new MeetingScript(title, organizerEmail, segments, generator, endWhenDone, s);
    }

    /** How many {@code transcription.broadcast} events the meeting sends in all. */
    public int events() {
        if (generator != null) {
            return generator.count() * (generator.revisions() + 1);
        }
        return segments.stream().mapToInt(s -> 1 + s.revisions().size()).sum();
    }

    /** The body of {@code POST /admin/meeting/start}. */
    ObjectNode toJson(String transcriptId) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("transcriptId", transcriptId)
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
            segments.forEach(s -> s.addTo(list.addObject()));
        }
        return o;
    }

    /**
     * One segment: its first event is sent at {@code at} after the meeting started (by default at its start time),
     * each revision after that.
     *
     * @param speakerId {@code null}: speakers are numbered 1, 2 ... by first appearance in the script
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

        private void addTo(ObjectNode o) {
            o.put("chunk_id", chunkId).put("speaker_name", speakerName).put("text", text).put("start_time", startTime)
                    .put("end_time", endTime);
            if (speakerId != null) {
                o.put("speaker_id", speakerId);
            }
            if (at != null) {
                o.put("atMs", at.toMillis());
            }
            ArrayNode list = o.putArray("revisions");
            for (Revision r : revisions) {
                ObjectNode ro = list.addObject().put("text", r.text()).put("delayMs", r.after().toMillis());
                if (r.endTime() != null) {
                    ro.put("end_time", r.endTime());
                }
            }
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
}
