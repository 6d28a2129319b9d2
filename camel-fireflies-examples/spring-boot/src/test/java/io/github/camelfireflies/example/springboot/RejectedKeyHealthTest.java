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
package io.github.camelfireflies.example.springboot;

import java.time.Duration;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import org.junit.jupiter.api.AfterAll;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example app configured with a key the server rejects ({@code auth.failed}): Actuator's health, over HTTP as
 * {@code curl localhost:8080/actuator/health} shows it, is DOWN and says why, never showing the key.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "captions.to=mock:captions")
class RejectedKeyHealthTest {

    private static final String WRONG_KEY = "wrong-key-" + System.nanoTime();
    private static final FirefliesSimulator SIMULATOR = FirefliesSimulator.builder()
            .apiKey("the-right-key")
            .meeting("rejected-meeting", MeetingScript.load(
                    RejectedKeyHealthTest.class.getClassLoader().getResource("meetings/smoke.jsonl")))
            .build()
            .start();

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("camel.component.fireflies.api-key", () -> WRONG_KEY);
        registry.add("camel.component.fireflies.url", SIMULATOR::url);
        registry.add("camel.component.fireflies.path", SIMULATOR::path);
        registry.add("fireflies.transcript-id", () -> "rejected-meeting");
    }

    @AfterAll
    static void stopSimulator() {
        SIMULATOR.close();
    }

    @LocalServerPort
    int port;

    @Test
    void healthIsDownAndSaysTheKeyWasRejected() {
        String health = await().atMost(Duration.ofSeconds(20))
                .until(() -> Http.get(port, "/actuator/health"), h -> h.contains("\"final\":\"true\""));
        assertThat(health).contains("\"status\":\"DOWN\"", "\"consumer:live-captions\":\"DOWN\"",
                "\"state\":\"FAILED\"");
        // the reason, in the details Actuator shows and as the error
        assertThat(health).contains("\"last.error\":\"Authentication failed for transcript rejected-meeting: Invalid API key");
        assertThat(health).contains("\"error.message\":\"Authentication failed for transcript rejected-meeting");
        assertThat(health).contains("\"reason\":\"Not receiving and not retrying: Authentication failed");
        assertThat(health).doesNotContain(WRONG_KEY);
    }
}
