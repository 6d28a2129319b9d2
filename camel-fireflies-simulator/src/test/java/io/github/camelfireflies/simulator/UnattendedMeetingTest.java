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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Meetings that go on while nobody listens: a late join, a dropped connection, a schedule that plays by itself. */
class UnattendedMeetingTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** a and b early, c and d later, then the end. */
    private static final MeetingScript SCRIPT = MeetingScript.parse(String.join("\n",
            line(0, "a", "Alice", "alpha", 0),
            line(300, "b", "Bob", "bravo", 1),
            line(1800, "c", "Alice", "charlie", 2),
            line(2100, "d", "Bob", "delta", 3),
            "{\"at_ms\":2300,\"action\":\"end\"}"), "abcd");

    private static String line(long atMs, String chunk, String speaker, String text, int start) {
        return "{\"at_ms\":" + atMs + ",\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"" + chunk
               + "\",\"speaker_name\":\"" + speaker + "\",\"text\":\"" + text + "\",\"start_time\":" + start
               + ",\"end_time\":" + (start + 0.9) + "}}";
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private FirefliesSimulator start(FirefliesSimulator.Builder b) {
        FirefliesSimulator sim = b.start();
        toClose.add(sim);
        return sim;
    }

    private RawClient subscribe(FirefliesSimulator sim, String transcriptId) {
        RawClient c = RawClient.connect(sim);
        toClose.add(c);
        c.subscribe(sim, transcriptId);
        return c;
    }

    private static List<String> texts(FirefliesSimulator sim, String id) {
        return GraphQLHttp.transcript(sim, id).texts();
    }

    private static String text(RawClient c) {
        return ((WirePacket.Event) c.nextPacket()).firstArg().path("text").asText();
    }

    @Test
    void aConsumerThatJoinsLateGetsWhatFollowsAndTheSentencesHaveTheBeginning() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder().meeting("late", SCRIPT));
        assertThat(sim.startMeeting("late")).isTrue();
        assertThat(sim.startMeeting("late")).isFalse(); // already going
        await().atMost(WAIT).until(() -> texts(sim, "late").equals(List.of("alpha", "bravo")));

        RawClient c = subscribe(sim, "late");
        String first = text(c);
        assertThat(first).isIn("charlie", "delta"); // never what was said before it came
        await().atMost(WAIT).until(() -> !GraphQLHttp.transcript(sim, "late").live());
        assertThat(texts(sim, "late")).containsExactly("alpha", "bravo", "charlie", "delta");
        assertThat(sim.connectAttempts("late")).isEqualTo(1);
    }

    @Test
    void duringADroppedConnectionTheMeetingGoesOnAndItsWordsAreInTheSentencesOnly() {
        // autoStart: the meeting bound to "drop" starts with the simulator, before anybody subscribes
        FirefliesSimulator sim = start(FirefliesSimulator.builder().meeting("drop", SCRIPT).autoStart(true));
        RawClient first = subscribe(sim, "drop");
        await().atMost(WAIT).until(() -> texts(sim, "drop").contains("bravo"));
        assertThat(sim.closeConnections("drop", 1011, "dropped")).isEqualTo(1);
        assertThat(first.closed.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(1011);

        // c is said while nobody listens
        await().atMost(WAIT).until(() -> texts(sim, "drop").contains("charlie"));
        assertThat(sim.subscribers("drop")).isZero();
        RawClient back = subscribe(sim, "drop");
        await().atMost(WAIT).until(() -> !GraphQLHttp.transcript(sim, "drop").live());
        List<String> heardAfterReturn = new ArrayList<>();
        while (back.pending() > 0) {
            RawClient.Frame f = back.next();
            if (f.packet() instanceof WirePacket.Event e) {
                heardAfterReturn.add(e.firstArg().path("text").asText());
            }
        }
        assertThat(heardAfterReturn).doesNotContain("alpha", "bravo", "charlie");
        assertThat(texts(sim, "drop")).containsExactly("alpha", "bravo", "charlie", "delta");
    }

    @Test
    void aScheduledMeetingPlaysFromItsScheduledStartWhenAutoStarted() {
        long startedAt = System.nanoTime();
        FirefliesSimulator sim = start(FirefliesSimulator.builder().meeting("sched", SCRIPT).autoStart(true)
                .activeMeeting("sched", "Stand-up", "carol@example.com", Duration.ofMillis(2500), null));
        // scheduled later: not going yet (a bound script that is scheduled waits for its start)
        assertThat(GraphQLHttp.transcript(sim, "sched").texts()).isEmpty();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> !texts(sim, "sched").isEmpty());
        long firstHeardMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        assertThat(firstHeardMs).isGreaterThanOrEqualTo(2400L);
        assertThat(sim.subscribers("sched")).isZero();
        // its script's end ends it: it leaves active_meetings
        await().atMost(WAIT).until(() -> sim.activeMeetings().isEmpty());
        assertThat(texts(sim, "sched")).containsExactly("alpha", "bravo", "charlie", "delta");
        assertThat(GraphQLHttp.transcript(sim, "sched").live()).isFalse();
    }

    @Test
    void startMeetingWithTitleStartsTheScriptWhenAutoStarted() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder().defaultMeeting(SCRIPT).autoStart(true));
        sim.startMeeting("walk-in", "Walk-in", "dan@example.com");
        await().atMost(WAIT).until(() -> texts(sim, "walk-in").contains("alpha"));
        assertThat(sim.activeMeetings()).extracting(FirefliesSimulator.ScheduledMeeting::id).containsExactly("walk-in");
        assertThat(sim.subscribers("walk-in")).isZero();
    }

    @Test
    void byDefaultAScriptWaitsForItsFirstSubscriber() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder().meeting("waits", SCRIPT)
                .activeMeeting("sched", "Stand-up", "carol@example.com", Duration.ZERO, null).defaultMeeting(SCRIPT));
        await().during(Duration.ofMillis(600)).atMost(WAIT)
                .until(() -> texts(sim, "waits").isEmpty() && texts(sim, "sched").isEmpty());
        assertThat(GraphQLHttp.transcript(sim, "waits").live()).isFalse();
        RawClient c = subscribe(sim, "waits");
        assertThat(text(c)).isEqualTo("alpha");
    }

    @Test
    void startMeetingNeedsAScriptAndAKnownId() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder().meeting("m", SCRIPT));
        assertThat(sim.startMeeting("no-script")).isFalse();
        assertThat(sim.startMeeting(FirefliesSimulator.UNKNOWN_TRANSCRIPT)).isFalse();
        assertThat(sim.startMeeting("m")).isTrue();
    }

    @Test
    void theStartNowFlagStartsTheMeetingWithTheSimulator(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("m.jsonl");
        Files.writeString(script, line(0, "x", "Xavier", "on its own", 0) + "\n", StandardCharsets.UTF_8);
        FirefliesSimulatorMain.Options options = FirefliesSimulatorMain.parse("--start-now", "--script",
                script.toString(), "--transcript-id", "main-meeting", "--key", "main-key");
        assertThat(options.notes()).anyMatch(n -> n.contains("started now"));
        FirefliesSimulator sim = start(options.builder());
        await().atMost(WAIT).until(() -> texts(sim, "main-meeting").equals(List.of("on its own")));
        assertThat(sim.subscribers("main-meeting")).isZero();

        // without the flag it waits, as before
        FirefliesSimulator waiting = start(FirefliesSimulatorMain.parse("--script", script.toString()).builder());
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> texts(waiting, "demo-meeting").isEmpty());
    }
}
