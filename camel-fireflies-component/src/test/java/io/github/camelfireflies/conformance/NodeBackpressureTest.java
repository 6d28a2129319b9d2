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
package io.github.camelfireflies.conformance;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.LiveConsumer;
import io.github.camelfireflies.testsupport.LiveRouteTestSupport;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a new user gets under load with the default options: a route that writes every event to a file, and the genuine
 * socket.io server writing a 300,001-event burst as fast as the socket takes it. The default {@code overflowPolicy}
 * ({@code BLOCK}) makes the slow route slow the reader, down to the server, instead of dropping: every event must reach
 * the file, once, in order.
 */
class NodeBackpressureTest extends LiveRouteTestSupport<NodeSocketIoServer> {

    private static final Logger LOG = LoggerFactory.getLogger(NodeBackpressureTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BURST = 300_001;

    @TempDir
    Path dir;

    @Override
    protected NodeSocketIoServer startServer() {
        return NodeSocketIoServer.start(); // Fireflies' heartbeat: pingInterval 25 s, pingTimeout 20 s
    }

    @Test
    void aBurstOf300001EventsToAFileWithDefaultOptionsLosesNothing() throws Exception {
        String tid = newTranscriptId();
        Path file = dir.resolve("events.jsonl");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // default options: only what says where to connect
                from("fireflies:live?transcriptId=" + tid + "&apiKey=RAW(" + server.apiKey() + ")&url=" + server.url()
                     + "&path=" + server.path() + "&exceptionHandler=#captor")
                        .routeId("burst")
                        .convertBodyTo(String.class)
                        .transform(body().append("\n"))
                        .to("file:" + dir + "?fileName=events.jsonl&fileExist=Append");
            }
        });
        context.start();
        LiveConsumer c = (LiveConsumer) context.getRoute("burst").getConsumer();
        await().atMost(Duration.ofSeconds(15)).until(() -> server.subscribers(tid) == 1);

        long t0 = System.nanoTime();
        NodeSocketIoServer.BurstResult sent = server.burst(tid, BURST, 60);
        assertThat(sent.sent()).isEqualTo(BURST);
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> c.getEventsDelivered() >= BURST);
        double seconds = (System.nanoTime() - t0) / 1e9;
        LOG.info("{} events to a file with default options in {} s ({} events/s); dropped {}, stalls {}, reconnects {}",
                BURST, String.format("%.1f", seconds), Math.round(BURST / seconds), c.getEventsDropped(),
                c.getRouteStalls(), c.getReconnects());

        assertThat(c.getEventsDropped()).isZero();
        assertThat(c.getRouteStalls()).isZero();
        assertThat(c.getReconnects()).isZero();
        // every event in the file, once, in the order sent
        long lines = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode event = JSON.readTree(line);
                assertThat(event.get("chunk_id").asText()).isEqualTo("c" + lines);
                lines++;
            }
        }
        assertThat(lines).isEqualTo(BURST);
        assertThat(errors.errors()).isEmpty();
    }
}
