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

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.api.WebSocketProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the provider comparison with tiny counts (one round, three subscriptions) so that it cannot rot: every provider
 * must produce every number. Says nothing about speed.
 */
class ProviderComparisonSmokeTest {

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void smokeRunMeasuresEveryProvider() throws Exception {
        Path out = Path.of("target/providers-smoke").toAbsolutePath();
        ProviderComparison c = new ProviderComparison(ProviderComparison.Plan.of("smoke"), out.resolve("logs"));
        ProviderComparison.Results r = c.run();

        List<WebSocketProvider> all = List.of(WebSocketProvider.values());
        assertThat(r.burst).containsOnlyKeys(all);
        r.burst.forEach((p, runs) -> {
            assertThat(runs).as(p.name()).hasSize(1);
            assertThat(runs.get(0).path("events").asLong()).as(p.name()).isEqualTo(1_000);
            assertThat(Harness.cpuSecondsPerMillion(runs.get(0))).as(p.name()).isPositive();
        });
        r.scale.forEach((p, runs) -> assertThat(runs).as(p.name()).singleElement().satisfies(j -> {
            assertThat(j.path("connected").asInt()).isEqualTo(3);
            assertThat(j.path("eventsTotal").asLong()).as("three events to each subscription").isEqualTo(9);
            assertThat(j.path("heapBytes").asLong()).isPositive();
        }));
        assertThat(r.left.get(WebSocketProvider.JETTY)).singleElement()
                .satisfies(j -> assertThat(j.path("count").asInt()).as(j.toString()).isZero());
        assertThat(r.left.get(WebSocketProvider.TOMCAT)).singleElement()
                .satisfies(j -> assertThat(j.path("count").asInt()).as(j.toString()).isZero());
        assertThat(r.jars.get(WebSocketProvider.JETTY)).isNotEmpty();
        assertThat(c.markdown()).contains("| jetty |", "| tomcat |", "| tyrus |");
    }
}
