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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeetingScriptTest {

    private static final String SCRIPT = String.join("\n",
            "# a tiny meeting",
            "{\"at_ms\":0,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"c1\",\"speaker_name\":\"Alice\",\"text\":\"Hel\",\"start_time\":0,\"end_time\":0.4}}",
            "",
            "{\"at_ms\":150,\"event\":\"transcription.broadcast\",\"shape\":\"payload\",\"data\":{\"chunk_id\":\"c1\",\"speaker_name\":\"Alice\",\"text\":\"Hello\",\"start_time\":0,\"end_time\":0.8}}",
            "{\"at_ms\":300,\"event\":\"transcription.broadcast\",\"shape\":\"data\",\"data\":{\"transcript_id\":\"given\",\"chunk_id\":\"c2\",\"speaker_name\":\"Bob\",\"text\":\"Hi ✨\",\"start_time\":1,\"end_time\":1.5}}",
            "{\"at_ms\":300,\"event\":\"meeting.note\"}",
            "{\"at_ms\":350,\"raw\":\"42[\\\"raw.event\\\",1]\"}",
            "{\"at_ms\":450,\"action\":\"end\"}");

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void parsesTheLineKinds() {
        MeetingScript script = MeetingScript.parse(SCRIPT, "tiny");
        assertThat(script.steps()).hasSize(6);
        assertThat(script.durationMs()).isEqualTo(450);
        assertThat(script.steps().get(1)).isInstanceOfSatisfying(MeetingScript.EventStep.class,
                e -> assertThat(e.shape()).isEqualTo(Shape.PAYLOAD));
        assertThat(script.steps().get(3)).isInstanceOfSatisfying(MeetingScript.EventStep.class,
                e -> assertThat(e.data()).isNull());
        assertThat(script.steps().get(4)).isInstanceOf(MeetingScript.RawStep.class);
        assertThat(script.steps().get(5)).isEqualTo(new MeetingScript.EndStep(450));
    }

    @Test
    void rejectsInvalidLinesNamingThem() {
        assertThatThrownBy(() -> MeetingScript.parse("{\"event\":\"x\"}", "s"))
                .hasMessageContaining("s:1").hasMessageContaining("at_ms");
        assertThatThrownBy(() -> MeetingScript.parse("{\"at_ms\":5,\"event\":\"x\"}\n{\"at_ms\":4,\"event\":\"x\"}", "s"))
                .hasMessageContaining("s:2");
        assertThatThrownBy(() -> MeetingScript.parse("{\"delay_ms\":5,\"event\":\"x\"}", "s"))
                .hasMessageContaining("delay_ms");
        assertThatThrownBy(() -> MeetingScript.parse("{\"at_ms\":5,\"action\":\"pause\"}", "s"))
                .hasMessageContaining("unknown action");
        assertThatThrownBy(() -> MeetingScript.parse("{\"at_ms\":5,\"event\":\"x\",\"shape\":\"nested\"}", "s"))
                .hasMessageContaining("shape");
        assertThatThrownBy(() -> MeetingScript.parse("{\"at_ms\":5,\"event\":\"x\",\"raw\":\"2\"}", "s"))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> MeetingScript.parse("not json", "s")).hasMessageContaining("s:1");
    }

    @Test
    void replaysTheScriptInOrderWithShapesAndPacing() {
        FirefliesSimulator sim = FirefliesSimulator.builder().apiKey("k")
                .meeting("m-1", MeetingScript.parse(SCRIPT, "tiny")).start();
        toClose.add(sim);
        RawClient c = RawClient.connect(sim);
        toClose.add(c);
        c.subscribe(sim, "m-1");

        RawClient.Frame f1 = c.next();
        JsonNode e1 = ((WirePacket.Event) f1.packet()).firstArg();
        assertThat(e1.get("text").asText()).isEqualTo("Hel");
        assertThat(e1.get("transcript_id").asText()).isEqualTo("m-1");

        RawClient.Frame f2 = c.next();
        JsonNode e2 = ((WirePacket.Event) f2.packet()).firstArg();
        assertThat(e2.get("payload").get("text").asText()).isEqualTo("Hello");
        assertThat(e2.get("payload").get("transcript_id").asText()).isEqualTo("m-1");

        RawClient.Frame f3 = c.next();
        JsonNode e3 = ((WirePacket.Event) f3.packet()).firstArg();
        assertThat(e3.get("data").get("text").asText()).isEqualTo("Hi ✨");
        assertThat(e3.get("data").get("transcript_id").asText()).isEqualTo("given");
        assertThat(e3.get("data").get("start_time").isIntegralNumber()).isTrue();

        assertThat(c.nextText()).isEqualTo("42[\"meeting.note\"]");
        RawClient.Frame raw = c.next();
        assertThat(raw.text()).isEqualTo("42[\"raw.event\",1]");
        RawClient.Frame end = c.next();
        assertThat(end.text()).isEqualTo("41");

        // pacing, relative to the first line (at_ms 0): lower bounds tight, upper bounds loose
        assertThat(ms(f2.nanos() - f1.nanos())).isBetween(130L, 2_000L);
        assertThat(ms(f3.nanos() - f1.nanos())).isBetween(280L, 3_000L);
        assertThat(ms(raw.nanos() - f1.nanos())).isBetween(330L, 3_000L);
        assertThat(ms(end.nanos() - f1.nanos())).isBetween(430L, 3_000L);
        assertThat(sim.subscribers("m-1")).isZero();
    }

    @Test
    void defaultScriptPlaysForAnyTranscriptWithItsOwnClockAndLoops() {
        MeetingScript one = MeetingScript.parse(
                "{\"at_ms\":0,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"c1\",\"text\":\"again\"}}", "one");
        FirefliesSimulator sim = FirefliesSimulator.builder().apiKey("k").defaultMeeting(one)
                .loop(true).loopPause(Duration.ofMillis(100)).start();
        toClose.add(sim);
        RawClient c = RawClient.connect(sim);
        toClose.add(c);
        c.subscribe(sim, "any-id");
        RawClient.Frame first = c.next();
        RawClient.Frame second = c.next();
        RawClient.Frame third = c.next();
        for (RawClient.Frame f : List.of(first, second, third)) {
            JsonNode e = ((WirePacket.Event) f.packet()).firstArg();
            assertThat(e.get("transcript_id").asText()).isEqualTo("any-id");
            assertThat(e.get("text").asText()).isEqualTo("again");
        }
        assertThat(ms(second.nanos() - first.nanos())).isBetween(80L, 6_000L);
        assertThat(ms(third.nanos() - second.nanos())).isBetween(80L, 6_000L);
    }

    @Test
    void aReconnectingSubscriberGetsNothingReplayed() {
        MeetingScript script = MeetingScript.parse(String.join("\n",
                "{\"at_ms\":0,\"event\":\"e\",\"data\":{\"n\":1}}",
                "{\"at_ms\":400,\"event\":\"e\",\"data\":{\"n\":2}}",
                "{\"at_ms\":800,\"event\":\"e\",\"data\":{\"n\":3}}"), "three");
        FirefliesSimulator sim = FirefliesSimulator.builder().apiKey("k").meeting("m", script).start();
        toClose.add(sim);
        RawClient a = RawClient.connect(sim);
        toClose.add(a);
        a.subscribe(sim, "m");
        assertThat(((WirePacket.Event) a.nextPacket()).firstArg().get("n").asInt()).isEqualTo(1);
        a.send("41"); // leave the meeting before n=2
        RawClient b = RawClient.connect(sim);
        toClose.add(b);
        b.subscribe(sim, "m");
        // b joined the running meeting: it starts at whatever comes next, never at n=1
        int n = ((WirePacket.Event) b.nextPacket()).firstArg().get("n").asInt();
        assertThat(n).isIn(2, 3);
    }

    @Test
    void theDemoMeetingIsRealistic() {
        MeetingScript demo = MeetingScript.demo();
        Map<String, Integer> revisions = new HashMap<>();
        Set<String> speakers = new HashSet<>();
        boolean nonAscii = false;
        for (MeetingScript.Step s : demo.steps()) {
            if (s instanceof MeetingScript.EventStep e && e.event().equals("transcription.broadcast")) {
                revisions.merge(e.data().get("chunk_id").asText(), 1, Integer::sum);
                speakers.add(e.data().get("speaker_name").asText());
                nonAscii |= e.data().get("text").asText().chars().anyMatch(ch -> ch > 127);
                assertThat(e.data().get("end_time").asDouble()).isGreaterThan(e.data().get("start_time").asDouble());
            }
        }
        assertThat(revisions).hasSizeBetween(30, 40);
        assertThat(revisions.values()).allSatisfy(n -> assertThat(n).isBetween(2, 5));
        assertThat(speakers).hasSizeBetween(3, 4);
        assertThat(nonAscii).isTrue();
        assertThat(demo.durationMs()).isBetween(40_000L, 60_000L);
        assertThat(demo.steps().get(demo.steps().size() - 1)).isInstanceOf(MeetingScript.EndStep.class);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
