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

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.github.camelfireflies.simulator.Shape;
import io.github.camelfireflies.testsupport.LiveRouteTestSupport;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The readiness check of a live consumer, through Camel's health check API, against the genuine socket.io server. */
class FirefliesHealthCheckTest extends LiveRouteTestSupport<NodeSocketIoServer> {

    private static final Duration AWAIT = Duration.ofSeconds(15);

    @Override
    protected NodeSocketIoServer startServer() {
        return NodeSocketIoServer.start();
    }

    @BeforeEach
    void consumersHealthRepository() {
        // what Camel Main does with camel.health.consumersEnabled (the default): resolve and register the repository
        // that asks each route's consumer for its check
        assertThat(HealthCheckHelper.getHealthCheckRepository(context, "consumers")).isNotNull();
    }

    private void start(String routeId, String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).to("mock:" + routeId);
            }
        });
        context.start();
    }

    private String uri(String url, String tid, String key, String extra) {
        return "fireflies:live?transcriptId=" + tid + "&apiKey=RAW(" + key + ")&url=" + url + "&path=" + server.path()
               + "&exceptionHandler=#captor&reconnectDelay=200&reconnectDelayMax=400" + extra;
    }

    private Optional<HealthCheck.Result> readiness(String routeId) {
        return HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:" + routeId)).findFirst();
    }

    private HealthCheck.Result awaitReadiness(String routeId, HealthCheck.State state) {
        return await().atMost(AWAIT).until(() -> readiness(routeId).orElse(null),
                r -> r != null && r.getState() == state);
    }

    private static String text(HealthCheck.Result r) {
        return r.getMessage().orElse("") + " " + r.getDetails() + " " + r.getError().map(Throwable::toString).orElse("");
    }

    @Test
    void upWhenConnectedWithDetailsButNeverTheKey() throws Exception {
        String tid = "t-" + UUID.randomUUID();
        start("up", uri(server.url(), tid, server.apiKey(), ""));
        HealthCheck.Result r = awaitReadiness("up", HealthCheck.State.UP);
        assertThat(r.getCheck().isReadiness()).isTrue();
        assertThat(r.getCheck().isLiveness()).isFalse();
        assertThat(r.getDetails()).containsEntry("transcript.id", tid).containsEntry("state", "CONNECTED")
                .containsEntry("reconnects", 0L).containsKeys("events.received", "events.dropped", "route.id");

        MockEndpoint mock = context.getEndpoint("mock:up", MockEndpoint.class);
        mock.expectedMessageCount(1);
        server.emitTranscription(tid, List.of(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("chunk_id", "c1").put("text", "hi").put("transcript_id", tid)), Shape.FLAT, AWAIT);
        mock.assertIsSatisfied(AWAIT.toMillis());
        HealthCheck.Result after = readiness("up").orElseThrow();
        assertThat(after.getDetails()).containsKey("last.event.age.ms");
        assertThat((Long) after.getDetails().get("events.received")).isGreaterThanOrEqualTo(3L); // + auth, established
        assertThat(text(after)).doesNotContain(server.apiKey());
    }

    @Test
    void downWhileReconnectingWithTheAttemptAndTheLastError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String key = "secret-" + UUID.randomUUID();
        start("refused", uri("ws://127.0.0.1:" + closedPort, "t-x", key, ""));
        HealthCheck.Result r = await().atMost(AWAIT).until(() -> readiness("refused").orElse(null),
                x -> x != null && x.getDetails().get("failed.attempts") instanceof Integer n && n >= 2);
        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("Reconnecting to transcript t-x")
                .contains("attempt").contains("last error").contains("Cannot connect"));
        assertThat(r.getDetails()).containsKeys("last.error", "reason").doesNotContainKey("final");
        assertThat(text(r)).doesNotContain(key);
    }

    @Test
    void downForGoodAfterAnAuthenticationFailure() throws Exception {
        String key = "wrong-" + UUID.randomUUID();
        start("auth", uri(server.url(), "t-" + UUID.randomUUID(), key, ""));
        HealthCheck.Result r = await().atMost(AWAIT).until(() -> readiness("auth").orElse(null),
                x -> x != null && Boolean.TRUE.equals(x.getDetails().get("final")));
        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getDetails()).containsEntry("state", "FAILED");
        assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("Not receiving and not retrying")
                .contains("Authentication failed"));
        // the reason as details (what Actuator and the like show) and as the error (Camel Spring Boot's error.message)
        assertThat((String) r.getDetails().get("last.error")).contains("Authentication failed", "Invalid API key");
        assertThat((String) r.getDetails().get("reason")).contains("Authentication failed");
        assertThat(r.getError()).hasValueSatisfying(e -> assertThat(e)
                .isInstanceOf(io.github.camelfireflies.api.FirefliesException.AuthenticationException.class)
                .hasMessageContaining("Authentication failed"));
        assertThat(text(r)).doesNotContain(key);
    }

    @Test
    void healthCheckConsumerEnabledFalseTurnsTheCheckOff() throws Exception {
        context.getComponent("fireflies", FirefliesComponent.class).setHealthCheckConsumerEnabled(false);
        String tid = "t-" + UUID.randomUUID();
        start("off", uri(server.url(), tid, server.apiKey(), ""));
        await().atMost(AWAIT).until(() -> server.subscribers(tid) == 1);
        // only Camel's own route check remains: UP because the route runs, without the consumer's details
        HealthCheck.Result r = readiness("off").orElseThrow();
        assertThat(r.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(r.getDetails()).doesNotContainKeys("transcript.id", "state");
        assertThat(((LiveConsumer) context.getRoute("off").getConsumer()).getHealthCheck()).isNull();
    }
}
