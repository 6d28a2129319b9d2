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

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The Kafka example against a real broker (single-node KRaft, started in this JVM on 127.0.0.1 from Kafka's own
 * classes): every transcript event of the simulated meeting lands on the topic, keyed by transcript id, as JSON, in
 * order. Read back with a plain Kafka consumer, independent of Camel.
 */
class KafkaExampleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void transcriptEventsLandOnTheTopicKeyedByTranscriptId() throws Exception {
        String topic = "captions-test";
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             MeetingSource source = MeetingSource.choose(null, null,
                     getClass().getClassLoader().getResource("meetings/smoke.jsonl"), false)) {
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> KafkaExample.run(source, broker.bootstrapServers(),
                    topic, new PrintStream(printed, true, StandardCharsets.UTF_8)));

            List<ConsumerRecord<String, String>> records = readAll(broker.bootstrapServers(), topic, 3);
            assertThat(records).extracting(ConsumerRecord::key).containsOnly(MeetingSource.SIMULATOR_TRANSCRIPT);
            List<String> values = new ArrayList<>();
            for (ConsumerRecord<String, String> r : records) {
                JsonNode v = JSON.readTree(r.value());
                assertThat(v.path("transcript_id").asText()).isEqualTo(MeetingSource.SIMULATOR_TRANSCRIPT);
                values.add(v.path("chunk_id").asText() + " " + v.path("speaker_name").asText() + ": "
                           + v.path("text").asText());
            }
            assertThat(values).containsExactly("c1 Alice: Hello", "c1 Alice: Hello everyone", "c2 Bob: Hi Alice 👋");
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("to Kafka topic " + topic);
    }

    /** Polls until {@code expected} records arrived or 30 s passed, and returns what arrived. */
    private static List<ConsumerRecord<String, String>> readAll(String brokers, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-example-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
