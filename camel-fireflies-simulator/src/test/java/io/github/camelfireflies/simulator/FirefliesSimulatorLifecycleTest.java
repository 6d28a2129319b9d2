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
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Start and close of the facade over its parts (server, timer, registry). */
class FirefliesSimulatorLifecycleTest {

    @Test
    void aPortInUseFailsTheStartNamingTheAddressAndLeavesNoTimerThread() {
        Set<Thread> before = timerThreads();
        try (FirefliesSimulator first = FirefliesSimulator.builder().start()) {
            FirefliesSimulator second = FirefliesSimulator.builder().port(first.port()).build();
            assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cannot start the Fireflies simulator on 127.0.0.1:" + first.port());
            assertThat(second.isRunning()).isFalse();
            assertThatThrownBy(second::start).hasMessage("Simulator closed");
            assertThatThrownBy(second::port).hasMessage("Simulator not started");
            // the first one's timer is the only one left
            await().atMost(Duration.ofSeconds(10)).until(() -> newTimerThreads(before).size() == 1);
            assertThat(first.isRunning()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> newTimerThreads(before).isEmpty());
    }

    @Test
    void startsOnceAndKnowsItsCoordinates() {
        try (FirefliesSimulator sim = FirefliesSimulator.builder().path("/custom/").apiKey("k-1").start()) {
            assertThatThrownBy(sim::start).hasMessage("Simulator already started");
            assertThat(sim.path()).isEqualTo("/custom");
            assertThat(sim.host()).isEqualTo("127.0.0.1");
            assertThat(sim.socketUri()).hasToString("ws://127.0.0.1:" + sim.port() + "/custom/?EIO=4&transport=websocket");
            assertThat(sim.graphqlUrl()).isEqualTo("http://127.0.0.1:" + sim.port() + "/graphql");
            assertThat(sim.apiKey()).isEqualTo("k-1");
        }
    }

    @Test
    void theConfigurationNeverPrintsTheKey() {
        FirefliesSimulator sim = FirefliesSimulator.builder().apiKey("very-secret-key").build();
        SimulatorConfig config = FirefliesSimulator.builder().apiKey("very-secret-key").build().config();
        assertThat(config.apiKey()).isEqualTo("very-secret-key");
        assertThat(config.toString()).doesNotContain("very-secret-key");
        assertThat(sim.apiKey()).isEqualTo("very-secret-key");
        // a random key when none is given
        assertThat(FirefliesSimulator.builder().build().apiKey()).startsWith("sim-").hasSizeGreaterThan(20);
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
        assertThat(newThreadNames(before)).anyMatch(n -> n.startsWith("fireflies-sim-timer"))
                .anyMatch(n -> n.startsWith("http-nio-127.0.0.1"));
        sim.close();
        sim.close(); // idempotent
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(newThreadNames(before)).isEmpty());
    }

    /**
     * Live threads started since {@code before}, except the test's own: the JDK HttpClient's, Awaitility's, and the
     * JDK's JVM-wide timer behind {@code CompletableFuture.orTimeout} (RawClient's timeouts start it the first time
     * any test in this JVM uses them, so whether it is in {@code before} depends on the test order).
     */
    private static Set<String> newThreadNames(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName)
                .filter(n -> !n.startsWith("HttpClient-") && !n.startsWith("awaitility")
                             && !n.equals("CompletableFutureDelayScheduler"))
                .collect(Collectors.toSet());
    }

    private static Set<Thread> timerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("fireflies-sim-timer"))
                .collect(Collectors.toSet());
    }

    private static Set<Thread> newTimerThreads(Set<Thread> before) {
        Set<Thread> now = timerThreads();
        now.removeAll(before);
        return now;
    }
}
