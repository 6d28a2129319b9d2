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

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The meters of fireflies:meetings and fireflies:graphql, against the simulator's GraphQL endpoint. */
class MeetingsMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private FirefliesSimulator sim;
    private CamelContext context;

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static double count(SimpleMeterRegistry registry, String name, String... tags) {
        FunctionCounter c = registry.find(name).tags(tags).functionCounter();
        return c == null ? -1 : c.count();
    }

    @Test
    void pollsStreamsAndCallsAreCounted() throws Exception {
        sim = FirefliesSimulator.builder().apiKey("metrics-key")
                .meeting("mm-1", MeetingScript.load(getClass().getClassLoader().getResource("meetings/extension-test.jsonl")))
                .activeMeeting("mm-1", "Metered", "alice@example.com", Duration.ZERO, null)
                .start();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        context = new DefaultCamelContext();
        context.getRegistry().bind("metricsRegistry", registry);
        String options = "apiKey=RAW(metrics-key)&url=" + sim.url() + "&graphqlUrl=" + sim.graphqlUrl();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("fireflies:meetings?pollInterval=300&" + options).routeId("every-meeting").to("mock:events");
                from("direct:ask").routeId("ask").to("fireflies:graphql?operation=activeMeetings&" + options);
            }
        });
        context.start();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(count(registry, "camel.fireflies.events.delivered", "routeId", "every-meeting", "type", "meetings"))
                    .isGreaterThanOrEqualTo(3.0);
            assertThat(count(registry, "camel.fireflies.events.received", "routeId", "every-meeting"))
                    .isGreaterThanOrEqualTo(3.0);
            assertThat(count(registry, "camel.fireflies.graphql.calls", "routeId", "every-meeting", "operation", "poll"))
                    .isGreaterThanOrEqualTo(1.0);
        });
        assertThat(count(registry, "camel.fireflies.graphql.calls", "routeId", "every-meeting", "operation",
                "backfill")).isGreaterThanOrEqualTo(0.0);
        assertThat(registry.find("camel.fireflies.connections").tag("routeId", "every-meeting").gauges()).hasSize(7);
        assertThat(registry.find("camel.fireflies.event.age").tag("routeId", "every-meeting").timer().count())
                .isGreaterThanOrEqualTo(3);

        context.createProducerTemplate().sendBody("direct:ask", null);
        assertThat(count(registry, "camel.fireflies.graphql.calls", "type", "graphql", "operation", "activeMeetings"))
                .isEqualTo(1.0);
    }
}
