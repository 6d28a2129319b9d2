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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a meeting has said so far, as the GraphQL API's live {@code transcript(id).sentences} shows it: one sentence per
 * segment ({@code chunk_id}) heard, at its latest text (a revision replaces the text, it does not add a sentence),
 * ordered by start time, then by first appearance. Every {@code transcription.broadcast} the meeting sends is heard,
 * whether or not anybody is subscribed. Thread-safe.
 */
final class LiveTranscript {

    /**
     * One sentence of {@code transcript(id)}.
     *
     * @param index       0 to n-1, in the order of the list
     * @param speakerId   a small number per speaker name, by first appearance in the meeting (0, 1, ...); null when
     *                    the segment named no speaker
     * @param startTime   seconds, or null when the segment had none
     * @param endTime     seconds, or null when the segment had none
     */
    record Sentence(int index, String text, String speakerName, Integer speakerId, Double startTime, Double endTime) {
    }

    private static final class Segment {
        final long order;
        String text;
        String speakerName;
        Double startTime;
        Double endTime;

        Segment(long order) {
            this.order = order;
        }
    }

    private static final Comparator<Segment> ORDER = Comparator
            .comparing((Segment s) -> s.startTime == null ? Double.POSITIVE_INFINITY : s.startTime)
            .thenComparingLong(s -> s.order);

    // guarded by this
    private final Map<String, Segment> segments = new LinkedHashMap<>();
    private final Map<String, Integer> speakerIds = new HashMap<>();
    private long appearances;

    /**
     * Hears one transcription event (the object inside any payload/data wrapper). A segment without a {@code chunk_id}
     * is a sentence of its own.
     */
    synchronized void heard(JsonNode event) {
        if (event == null || !event.isObject()) {
            return;
        }
        JsonNode chunk = event.get("chunk_id");
        String key = chunk != null && !chunk.isNull() && !chunk.asText().isEmpty()
                ? "chunk:" + chunk.asText()
                : "anonymous:" + appearances;
        Segment s = segments.get(key);
        if (s == null) {
            s = new Segment(appearances++);
            segments.put(key, s);
        }
        JsonNode text = event.get("text");
        s.text = text == null || text.isNull() ? "" : text.asText();
        JsonNode speaker = event.get("speaker_name");
        s.speakerName = speaker == null || speaker.isNull() ? null : speaker.asText();
        if (s.speakerName != null) {
            speakerIds.computeIfAbsent(s.speakerName, k -> speakerIds.size());
        }
        s.startTime = seconds(event.get("start_time"));
        s.endTime = seconds(event.get("end_time"));
    }

    private static Double seconds(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Double.valueOf(n.asText().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The sentences so far, indexed 0 to n-1. */
    synchronized List<Sentence> sentences() {
        List<Segment> sorted = new ArrayList<>(segments.values());
        sorted.sort(ORDER);
        List<Sentence> out = new ArrayList<>(sorted.size());
        for (Segment s : sorted) {
            out.add(new Sentence(out.size(), s.text, s.speakerName,
                    s.speakerName == null ? null : speakerIds.get(s.speakerName), s.startTime, s.endTime));
        }
        return out;
    }

    /** Forgets everything (a new round of a looping meeting, a meeting started again). */
    synchronized void clear() {
        segments.clear();
        speakerIds.clear();
        appearances = 0;
    }
}
