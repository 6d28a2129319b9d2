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
package io.github.camelfireflies;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.live.LiveConsumer;
import io.github.camelfireflies.testsupport.FirefliesTestServer.Shape;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the CamelContext leaves no thread behind: the component's timer, connect pool and worker pool, the
 * consumers' own TLS container, and the Tyrus transport threads all end.
 * <p>
 * One exception, JVM-wide and not ours: the Tyrus JDK client keeps a static single-thread scheduler (thread
 * {@code tyrus-jdk-container-idle-timeout}, a daemon) that it starts the first time a last connection closes, to shut
 * its shared transport down after the idle timeout. Tyrus offers no API to end it; there is at most one per JVM
 * whatever the number of contexts, connections or restarts, and this test checks exactly that.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreadLeakTest {

    static final String TYRUS_IDLE_TIMER = "tyrus-jdk-container-idle-timeout";

    private NodeSocketIoServer server;

    @BeforeAll
    void startServer() {
        server = NodeSocketIoServer.start();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    private static List<String> describe(Set<Thread> threads) {
        return threads.stream().map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : "")).sorted().toList();
    }

    @Test
    void stoppingTheContextLeavesNoThreadBehind() throws Exception {
        for (int round = 0; round < 3; round++) {
            Set<Thread> before = liveThreads();
            runOneContext();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                Set<Thread> left = liveThreads();
                left.removeAll(before);
                left.removeIf(t -> t.getName().startsWith("awaitility")); // the poller of this very wait
                left.removeIf(t -> t.getName().startsWith("HttpClient-")); // the test fixture's admin HTTP client
                // JVM-wide pools of the JDK that any code in this JVM (an earlier test, the fixture) may have started
                left.removeIf(t -> t.getName().equals("CompletableFutureDelayScheduler")
                                   || t.getName().startsWith("ForkJoinPool.commonPool-worker-"));
                left.removeIf(t -> t.getName().equals(TYRUS_IDLE_TIMER) && t.isDaemon());
                assertThat(describe(left)).as("threads left after stopping the context").isEmpty();
            });
            List<Thread> idleTimers = liveThreads().stream().filter(t -> t.getName().equals(TYRUS_IDLE_TIMER)).toList();
            assertThat(idleTimers).as("Tyrus' JVM-wide idle timer").hasSizeLessThanOrEqualTo(1)
                    .allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
        }
    }

    /** A context with a plain and a TLS-configured consumer (its own container), an event, a reconnect, a stop. */
    private void runOneContext() throws Exception {
        CamelContext context = new DefaultCamelContext();
        try {
            String tid = "t-" + UUID.randomUUID();
            String tid2 = "t-" + UUID.randomUUID();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    String base = "fireflies:live?apiKey=RAW(" + server.apiKey() + ")&url=" + server.url() + "&path="
                                  + server.path() + "&reconnectDelay=50&reconnectDelayMax=100";
                    from(base + "&transcriptId=" + tid).routeId("plain").to("mock:plain");
                    // a larger frame limit than the component's: this consumer gets a container of its own
                    from(base + "&transcriptId=" + tid2 + "&maxMessageSize=8388608").routeId("own").to("mock:own");
                }
            });
            context.start();
            MockEndpoint plain = context.getEndpoint("mock:plain", MockEndpoint.class);
            MockEndpoint own = context.getEndpoint("mock:own", MockEndpoint.class);
            plain.expectedMessageCount(1);
            own.expectedMessageCount(1);
            ObjectMapper json = new ObjectMapper();
            server.emitTranscription(tid, List.of(json.createObjectNode().put("chunk_id", "a").put("text", "x")),
                    Shape.FLAT, Duration.ofSeconds(15));
            server.emitTranscription(tid2, List.of(json.createObjectNode().put("chunk_id", "b").put("text", "y")),
                    Shape.FLAT, Duration.ofSeconds(15));
            MockEndpoint.assertIsSatisfied(context, 15, java.util.concurrent.TimeUnit.SECONDS);

            LiveConsumer c = (LiveConsumer) context.getRoute("plain").getConsumer();
            server.dropConnections(tid, true);
            await().atMost(Duration.ofSeconds(15)).until(() -> c.getReconnects() == 1
                                                             && "CONNECTED".equals(c.getConnectionState()));
        } finally {
            context.stop();
        }
        assertThat(server.subscribers("any")).isZero();
    }
}
