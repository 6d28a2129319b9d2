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

import io.github.camelfireflies.FirefliesConstants;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The route of {@link KafkaExample}: every transcript event of {@code from} to the Kafka topic {@code {{kafka.topic}}}
 * at {@code {{kafka.brokers}}}, keyed by transcript id (one meeting stays in one partition, in order), the value the
 * event's JSON.
 */
public class TranscriptsToKafkaRoute extends RouteBuilder {

    /** The id of the route. */
    public static final String ROUTE_ID = "transcripts-to-kafka";

    private final String from;

    public TranscriptsToKafkaRoute(String from) {
        this.from = from;
    }

    @Override
    public void configure() {
        from(from)
                .routeId(ROUTE_ID)
                .setHeader(KafkaConstants.KEY, header(FirefliesConstants.TRANSCRIPT_ID))
                .convertBodyTo(String.class)
                .to("kafka:{{kafka.topic}}?brokers={{kafka.brokers}}");
    }
}
