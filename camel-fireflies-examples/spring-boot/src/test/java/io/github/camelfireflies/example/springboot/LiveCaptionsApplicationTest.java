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
package io.github.camelfireflies.example.springboot;

import java.time.Duration;
import java.util.List;

import io.github.camelfireflies.FirefliesComponent;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example app against the simulator started here (not the app's own: an API key is set), configured only through
 * properties: it streams a short scripted meeting into the route, Actuator's health shows the consumer's check, and
 * Actuator's metrics endpoint, over HTTP, the component's meters.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "captions.to=mock:captions")
class LiveCaptionsApplicationTest {

    private static final String KEY = "spring-test-key";
    private static final String TRANSCRIPT = "spring-meeting";
    private static final FirefliesSimulator SIMULATOR = FirefliesSimulator.builder()
            .apiKey(KEY)
            .meeting(TRANSCRIPT, MeetingScript.load(
                    LiveCaptionsApplicationTest.class.getClassLoader().getResource("meetings/smoke.jsonl")))
            .build()
            .start();

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("camel.component.fireflies.api-key", () -> KEY);
        registry.add("camel.component.fireflies.url", SIMULATOR::url);
        registry.add("camel.component.fireflies.path", SIMULATOR::path);
        registry.add("fireflies.transcript-id", () -> TRANSCRIPT);
    }

    @AfterAll
    static void stopSimulator() {
        SIMULATOR.close();
    }

    @Autowired
    CamelContext camelContext;

    @Autowired
    HealthEndpoint health;

    @LocalServerPort
    int port;

    @Autowired(required = false)
    FirefliesSimulator appsOwnSimulator;

    @EndpointInject("mock:captions")
    MockEndpoint captions;

    @Test
    void streamsTheScriptedMeetingThroughTheRouteAndReportsHealth() throws Exception {
        assertThat(appsOwnSimulator).as("with an API key set the app starts no simulator").isNull();
        assertThat(camelContext.getComponent("fireflies", FirefliesComponent.class).getConfiguration().getUrl())
                .isEqualTo(SIMULATOR.url());

        captions.expectedMessageCount(3);
        captions.setResultWaitTime(20_000);
        captions.assertIsSatisfied();
        List<String> lines = captions.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getBody(TranscriptionEvent.class))
                .map(e -> e.speakerName() + ": " + e.text())
                .toList();
        assertThat(lines).containsExactly("Alice: Hello", "Alice: Hello everyone", "Bob: Hi Alice 👋");
        assertThat(captions.getReceivedExchanges().get(0).getMessage().getHeader("CamelFirefliesTranscriptId"))
                .isEqualTo(TRANSCRIPT);
        assertThat(SIMULATOR.connectAttempts(TRANSCRIPT)).isGreaterThanOrEqualTo(1);

        // Actuator: Camel's health contributor shows the fireflies consumer's own check through consumer:<routeId>.
        // This meeting was ended by the server (41), so the consumer reports DOWN for good, and says why.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HealthComponent camel = ((CompositeHealth) health.health()).getComponents().get("camelHealth");
            assertThat(camel).as("camelHealth").isNotNull();
            String shown = camel.toString();
            assertThat(shown).contains("consumer:live-captions=DOWN", "transcript.id=" + TRANSCRIPT, "state=ENDED",
                    "events.delivered=3");
            assertThat(shown).doesNotContain(KEY);
            assertThat(camel.getStatus()).isEqualTo(Status.DOWN);
        });

        // Micrometer: the component's meters, with no code of the app's, at /actuator/metrics
        String names = Http.get(port, "/actuator/metrics");
        assertThat(names).contains("camel.fireflies.events.received", "camel.fireflies.events.delivered",
                "camel.fireflies.events.dropped", "camel.fireflies.events.backfilled", "camel.fireflies.reconnects",
                "camel.fireflies.graphql.calls", "camel.fireflies.connections", "camel.fireflies.event.age");
        assertThat(Http.get(port, "/actuator/metrics/camel.fireflies.events.delivered?tag=routeId:live-captions"))
                .contains("\"statistic\":\"COUNT\",\"value\":3.0");
        assertThat(Http.get(port, "/actuator/metrics/camel.fireflies.event.age?tag=routeId:live-captions"))
                .contains("\"statistic\":\"COUNT\",\"value\":3.0");
    }
}
