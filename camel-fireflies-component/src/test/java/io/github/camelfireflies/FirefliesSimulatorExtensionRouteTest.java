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

import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.junit.FirefliesSimulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A fireflies:live route against the simulator's JUnit 5 extension: its endpoint URI and its scripted meetings. */
class FirefliesSimulatorExtensionRouteTest {

    @RegisterExtension
    static FirefliesSimulatorExtension fireflies = FirefliesSimulatorExtension.builder()
            .script("meetings/extension-test.jsonl")
            .apiKey("ext-key")
            .pingInterval(Duration.ofSeconds(2))
            .pingTimeout(Duration.ofSeconds(2))
            .build();

    private CamelContext camel;

    @BeforeEach
    void camel() {
        camel = new DefaultCamelContext();
    }

    @AfterEach
    void stopCamel() throws Exception {
        camel.close();
    }

    private MockEndpoint route(String transcriptId) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(fireflies.endpointUri(transcriptId)).to("mock:captions");
            }
        });
        camel.start();
        return camel.getEndpoint("mock:captions", MockEndpoint.class);
    }

    @Test
    void aRouteReceivesTheScriptedMeeting() throws Exception {
        MockEndpoint mock = route("standup");
        mock.expectedMessageCount(3);
        mock.setResultWaitTime(20_000);
        mock.assertIsSatisfied();
        List<String> texts = mock.getExchanges().stream()
                .map(e -> e.getMessage().getBody(TranscriptionEvent.class))
                .map(e -> e.transcriptId() + "/" + e.chunkId() + " " + e.speakerName() + ": " + e.text())
                .toList();
        assertThat(texts).containsExactly(
                "standup/c1 Alice: Good", "standup/c1 Alice: Good morning", "standup/c2 Bob: Morning!");
    }

    @Test
    void theSimulatorCanBeInjectedAndSteered(FirefliesSimulator sim) throws Exception {
        assertThat(sim).isSameAs(fireflies.simulator());
        MockEndpoint mock = route("steered");
        assertThat(sim.awaitSubscribers("steered", 1, Duration.ofSeconds(20))).isTrue();
        mock.expectedMinimumMessageCount(4);
        mock.setResultWaitTime(20_000);
        sim.emitTranscription("steered", "x9", "Carol", "from the test", 2.0, 2.5);
        mock.assertIsSatisfied();
        assertThat(mock.getExchanges()).extracting(e -> e.getMessage().getBody(TranscriptionEvent.class).text())
                .contains("from the test");
    }
}
