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
package io.github.camelfireflies.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the whole harness with tiny counts (smoke mode) so that it cannot rot: every client of every section must
 * produce numbers. Says nothing about speed.
 */
class BenchSmokeTest {

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void smokeRunMeasuresEveryClient() throws Exception {
        Path out = Path.of("target/bench-smoke").toAbsolutePath();
        Harness.Results r = new Harness(Harness.Plan.of("smoke"), out).run();

        assertThat(r.burst).containsOnlyKeys(Harness.BURST_CLIENTS);
        r.burst.forEach((client, runs) -> {
            assertThat(runs).as(client).hasSize(1);
            JsonNode run = runs.get(0);
            assertThat(run.path("events").asLong()).as(client).isEqualTo(2_000);
            assertThat(Harness.eventsPerSecond(run)).as(client).isPositive();
            assertThat(Harness.cpuSecondsPerMillion(run)).as(client).isPositive();
            assertThat(run.path("dropped").asLong()).as(client).isZero();
            if (Harness.FILE_CLIENTS.contains(client)) {
                assertThat(run.path("lines").asLong()).as(client + ": lines written").isEqualTo(2_500);
                assertThat(run.path("linesExpected").asLong()).as(client).isEqualTo(2_500);
            }
            if (client.startsWith("camel")) { // the component's clients say where their CPU went, by kind of thread
                JsonNode byThread = run.path("cpuByThread");
                assertThat(byThread.isObject()).as(client + ": cpuByThread").isTrue();
                assertThat(List.of(ThreadCpu.JIT, ThreadCpu.GC, ThreadCpu.IO, ThreadCpu.ROUTE, ThreadCpu.OTHER))
                        .allSatisfy(k -> assertThat(byThread.path(k).isNumber()).as(client + ": " + k).isTrue());
            }
        });
        assertThat(r.serverSendRate.values()).allSatisfy(v -> assertThat(v).allSatisfy(rate -> assertThat(rate).isPositive()));

        assertThat(r.latency).containsOnlyKeys(Harness.LATENCY_CLIENTS);
        r.latency.forEach((client, j) -> {
            assertThat(j.path("p50Us").asDouble()).as(client).isPositive();
            assertThat(j.path("p99Us").asDouble()).as(client).isGreaterThanOrEqualTo(j.path("p50Us").asDouble());
            assertThat(j.path("p999Us").asDouble()).as(client).isGreaterThanOrEqualTo(j.path("p99Us").asDouble());
        });

        assertThat(r.scale).hasSize(Harness.SCALE_CLIENTS.size());
        assertThat(r.scale).allSatisfy(j -> {
            assertThat(j.path("heapBytes").asLong()).isPositive();
            assertThat(j.path("javaThreads").asInt()).isPositive();
            assertThat(j.path("eventsInWindow").asLong()).as("events of the slow stream").isPositive();
        });

        assertThat(r.jmh).containsOnlyKeys("CodecBenchmark.decodeBroadcast", "CodecBenchmark.decodePing",
                "CodecBenchmark.mapEvent", "CodecBenchmark.decodeAndMap", "CodecBenchmark.readBroadcast",
                "CodecBenchmark.scanBroadcast",
                "HeadersBenchmark.bindEvent", "HeadersBenchmark.bindEventOnDemand", "HeadersBenchmark.bindEventOnDemandThenRead",
                "HeadersBenchmark.bindEventWithExchange", "HeadersBenchmark.setHeaderEach", "TextFrameBenchmark.jettyStringAssembly",
                "TextFrameBenchmark.decodeOnce", "TextFrameBenchmark.eventJsonJackson", "TextFrameBenchmark.eventJsonByHand",
                "FileAppendBenchmark.camelFileProducer", "FileAppendBenchmark.jdkAppend", "LaneBenchmark.handOff",
                "LaneBenchmark.inPlace", "ChunkTrackerBenchmark.newChunk");
        assertThat(r.jmh.values()).allSatisfy(v -> assertThat(v[0]).isPositive());

        assertThat(Files.readString(out.resolve("results.md"))).contains("### Targets")
                .contains("no-op route: throughput above the JS client's")
                .contains("realistic route (convertBodyTo(String) + file append): CPU per event").contains("p99 under 1 ms");
        for (String f : new String[] { "results.md", "throughput.png", "latency.png", "scale-heap.png", "scale-threads.png" }) {
            assertThat(out.resolve(f)).isRegularFile();
            assertThat(Files.size(out.resolve(f))).as(f).isPositive();
        }
    }
}
