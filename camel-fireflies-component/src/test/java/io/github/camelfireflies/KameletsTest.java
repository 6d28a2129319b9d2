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

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kamelets shipped in the component jar ({@code classpath:kamelets}), run by camel-kamelet in a plain
 * CamelContext against the simulator: each event leaves as its JSON text, with the CamelFireflies* headers.
 */
class KameletsTest {

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

    private MockEndpoint run(String kameletUri) throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kameletUri).routeId("from-kamelet").to("mock:events");
            }
        });
        context.start();
        return context.getEndpoint("mock:events", MockEndpoint.class);
    }

    @Test
    void firefliesSourceFollowsOneMeeting() throws Exception {
        sim = FirefliesSimulator.builder().apiKey("kamelet-key")
                .meeting("k-1", MeetingScript.load(getClass().getClassLoader().getResource("meetings/extension-test.jsonl")))
                .start();
        MockEndpoint events = run("kamelet:fireflies-source?transcriptId=k-1&apiKey=RAW(kamelet-key)&url=" + sim.url());
        events.setResultWaitTime(WAIT.toMillis());
        events.expectedMinimumMessageCount(1);
        events.assertIsSatisfied();

        Exchange first = events.getReceivedExchanges().get(0);
        assertThat(first.getMessage().getBody()).isInstanceOf(String.class);
        String json = first.getMessage().getBody(String.class);
        assertThat(json).startsWith("{\"transcript_id\":\"k-1\",\"chunk_id\":").contains("\"text\":", "\"speaker_name\":");
        assertThat(first.getMessage().getHeaders()).containsEntry("CamelFirefliesTranscriptId", "k-1")
                .containsKeys("CamelFirefliesChunkId", "CamelFirefliesEvent", "CamelFirefliesChunkRevision");
    }

    @Test
    void firefliesMeetingsSourceFollowsEveryMeeting() throws Exception {
        sim = FirefliesSimulator.builder().apiKey("kamelet-key")
                .meeting("k-m1", MeetingScript.load(getClass().getClassLoader().getResource("meetings/extension-test.jsonl")))
                .activeMeeting("k-m1", "Kamelet review", "alice@example.com", Duration.ZERO, null)
                .start();
        MockEndpoint events = run("kamelet:fireflies-meetings-source?apiKey=RAW(kamelet-key)&url=" + sim.url()
                                  + "&graphqlUrl=" + sim.graphqlUrl() + "&pollInterval=500");
        events.setResultWaitTime(WAIT.toMillis());
        events.expectedMinimumMessageCount(1);
        events.assertIsSatisfied();

        Exchange first = events.getReceivedExchanges().get(0);
        assertThat(first.getMessage().getBody(String.class)).startsWith("{\"transcript_id\":\"k-m1\"");
        assertThat(first.getMessage().getHeaders()).containsEntry("CamelFirefliesTranscriptId", "k-m1")
                .containsEntry("CamelFirefliesMeetingTitle", "Kamelet review").containsKey("CamelFirefliesChunkId");
        assertThat(sim.graphqlRequests("active_meetings")).isPositive();
    }

    @Test
    void theKameletsCarryTheCatalogsMetadataAndTheContractsPropertyNames() throws Exception {
        String live = resource("kamelets/fireflies-source.kamelet.yaml");
        String meetings = resource("kamelets/fireflies-meetings-source.kamelet.yaml");
        for (String k : List.of(live, meetings)) {
            assertThat(k).contains("kind: Kamelet", "camel.apache.org/kamelet.type: \"source\"",
                    "camel.apache.org/kamelet.icon: \"data:image/svg+xml;base64,", "camel.apache.org/provider:",
                    "camel.apache.org/kamelet.support.level:", "title: ", "description: ", "format: password",
                    "- urn:camel:group:credentials", "\"camel:kamelet\"", "mvn:io.github.camelfireflies:camel-fireflies:")
                    .doesNotContain("@project.version@");
        }
        assertThat(live).contains("      transcriptId:\n", "      apiKey:\n", "      url:\n",
                "default: \"wss://api.fireflies.ai\"");
        assertThat(meetings).contains("      apiKey:\n", "      url:\n", "      graphqlUrl:\n", "      pollInterval:\n");
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = KameletsTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
