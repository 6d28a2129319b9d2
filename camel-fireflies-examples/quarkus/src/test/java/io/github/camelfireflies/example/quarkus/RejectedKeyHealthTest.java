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
package io.github.camelfireflies.example.quarkus;

import java.net.URL;
import java.time.Duration;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Quarkus example configured with a key the server rejects: {@code /q/health}, as curl shows it, is DOWN and says
 * why, never showing the key.
 */
@QuarkusTest
@QuarkusTestResource(value = RejectedKeyResource.class, restrictToAnnotatedClass = true)
class RejectedKeyHealthTest {

    @TestHTTPResource("/q/health")
    URL health;

    @Test
    void healthIsDownAndSaysTheKeyWasRejected() {
        String body = await().atMost(Duration.ofSeconds(20))
                .until(() -> Http.get(health), h -> h.contains("\"consumer:live-captions.final\": true"));
        assertThat(body).contains("\"status\": \"DOWN\"", "\"consumer:live-captions\": \"DOWN\"",
                "\"consumer:live-captions.state\": \"FAILED\"");
        assertThat(body).contains("\"consumer:live-captions.last.error\": \"Authentication failed for transcript "
                                  + RejectedKeyResource.TRANSCRIPT + ": Invalid API key");
        assertThat(body).contains("\"consumer:live-captions.error.message\": \"Authentication failed");
        assertThat(body).doesNotContain(RejectedKeyResource.WRONG_KEY);
    }
}
