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
package io.github.camelfireflies.internal.graphql;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The client's {@code active_meetings} against the simulator's GraphQL endpoint (the API's schema). */
class FirefliesGraphQLClientSimulatorTest {

    @Test
    void listsTheMeetingsInProgress() throws Exception {
        FirefliesSimulator.Builder b = FirefliesSimulator.builder().apiKey("main-key")
                .activeMeeting("m-1", "Planning", "pat@example.com", Duration.ZERO, null)
                .activeMeeting("m-2", "Later", "lee@example.com", Duration.ofHours(1), Duration.ofHours(2));
        try (FirefliesSimulator sim = b.start()) {
            FirefliesGraphQLClient client = new FirefliesGraphQLClient(URI.create(sim.graphqlUrl()),
                    ApiKey.of("main-key"), Duration.ofSeconds(10), Duration.ofSeconds(10), Runnable::run);
            List<ActiveMeeting> listed = client.activeMeetings(null, null);
            assertThat(listed).extracting(ActiveMeeting::id, ActiveMeeting::title, ActiveMeeting::organizerEmail)
                    .containsExactly(tuple("m-1", "Planning", "pat@example.com"));
        }
    }
}
