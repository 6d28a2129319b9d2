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
package io.github.camelfireflies.examples;

import java.time.Duration;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.junit.FirefliesSimulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a user tests a route of their own with the simulator's JUnit 5 extension: a scripted stand-up for the
 * transcript id, the route pointed at the simulator with {@code endpointUri(...)}, the outcome checked on a mock.
 */
class SpeakerWordCountRouteTest {

    @RegisterExtension
    static FirefliesSimulatorExtension fireflies = FirefliesSimulatorExtension.builder()
            .meeting("standup", "meetings/standup.jsonl")
            .build();

    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void keepsAlicesCaptionsAndCountsTheirWords() throws Exception {
        camel.addRoutes(new SpeakerWordCountRoute(fireflies.endpointUri("standup"), "Alice", "mock:alice"));
        MockEndpoint alice = camel.getEndpoint("mock:alice", MockEndpoint.class);
        alice.expectedBodiesReceived("Yesterday I fixed", "Yesterday I fixed the login bug", "Today: release notes");
        alice.expectedHeaderValuesReceivedInAnyOrder(SpeakerWordCountRoute.WORDS, 3, 6, 3);
        alice.setResultWaitTime(20_000);
        camel.start();
        alice.assertIsSatisfied();
    }

    @Test
    void eventsSentByTheTestReachTheRouteToo(FirefliesSimulator simulator) throws Exception {
        // a transcript id without a script: the meeting is whatever the test sends
        camel.addRoutes(new SpeakerWordCountRoute(fireflies.endpointUri("adhoc"), "Alice", "mock:adhoc"));
        camel.start();
        assertThat(simulator.awaitSubscribers("adhoc", 1, Duration.ofSeconds(20))).isTrue();
        MockEndpoint adhoc = camel.getEndpoint("mock:adhoc", MockEndpoint.class);
        adhoc.expectedBodiesReceived("one two three four");
        adhoc.expectedHeaderReceived(SpeakerWordCountRoute.WORDS, 4);
        adhoc.setResultWaitTime(20_000);
        simulator.emitTranscription("adhoc", "x1", "Bob", "not counted", 0, 1);
        simulator.emitTranscription("adhoc", "x2", "Alice", "one two three four", 1, 2);
        adhoc.assertIsSatisfied();
    }
}
