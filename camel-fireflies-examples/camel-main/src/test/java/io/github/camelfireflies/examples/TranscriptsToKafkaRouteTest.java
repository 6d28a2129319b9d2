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

import java.util.Properties;

import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.simulator.junit.FirefliesSimulatorExtension;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka example's route without a broker: AdviceWith swaps the Kafka sink for a mock, so the test checks what
 * would be sent (key and JSON value) against the simulated stand-up. {@code KafkaExampleTest} runs the whole example
 * against a real broker.
 */
class TranscriptsToKafkaRouteTest extends CamelTestSupport {

    @RegisterExtension
    static FirefliesSimulatorExtension fireflies = FirefliesSimulatorExtension.builder()
            .meeting("standup", "meetings/standup.jsonl")
            .build();

    @Override
    public boolean isUseAdviceWith() {
        return true; // the test advises the route, then starts the context
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.setProperty("kafka.topic", "fireflies.transcripts");
        p.setProperty("kafka.brokers", "127.0.0.1:1"); // never used: the sink is replaced
        return p;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new TranscriptsToKafkaRoute(fireflies.endpointUri("standup"));
    }

    @Test
    void eachEventIsSentAsJsonKeyedByItsTranscriptId() throws Exception {
        AdviceWith.adviceWith(context, TranscriptsToKafkaRoute.ROUTE_ID,
                a -> a.weaveByToUri("kafka:*").replace().to("mock:kafka"));
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        kafka.expectedMinimumMessageCount(4);
        kafka.allMessages().header(KafkaConstants.KEY).isEqualTo("standup");
        kafka.allMessages().body().isInstanceOf(String.class);
        kafka.allMessages().body().startsWith("{\"transcript_id\":\"standup\",\"chunk_id\":");
        kafka.message(0).header(FirefliesConstants.SPEAKER_NAME).isNotNull();
        kafka.setResultWaitTime(20_000);
        context.start();
        kafka.assertIsSatisfied();
    }
}
