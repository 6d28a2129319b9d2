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
package io.github.camelfireflies.simulator.junit;

import java.time.Duration;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FirefliesSimulatorExtensionTest {

    @RegisterExtension
    static FirefliesSimulatorExtension fireflies = FirefliesSimulatorExtension.builder()
            .apiKey("ext-key")
            .pingInterval(Duration.ofSeconds(2))
            .pingTimeout(Duration.ofSeconds(2))
            .build();

    @Test
    void theSimulatorCanBeInjected(FirefliesSimulator sim) {
        assertThat(sim).isSameAs(fireflies.simulator());
        assertThat(sim.isRunning()).isTrue();
    }

    @Test
    void coordinatesAndEndpointUri() {
        assertThat(fireflies.url()).matches("ws://127\\.0\\.0\\.1:\\d+");
        assertThat(fireflies.path()).isEqualTo("/ws/realtime");
        assertThat(fireflies.apiKey()).isEqualTo("ext-key");
        assertThat(fireflies.simulator().pingInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(fireflies.endpointUri("m-1")).isEqualTo("fireflies:live?transcriptId=m-1&url=" + fireflies.url()
                                                          + "&path=/ws/realtime&apiKey=RAW(ext-key)");
        assertThat(fireflies.endpointUri("m-1", "events=*")).endsWith("&apiKey=RAW(ext-key)&events=*");
    }

    @Test
    void onAnInstanceFieldItLivesForOneTest() {
        FirefliesSimulatorExtension perTest = FirefliesSimulatorExtension.builder().build();
        assertThatThrownBy(perTest::simulator).isInstanceOf(IllegalStateException.class);
        perTest.beforeEach(null);
        FirefliesSimulator first = perTest.simulator();
        assertThat(first.isRunning()).isTrue();
        assertThat(perTest.apiKey()).isEqualTo(FirefliesSimulatorExtension.DEFAULT_API_KEY);
        perTest.afterEach(null);
        assertThat(first.isRunning()).isFalse();
        assertThatThrownBy(perTest::simulator).isInstanceOf(IllegalStateException.class);
        perTest.beforeEach(null);
        assertThat(perTest.simulator()).isNotSameAs(first);
        assertThat(perTest.simulator().isRunning()).isTrue();
        perTest.afterEach(null);
        perTest.afterAll(null);
    }

    @Test
    void onAStaticFieldItLivesForTheClass() {
        FirefliesSimulatorExtension perClass = FirefliesSimulatorExtension.builder().build();
        perClass.beforeAll(null);
        FirefliesSimulator sim = perClass.simulator();
        perClass.beforeEach(null);
        perClass.afterEach(null);
        assertThat(sim.isRunning()).isTrue();
        assertThat(perClass.simulator()).isSameAs(sim);
        perClass.afterAll(null);
        assertThat(sim.isRunning()).isFalse();
    }

    @Test
    void aMissingScriptIsReportedWithItsName() {
        assertThatThrownBy(() -> FirefliesSimulatorExtension.builder().script("meetings/nope.jsonl"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("meetings/nope.jsonl");
    }
}
