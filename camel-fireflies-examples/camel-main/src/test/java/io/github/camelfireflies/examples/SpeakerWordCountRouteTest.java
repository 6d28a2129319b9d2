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
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a user tests a route of their own with the simulator: Camel's {@link CamelTestSupport} runs the route, the
 * simulator's JUnit 5 extension plays a scripted stand-up for the transcript id, and the outcome is checked on a mock.
 */
class SpeakerWordCountRouteTest extends CamelTestSupport {

    @RegisterExtension
    static FirefliesSimulatorExtension fireflies = FirefliesSimulatorExtension.builder()
            .meeting("standup", "meetings/standup.jsonl")
            .build();

    @Override
    public boolean isUseAdviceWith() {
        return true; // each test starts the context, after advising the route when it needs to
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        // fireflies:live?transcriptId=standup&url=ws://127.0.0.1:<port>&path=/ws/realtime&apiKey=RAW(test-key)
        return new SpeakerWordCountRoute(fireflies.endpointUri("standup"), "Alice", "mock:alice");
    }

    @Test
    void keepsAlicesCaptionsAndCountsTheirWords() throws Exception {
        MockEndpoint alice = getMockEndpoint("mock:alice");
        alice.expectedBodiesReceived("Yesterday I fixed", "Yesterday I fixed the login bug", "Today: release notes");
        alice.expectedHeaderValuesReceivedInAnyOrder(SpeakerWordCountRoute.WORDS, 3, 6, 3);
        alice.setResultWaitTime(20_000);
        context.start();
        alice.assertIsSatisfied();
    }

    @Test
    void eventsSentByTheTestReachTheRouteToo(FirefliesSimulator simulator) throws Exception {
        // a transcript id without a script: the meeting is whatever the test sends
        AdviceWith.adviceWith(context, "speaker-word-count", a -> a.replaceFromWith(fireflies.endpointUri("adhoc")));
        context.start();
        assertThat(simulator.awaitSubscribers("adhoc", 1, Duration.ofSeconds(20))).isTrue();
        MockEndpoint alice = getMockEndpoint("mock:alice");
        alice.expectedBodiesReceived("one two three four");
        alice.expectedHeaderReceived(SpeakerWordCountRoute.WORDS, 4);
        alice.setResultWaitTime(20_000);
        simulator.emitTranscription("adhoc", "x1", "Bob", "not counted", 0, 1);
        simulator.emitTranscription("adhoc", "x2", "Alice", "one two three four", 1, 2);
        alice.assertIsSatisfied();
    }
}
