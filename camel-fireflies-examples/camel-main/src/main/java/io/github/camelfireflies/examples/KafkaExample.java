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

import java.io.PrintStream;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.main.Main;

/**
 * Transcript events to a Kafka topic, keyed by transcript id (so one meeting stays in one partition, in order). The
 * value is the event as JSON ({@code {"transcript_id":..,"chunk_id":..,"text":..,"speaker_name":..,...}}); every
 * revision of a segment is its own record.
 * <p>
 * {@code KAFKA_BROKERS} (default: a single-node broker started inside this JVM, deleted on exit) and
 * {@code KAFKA_TOPIC} (default {@value #DEFAULT_TOPIC}) choose where; the meeting is the simulated one unless
 * {@code FIREFLIES_API_KEY} and {@code FIREFLIES_TRANSCRIPT_ID} are set. A second route reads the topic back and
 * prints each record, to show what landed there.
 */
public final class KafkaExample {

    static final String DEFAULT_TOPIC = "fireflies.transcripts";

    private KafkaExample() {
    }

    public static void main(String[] args) throws Exception {
        String brokers = System.getenv("KAFKA_BROKERS");
        String topic = System.getenv().getOrDefault("KAFKA_TOPIC", DEFAULT_TOPIC);
        try (MeetingSource source = MeetingSource.fromEnvironment(false);
             EmbeddedKafkaBroker embedded = brokers == null || brokers.isBlank() ? EmbeddedKafkaBroker.start() : null) {
            run(source, embedded != null ? embedded.bootstrapServers() : brokers, topic, System.out);
        }
    }

    /** Runs until the simulated meeting has ended (a few idle seconds), or until the JVM is stopped (real API). */
    static void run(MeetingSource source, String brokers, String topic, PrintStream out) throws Exception {
        Main main = source.configure(new Main());
        main.addInitialProperty("camel.main.name", "fireflies-to-kafka");
        main.addInitialProperty("kafka.brokers", brokers);
        main.addInitialProperty("kafka.topic", topic);
        out.println("Transcript events of " + source.where() + " (transcript " + source.transcriptId() + ") to Kafka topic "
                    + topic + " at " + brokers + (source.isSimulated() ? "" : " (Ctrl-C to stop)"));
        if (source.isSimulated()) {
            main.configure().withDurationMaxIdleSeconds(5);
        }
        main.configure().addRoutesBuilder(new TranscriptsToKafkaRoute(MeetingSource.ENDPOINT_URI));
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("kafka:{{kafka.topic}}?brokers={{kafka.brokers}}&groupId=fireflies-example-reader"
                     + "&autoOffsetReset=earliest")
                        .routeId("read-topic-back")
                        .process(e -> out.println("  " + topic + " [" + e.getMessage().getHeader(KafkaConstants.KEY)
                                                  + "] " + e.getMessage().getBody(String.class)));
            }
        });
        main.run();
    }
}
