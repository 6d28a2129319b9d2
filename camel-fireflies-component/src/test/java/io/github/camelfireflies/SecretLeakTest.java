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

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.github.camelfireflies.testsupport.CapturingExceptionHandler;
import io.github.camelfireflies.testsupport.FirefliesTestServer;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API key never appears in a log line, an exception handler message, a health check result, a JMX attribute or
 * an endpoint URI as Camel shows it, whatever happens: a good connection and a drop, a rejected key, a middleware refusal, a refused TCP
 * connection. Log output is captured from slf4j-simple, which writes to {@link System#err} as it is at each call.
 * <p>
 * Every log level is checked: the build runs this test in a JVM of its own with the project's loggers at TRACE (and
 * Camel's at DEBUG), and the test fails when they are not (slf4j-simple fixes a logger's level when it is created).
 */
class SecretLeakTest {

    private static final Duration AWAIT = Duration.ofSeconds(15);

    @Test
    void theKeyIsNowhere() throws Exception {
        String goodKey = "good-" + UUID.randomUUID();
        String badKey = "bad-" + UUID.randomUUID();
        String refusedKey = "refused-" + UUID.randomUUID();
        // with -Dtest=... Maven runs it in the shared JVM too: there it is skipped, and checked in its own JVM
        Assumptions.assumeTrue(Boolean.getBoolean("fireflies.secretLeak.ownJvm"),
                "SecretLeakTest runs in the JVM of its own that the build starts (execution secret-leak-at-trace)");
        assertThat(LoggerFactory.getLogger("io.github.camelfireflies.internal.socketio.SocketIoSession").isTraceEnabled())
                .as("the project's loggers at TRACE (the build runs this test in its own JVM with"
                    + " -Dorg.slf4j.simpleLogger.log.io.github.camelfireflies=trace)")
                .isTrue();

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        PrintStream tee = new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8);
        StringBuilder seen = new StringBuilder();
        CapturingExceptionHandler errors = new CapturingExceptionHandler();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }

        System.setErr(tee);
        try (NodeSocketIoServer server = NodeSocketIoServer.start(NodeSocketIoServer.Options.defaults().withApiKey(goodKey))) {
            CamelContext context = new DefaultCamelContext();
            try {
                HealthCheckHelper.getHealthCheckRepository(context, "consumers");
                context.getRegistry().bind("captor", errors);
                String tid = "t-" + UUID.randomUUID();
                String base = "&url=" + server.url() + "&path=" + server.path()
                              + "&exceptionHandler=#captor&reconnectDelay=100&reconnectDelayMax=200";
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("fireflies:live?transcriptId=" + tid + "&apiKey=RAW(" + goodKey + ")" + base).routeId("good")
                                .to("mock:good");
                        from("fireflies:live?transcriptId=t-bad&apiKey=RAW(Bearer " + badKey + ")" + base).routeId("bad")
                                .to("mock:bad");
                        from("fireflies:live?transcriptId=t-rej&apiKey=RAW(" + FirefliesTestServer.REJECT_KEY + ")" + base)
                                .routeId("rejected").to("mock:rejected");
                        from("fireflies:live?transcriptId=t-refused&apiKey=RAW(" + refusedKey + ")&url=ws://127.0.0.1:"
                             + closedPort + "&exceptionHandler=#captor&reconnectDelay=100&reconnectDelayMax=200")
                                .routeId("refused").to("mock:refused");
                    }
                });
                context.start();
                LiveConsumer good = (LiveConsumer) context.getRoute("good").getConsumer();
                LiveConsumer bad = (LiveConsumer) context.getRoute("bad").getConsumer();
                LiveConsumer rejected = (LiveConsumer) context.getRoute("rejected").getConsumer();
                LiveConsumer refused = (LiveConsumer) context.getRoute("refused").getConsumer();
                await().atMost(AWAIT).until(() -> server.subscribers(tid) == 1);
                server.dropConnections(tid, true);
                await().atMost(AWAIT).until(() -> good.getReconnects() == 1);
                await().atMost(AWAIT).until(() -> "FAILED".equals(bad.getConnectionState())
                                                  && "FAILED".equals(rejected.getConnectionState())
                                                  && refused.getFailedAttempts() >= 2);

                for (HealthCheck.Result r : HealthCheckHelper.invokeReadiness(context)) {
                    seen.append(r.getMessage().orElse("")).append(r.getDetails()).append('\n');
                }
                for (LiveConsumer c : List.of(good, bad, rejected, refused)) {
                    seen.append(c.getLastError()).append(c.getConnectionState()).append(c.getEndpoint()).append('\n');
                }
                // how Camel shows endpoints (toString masks secrets); getEndpointUri() is the raw URI, as in every
                // component, and is not what logs, JMX or the health check show
                for (Endpoint e : context.getEndpoints()) {
                    seen.append(e).append('\n');
                }
                seen.append(context.getRoutes()).append('\n');
            } finally {
                context.stop();
            }
        } finally {
            System.setErr(original);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        // the capture works and covers the failures
        assertThat(logs).contains("Subscribing to transcript").contains("Reconnected to transcript").contains("refused");
        assertThat(errors.errors()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(errors.allText()).contains("Authentication failed"); // reported once, through the handler
        assertThat(seen.toString()).contains("Authentication failed").contains("Cannot connect");
        for (String key : List.of(goodKey, badKey, refusedKey)) {
            assertThat(logs).as("log output").doesNotContain(key);
            assertThat(errors.allText()).as("exception handler").doesNotContain(key);
            assertThat(seen.toString()).as("health, JMX, endpoints").doesNotContain(key);
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
