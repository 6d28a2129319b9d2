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

import io.github.camelfireflies.api.WebSocketProvider;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.simulator.Shape;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import io.github.camelfireflies.testsupport.ThreadCensus;
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
 * Stopping the CamelContext leaves no thread behind, with the default provider and no allow-list: the component's
 * timer, connect pool and worker pool, the consumers' own containers, and every thread of the WebSocket client all end.
 * Any thread alive after the stop that was not alive before the context was made fails the test, whatever its name;
 * the only ones not counted are those {@link ThreadCensus} can tie to something older than the context (the fixture's
 * HTTP client), and the wait polls in the test's own thread so that it adds none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreadLeakTest {

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

    @Test
    void theDefaultProviderIsTheOneUnderTest() {
        assertThat(new FirefliesComponent().getWebSocketProvider()).isEqualTo(WebSocketProvider.JETTY);
    }

    @Test
    void stoppingTheContextLeavesNoThreadBehind() throws Exception {
        for (int i = 0; i < 3; i++) {
            int round = i;
            ThreadCensus before = ThreadCensus.take();
            runOneContext();
            await().atMost(Duration.ofSeconds(20)).pollInSameThread().pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(before.newThreads())
                            .as("threads left after stopping the context (round %d)", round).isEmpty());
        }
    }

    /**
     * A context with a consumer on the component's container, one with a container of its own (a larger frame limit),
     * one that cannot connect (stopped while it waits to retry); an event each, a reconnect (and its backfill call), a
     * {@code fireflies:meetings} consumer polling and streaming a meeting, a {@code fireflies:graphql} call, a stop.
     */
    private void runOneContext() throws Exception {
        CamelContext context = new DefaultCamelContext();
        int closedPort = closedPort();
        String meeting = "m-" + UUID.randomUUID();
        server.startMeeting(meeting, MeetingScript.generated(200, Duration.ofMillis(100), 0));
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
                    // nothing listens there: connects are refused, and the consumer is waiting to retry at the stop
                    from("fireflies:live?apiKey=RAW(" + server.apiKey() + ")&url=ws://127.0.0.1:" + closedPort
                         + "&transcriptId=t-refused&reconnectDelay=50&reconnectDelayMax=100").routeId("refused")
                            .to("mock:refused");
                    // GraphQL: the fixture's /graphql on the same port (the default graphqlUrl)
                    from("fireflies:meetings?apiKey=RAW(" + server.apiKey() + ")&url=" + server.url() + "&path="
                         + server.path() + "&pollInterval=200").routeId("meetings").to("mock:meetings");
                    from("direct:graphql").to("fireflies:graphql?operation=activeMeetings&apiKey=RAW(" + server.apiKey()
                                              + ")&url=" + server.url());
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
            await().atMost(Duration.ofSeconds(15)).pollInSameThread()
                    .until(() -> c.getReconnects() == 1 && "CONNECTED".equals(c.getConnectionState()));
            LiveConsumer refused = (LiveConsumer) context.getRoute("refused").getConsumer();
            await().atMost(Duration.ofSeconds(15)).pollInSameThread().until(() -> refused.getFailedAttempts() >= 2);
            MockEndpoint meetings = context.getEndpoint("mock:meetings", MockEndpoint.class);
            await().atMost(Duration.ofSeconds(15)).pollInSameThread().until(() -> meetings.getReceivedCounter() > 0);
            assertThat(context.createProducerTemplate().requestBody("direct:graphql", "", List.class)).isNotEmpty();
        } finally {
            context.stop();
            server.endMeeting(meeting);
        }
        assertThat(server.subscribers("any")).isZero();
    }

    /** A loopback port nothing listens on (bound, then closed). */
    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
