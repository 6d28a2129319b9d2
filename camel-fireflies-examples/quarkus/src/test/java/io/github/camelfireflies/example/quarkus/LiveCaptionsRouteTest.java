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
package io.github.camelfireflies.example.quarkus;

import java.net.URL;
import java.util.List;

import io.github.camelfireflies.FirefliesComponent;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Quarkus example (JVM mode) against a simulator, configured only through config properties
 * (camel.component.fireflies.*): the component jar is discovered, the properties bind, the meeting streams, and the
 * component's meters are in Quarkus' Prometheus endpoint.
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true)
class LiveCaptionsRouteTest {

    @Inject
    CamelContext camelContext;

    @Inject
    ExampleSimulator exampleSimulator;

    @TestHTTPResource("/q/metrics")
    URL metricsUrl;

    @Test
    void streamsTheScriptedMeetingThroughTheRoute() throws Exception {
        assertThat(exampleSimulator.isRunning()).as("with an API key set the app starts no simulator").isFalse();
        FirefliesComponent component = camelContext.getComponent("fireflies", FirefliesComponent.class);
        assertThat(component.getConfiguration().getPath()).isEqualTo("/ws/realtime");
        assertThat(component.getConfiguration().getUrl()).startsWith("ws://127.0.0.1:");
        assertThat(component.getConfiguration().getApiKey()).isEqualTo(SimulatorResource.KEY);

        MockEndpoint captions = camelContext.getEndpoint("mock:captions", MockEndpoint.class);
        captions.expectedMessageCount(3);
        captions.setResultWaitTime(20_000);
        captions.assertIsSatisfied();
        List<String> lines = captions.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getBody(TranscriptionEvent.class))
                .map(e -> e.speakerName() + ": " + e.text())
                .toList();
        assertThat(lines).containsExactly("Alice: Hello", "Alice: Hello everyone", "Bob: Hi Alice 👋");
        assertThat(captions.getReceivedExchanges().get(0).getMessage().getHeader("CamelFirefliesTranscriptId"))
                .isEqualTo(SimulatorResource.TRANSCRIPT);

        // Micrometer: the component found Quarkus' registry on its own; its meters are at /q/metrics
        String metrics = Http.get(metricsUrl);
        assertThat(metrics).contains("camel_fireflies_events_received_total", "camel_fireflies_events_dropped_total",
                "camel_fireflies_events_backfilled_total", "camel_fireflies_reconnects_total",
                "camel_fireflies_graphql_calls_total", "camel_fireflies_connections",
                "camel_fireflies_event_age_seconds_count");
        assertThat(metrics.lines().filter(l -> l.startsWith("camel_fireflies_events_delivered_total{")
                                               && l.contains("routeId=\"live-captions\"")))
                .singleElement().satisfies(l -> assertThat(l).endsWith(" 3.0"));
    }
}
