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
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.camelfireflies.simulator.MeetingScript.EndStep;
import io.github.camelfireflies.simulator.MeetingScript.EventStep;
import io.github.camelfireflies.simulator.MeetingScript.Generator;
import io.github.camelfireflies.simulator.MeetingScript.Revision;
import io.github.camelfireflies.simulator.MeetingScript.Segment;
import io.github.camelfireflies.simulator.MeetingScript.Step;

/**
 * Turns the segments or the generator of a {@link MeetingScript} built in code into the steps the simulator plays: each
 * segment's first event at {@code at} (default: its start time), each revision {@code after} that; a generated segment
 * {@code i} at {@code i * every}, its revision {@code r} at {@code i * every + r * step} with
 * {@code step = every / (revisions + 1)}. Events due together keep the script's order. A segment's speaker id is not
 * sent (the realtime API has none); the simulator numbers speakers by first appearance.
 */
final class ScriptSegments {

    private ScriptSegments() {
    }

    static List<Step> steps(List<Segment> segments, Generator generator, boolean endWhenDone, Shape shape) {
        List<Step> out = new ArrayList<>();
        if (generator != null) {
            double every = generator.every().toMillis();
            double step = every / (generator.revisions() + 1);
            for (int i = 0; i < generator.count(); i++) {
                for (int r = 0; r <= generator.revisions(); r++) {
                    double at = i * every + r * step;
                    out.add(event(Math.round(at), MeetingScript.generatedChunkId(i), MeetingScript.generatedSpeaker(i),
                            MeetingScript.generatedText(i, r), i * every / 1000,
                            (i * every + (r + 1) * step) / 1000, shape));
                }
            }
        } else {
            for (Segment s : segments) {
                long at = s.at() != null ? s.at().toMillis() : Math.round(s.startTime() * 1000);
                out.add(event(at, s.chunkId(), s.speakerName(), s.text(), s.startTime(), s.endTime(),
                        shape));
                for (Revision r : s.revisions()) {
                    out.add(event(at + r.after().toMillis(), s.chunkId(), s.speakerName(), r.text(),
                            s.startTime(), r.endTime() != null ? r.endTime() : s.endTime(), shape));
                }
            }
            out.sort(Comparator.comparingLong(Step::atMs)); // stable
        }
        if (endWhenDone) {
            out.add(new EndStep(out.isEmpty() ? 0 : out.get(out.size() - 1).atMs()));
        }
        return out;
    }

    private static EventStep event(long atMs, String chunkId, String speaker, String text,
            double start, double end, Shape shape) {
        ObjectNode o = SimJson.MAPPER.createObjectNode().put("chunk_id", chunkId).put("text", text)
                .put("speaker_name", speaker);
        o.set("start_time", SimulatorControl.number(start));
        o.set("end_time", SimulatorControl.number(end));
        return new EventStep(atMs, FirefliesSimulator.TRANSCRIPTION_EVENT, o, shape);
    }

    /** A segment in the JSON form of {@link MeetingScript#toJson(String)}. */
    static void addTo(Segment s, ObjectNode o) {
        o.put("chunk_id", s.chunkId()).put("speaker_name", s.speakerName()).put("text", s.text())
                .put("start_time", s.startTime()).put("end_time", s.endTime());
        if (s.speakerId() != null) {
            o.put("speaker_id", s.speakerId());
        }
        if (s.at() != null) {
            o.put("atMs", s.at().toMillis());
        }
        var list = o.putArray("revisions");
        for (Revision r : s.revisions()) {
            ObjectNode ro = list.addObject().put("text", r.text()).put("delayMs", r.after().toMillis());
            if (r.endTime() != null) {
                ro.put("end_time", r.endTime());
            }
        }
    }
}
