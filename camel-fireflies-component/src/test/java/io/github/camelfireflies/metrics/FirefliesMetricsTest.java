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
package io.github.camelfireflies.metrics;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.simulator.Shape;
import io.github.camelfireflies.testsupport.LiveRouteTestSupport;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The meters of a live consumer in a MeterRegistry bound in the Camel registry, against the genuine server. */
class FirefliesMetricsTest extends LiveRouteTestSupport<NodeSocketIoServer> {

    private static final Duration AWAIT = Duration.ofSeconds(15);

    @Override
    protected NodeSocketIoServer startServer() {
        return NodeSocketIoServer.start();
    }

    private void start(String routeId, String tid, String key) throws Exception {
        String uri = "fireflies:live?transcriptId=" + tid + "&apiKey=RAW(" + key + ")&url=" + server.url() + "&path="
                     + server.path() + "&exceptionHandler=#captor";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).to("mock:" + routeId);
            }
        });
        context.start();
    }

    private static double counter(MeterRegistry registry, String name, String routeId) {
        FunctionCounter c = registry.find(name).tag("routeId", routeId).functionCounter();
        assertThat(c).as(name).isNotNull();
        return c.count();
    }

    private static double connections(MeterRegistry registry, String routeId, String state) {
        Gauge g = registry.find("camel.fireflies.connections").tag("routeId", routeId).tag("state", state).gauge();
        assertThat(g).as("connections " + state).isNotNull();
        return g.value();
    }

    @Test
    void countsTheEventsTheConnectionAndTheirAgeWithoutUserCode() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        context.getRegistry().bind("anyName", registry); // found alone of its type, as camel-micrometer does
        String tid = "t-" + UUID.randomUUID();
        start("metered", tid, server.apiKey());
        await().atMost(AWAIT).until(() -> connections(registry, "metered", "CONNECTED") == 1.0);

        MockEndpoint mock = context.getEndpoint("mock:metered", MockEndpoint.class);
        mock.expectedMessageCount(2);
        ObjectMapper json = new ObjectMapper();
        server.emitTranscription(tid, List.of(
                json.createObjectNode().put("chunk_id", "c1").put("text", "one").put("transcript_id", tid),
                json.createObjectNode().put("chunk_id", "c2").put("text", "two").put("transcript_id", tid)),
                Shape.FLAT, AWAIT);
        mock.assertIsSatisfied(AWAIT.toMillis());

        System.gc(); // Micrometer holds what its function meters read weakly: the consumer must hold it
        await().atMost(AWAIT).untilAsserted(() -> {
            assertThat(counter(registry, "camel.fireflies.events.delivered", "metered")).isEqualTo(2.0);
            assertThat(counter(registry, "camel.fireflies.events.received", "metered")).isGreaterThanOrEqualTo(2.0);
        });
        assertThat(counter(registry, "camel.fireflies.events.dropped", "metered")).isZero();
        assertThat(counter(registry, "camel.fireflies.events.backfilled", "metered")).isZero();
        assertThat(counter(registry, "camel.fireflies.reconnects", "metered")).isZero();
        assertThat(registry.find("camel.fireflies.graphql.calls").tag("routeId", "metered").tag("operation", "backfill")
                .functionCounter()).isNotNull();
        assertThat(connections(registry, "metered", "RECONNECT_WAIT")).isZero();
        Timer age = registry.find("camel.fireflies.event.age").tag("routeId", "metered").timer();
        assertThat(age).isNotNull();
        assertThat(age.count()).isEqualTo(2);
        assertThat(age.max(java.util.concurrent.TimeUnit.SECONDS)).isLessThan(AWAIT.getSeconds());
        assertThat(registry.find("camel.fireflies.events.delivered").tag("camelContext", context.getName())
                .tag("type", "live").functionCounter()).isNotNull();

        // the meters go with the consumer
        context.getRouteController().stopRoute("metered");
        assertThat(registry.find("camel.fireflies.events.delivered").tag("routeId", "metered").meters()).isEmpty();
        assertThat(registry.find("camel.fireflies.event.age").meters()).isEmpty();
    }

    @Test
    void theRegistryNamedMetricsRegistryWinsAsInCamelMicrometer() throws Exception {
        SimpleMeterRegistry other = new SimpleMeterRegistry();
        SimpleMeterRegistry named = new SimpleMeterRegistry();
        context.getRegistry().bind("other", other);
        context.getRegistry().bind("metricsRegistry", named);
        start("named", "t-" + UUID.randomUUID(), server.apiKey());
        assertThat(named.find("camel.fireflies.events.received").tag("routeId", "named").functionCounter()).isNotNull();
        assertThat(other.getMeters()).isEmpty();
    }

    @Test
    void withoutARegistryNothingIsMeasured() throws Exception {
        start("plain", "t-" + UUID.randomUUID(), server.apiKey());
        assertThat(MicrometerMetrics.find(context)).isNull();
        assertThat(FirefliesMetrics.bind(context, FirefliesMetrics.Source.graphql("x", java.util.Map.of())))
                .isSameAs(FirefliesMetrics.NONE);
    }
}
