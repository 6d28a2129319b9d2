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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.camelfireflies.simulator.MeetingScript.Segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scripts built in code: segments with revisions, generated ones, and what the simulator plays of them. */
class MeetingScriptSegmentsTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void segmentsBecomeStepsAtTheirTimesWithRevisionsAfterTheirFirstEvent() {
        MeetingScript script = MeetingScript.of(
                Segment.of("c2", "Bob", "Hi", 0.2, 0.4).revisedTo("Hi all", Duration.ofMillis(150), 0.6),
                Segment.of("c1", "Alice", "Good mor", 0, 0.1).at(Duration.ofMillis(100))
                        .revisedTo("Good morning", Duration.ofMillis(50)))
                .endingWhenDone();

        assertThat(script.events()).isEqualTo(4);
        assertThat(script.steps()).extracting(MeetingScript.Step::atMs).containsExactly(100L, 150L, 200L, 350L, 350L);
        List<JsonNode> data = new ArrayList<>();
        script.steps().forEach(s -> {
            if (s instanceof MeetingScript.EventStep e) {
                assertThat(e.event()).isEqualTo(FirefliesSimulator.TRANSCRIPTION_EVENT);
                data.add(e.data());
            }
        });
        assertThat(data).extracting(d -> d.path("text").asText())
                .containsExactly("Good mor", "Good morning", "Hi", "Hi all");
        assertThat(data.get(1).path("end_time").asDouble()).isEqualTo(0.1);
        assertThat(data.get(3).path("end_time").asDouble()).isEqualTo(0.6);
        assertThat(script.steps().get(4)).isEqualTo(new MeetingScript.EndStep(350));
        assertThat(script.segments().get(1).finalText()).isEqualTo("Good morning");
    }

    @Test
    void aGeneratedMeetingSpreadsItsRevisionsEvenly() {
        MeetingScript script = MeetingScript.generated(2, Duration.ofSeconds(1), 3);

        assertThat(script.events()).isEqualTo(8);
        assertThat(script.steps()).extracting(MeetingScript.Step::atMs)
                .containsExactly(0L, 250L, 500L, 750L, 1000L, 1250L, 1500L, 1750L);
        JsonNode last = ((MeetingScript.EventStep) script.steps().get(7)).data();
        assertThat(last.path("chunk_id").asText()).isEqualTo(MeetingScript.generatedChunkId(1)).isEqualTo("m1");
        assertThat(last.path("speaker_name").asText()).isEqualTo(MeetingScript.generatedSpeaker(1)).isEqualTo("Bob");
        assertThat(last.path("text").asText()).isEqualTo(MeetingScript.generatedText(1, 3));
        assertThat(last.path("start_time").asDouble()).isEqualTo(1.0);
        assertThat(last.path("end_time").asDouble()).isEqualTo(2.0);
    }

    @Test
    void toJsonDescribesTheScriptForAnOutOfProcessPlayer() {
        JsonNode json = MeetingScript.of(Segment.of("c1", "Alice", "Hi", 1, 2).withSpeakerId(7)
                        .revisedTo("Hi!", Duration.ofMillis(30)))
                .withTitle("Weekly").withOrganizerEmail("erin@example.com").withShape(Shape.DATA).toJson("t-1");

        assertThat(json.path("transcriptId").asText()).isEqualTo("t-1");
        assertThat(json.path("shape").asText()).isEqualTo("data");
        assertThat(json.path("title").asText()).isEqualTo("Weekly");
        assertThat(json.path("endWhenDone").asBoolean()).isFalse();
        JsonNode seg = json.path("segments").get(0);
        assertThat(seg.path("speaker_id").asInt()).isEqualTo(7);
        assertThat(seg.path("revisions").get(0).path("delayMs").asLong()).isEqualTo(30);
        assertThat(MeetingScript.generated(3, Duration.ofMillis(200), 1).toJson("g").path("generator").toString())
                .isEqualTo("{\"count\":3,\"everyMs\":200,\"revisions\":1}");
        assertThatThrownBy(() -> MeetingScript.parse("{\"at_ms\":0,\"action\":\"end\"}", "s").toJson("x"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSimulatorPlaysABuiltScriptInItsShapeAndEndsItWhenDone() {
        MeetingScript script = MeetingScript.of(Segment.of("c1", "Alice", "Hello", 0, 0.5)
                        .revisedTo("Hello all", Duration.ofMillis(100)))
                .withTitle("Built").withShape(Shape.PAYLOAD).endingWhenDone();
        FirefliesSimulator sim = FirefliesSimulator.builder().meeting("b-1", script).start();
        toClose.add(sim);
        RawClient c = RawClient.connect(sim);
        toClose.add(c);
        c.subscribe(sim, "b-1");

        JsonNode first = c.expectEvent(FirefliesSimulator.TRANSCRIPTION_EVENT).firstArg();
        assertThat(first.path("payload").path("text").asText()).isEqualTo("Hello");
        assertThat(first.path("payload").path("transcript_id").asText()).isEqualTo("b-1");
        assertThat(c.expectEvent(FirefliesSimulator.TRANSCRIPTION_EVENT).firstArg().path("payload").path("text")
                .asText()).isEqualTo("Hello all");
        assertThat(c.nextText()).isEqualTo("41");

        GraphQLHttp.Response t = GraphQLHttp.transcript(sim, "b-1");
        assertThat(t.transcript().path("title").asText()).isEqualTo("Built");
        assertThat(t.texts()).containsExactly("Hello all");
        assertThat(t.live()).isFalse();
    }
}
