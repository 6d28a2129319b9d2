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
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.github.camelfireflies.testsupport.FirefliesTestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SimulatorTestServerTest {

    @Test
    void speaksTheTestServerInterface() {
        try (SimulatorTestServer server = SimulatorTestServer.start()) {
            FirefliesTestServer s = server;
            assertThat(s.url()).startsWith("ws://127.0.0.1:");
            assertThat(s.path()).isEqualTo("/ws/realtime");
            assertThatThrownBy(() -> s.emitEvent("m", "x", List.of(), Duration.ofMillis(100)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("m");
            try (RawClient c = RawClient.connect(server.simulator())) {
                c.subscribe(server.simulator(), "m");
                assertThat(s.subscribers("m")).isEqualTo(1);
                assertThat(s.connectAttempts("m")).isEqualTo(1);
                assertThat(s.emitTranscription("m", List.of(RawClient.json("{\"text\":\"a\"}")),
                        FirefliesTestServer.Shape.DATA, Duration.ofSeconds(1))).isEqualTo(1);
                assertThat(c.nextText()).isEqualTo("42[\"transcription.broadcast\",{\"data\":{\"text\":\"a\"}}]");
                s.disconnect("m");
                assertThat(c.nextText()).isEqualTo("41");
            }
        }
    }

    @Test
    void emitWaitsForALateSubscriber() throws Exception {
        try (SimulatorTestServer server = SimulatorTestServer.start(); RawClient c = RawClient.connect(server.simulator())) {
            var emitted = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> server.emitEvent("late", "hello", List.of(), Duration.ofSeconds(10)));
            c.subscribe(server.simulator(), "late");
            assertThat(emitted.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(c.nextText()).isEqualTo("42[\"hello\"]");
        }
    }

    @Test
    void leavesNoThreadBehind() {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        FirefliesSimulator sim = FirefliesSimulator.builder().pingInterval(Duration.ofMillis(100))
                .defaultMeeting(MeetingScript.demo()).start();
        try (RawClient c = RawClient.connect(sim)) {
            c.subscribe(sim, "threads");
            assertThat(c.nextPacket()).isInstanceOf(WirePacket.Event.class); // the demo's first caption
            c.send("41");
        }
        assertThat(newThreads(before)).anyMatch(n -> n.startsWith("fireflies-sim-timer"))
                .anyMatch(n -> n.startsWith("http-nio-127.0.0.1"));
        sim.close();
        sim.close(); // idempotent
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(newThreads(before)).isEmpty());
    }

    /**
     * Live threads started since {@code before}, except the test's own: the JDK HttpClient's, Awaitility's, and the
     * JDK's JVM-wide timer behind {@code CompletableFuture.orTimeout} (RawClient's timeouts start it the first time
     * any test in this JVM uses them, so whether it is in {@code before} depends on the test order).
     */
    private static Set<String> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName)
                .filter(n -> !n.startsWith("HttpClient-") && !n.startsWith("awaitility")
                             && !n.equals("CompletableFutureDelayScheduler"))
                .collect(Collectors.toSet());
    }
}
