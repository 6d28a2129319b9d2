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

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The rule of the live sentences: one per segment heard, at its latest text, in time order. */
class LiveTranscriptTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static ObjectNode event(String chunk, String speaker, String text, Object start, Object end) {
        ObjectNode o = NODES.objectNode();
        if (chunk != null) {
            o.put("chunk_id", chunk);
        }
        if (speaker != null) {
            o.put("speaker_name", speaker);
        }
        o.put("text", text);
        if (start != null) {
            o.set("start_time", value(start));
        }
        if (end != null) {
            o.set("end_time", value(end));
        }
        return o;
    }

    private static JsonNode value(Object v) {
        if (v instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (v instanceof Double d) {
            return NODES.numberNode(d);
        }
        return NODES.textNode(v.toString());
    }

    @Test
    void aRevisionReplacesTheTextOfItsSegmentAndAddsNoSentence() {
        LiveTranscript t = new LiveTranscript();
        t.heard(event("c1", "Alice", "Hello every", 0, 1.2));
        t.heard(event("c1", "Alice", "Hello everyone", 0, 1.5));
        t.heard(event("c2", "Bob", "Hi", 1.6, 2.0));
        t.heard(event("c1", "Alice", "Hello everyone!", 0, 1.6));
        assertThat(t.sentences()).extracting(LiveTranscript.Sentence::index, LiveTranscript.Sentence::text,
                LiveTranscript.Sentence::speakerName, LiveTranscript.Sentence::speakerId,
                LiveTranscript.Sentence::startTime, LiveTranscript.Sentence::endTime)
                .containsExactly(tuple(0, "Hello everyone!", "Alice", 0, 0.0, 1.6),
                        tuple(1, "Hi", "Bob", 1, 1.6, 2.0));
    }

    @Test
    void sentencesAreInStartTimeOrderThenInTheOrderTheyFirstCame() {
        LiveTranscript t = new LiveTranscript();
        t.heard(event("late", "Carol", "at 5, heard first", 5, 6));
        t.heard(event("early", "Dave", "at 1", 1, 2));
        t.heard(event("tie", "Erin", "at 5, heard later", 5.0, 5.5));
        t.heard(event("untimed", "Dave", "no time", null, null));
        t.heard(event("text", "Carol", "start as text", "3.5", "4"));
        assertThat(t.sentences()).extracting(LiveTranscript.Sentence::text)
                .containsExactly("at 1", "start as text", "at 5, heard first", "at 5, heard later", "no time");
        assertThat(t.sentences()).extracting(LiveTranscript.Sentence::index).containsExactly(0, 1, 2, 3, 4);
        // ids by first appearance of the speaker, the same for every segment of that speaker
        assertThat(t.sentences()).extracting(LiveTranscript.Sentence::speakerName, LiveTranscript.Sentence::speakerId)
                .containsExactly(tuple("Dave", 1), tuple("Carol", 0), tuple("Carol", 0), tuple("Erin", 2),
                        tuple("Dave", 1));
        assertThat(t.sentences().get(4).startTime()).isNull();
        // a revision that moves a segment in time moves its sentence
        t.heard(event("early", "Dave", "at 9 now", 9, 10));
        assertThat(t.sentences()).extracting(LiveTranscript.Sentence::text)
                .containsExactly("start as text", "at 5, heard first", "at 5, heard later", "at 9 now", "no time");
    }

    @Test
    void aSegmentWithoutChunkIdIsASentenceOfItsOwnAndOtherEventsAreIgnored() {
        LiveTranscript t = new LiveTranscript();
        t.heard(event(null, "Alice", "one", 0, 1));
        t.heard(event(null, "Alice", "two", 1, 2));
        t.heard(event("c", null, "nobody", 2, 3));
        t.heard(NODES.textNode("not an object"));
        t.heard(null);
        List<LiveTranscript.Sentence> s = t.sentences();
        assertThat(s).extracting(LiveTranscript.Sentence::text).containsExactly("one", "two", "nobody");
        assertThat(s.get(2).speakerName()).isNull();
        assertThat(s.get(2).speakerId()).isNull();
        t.clear();
        assertThat(t.sentences()).isEmpty();
        t.heard(event("c9", "Zoe", "after clear", 0, 1));
        assertThat(t.sentences()).singleElement().satisfies(x -> assertThat(x.speakerId()).isZero());
    }
}
