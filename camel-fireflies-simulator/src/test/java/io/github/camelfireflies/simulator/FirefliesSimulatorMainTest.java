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
package io.github.camelfireflies.simulator;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line's {@code --active-meeting} schedule, as the GraphQL endpoint then lists it. */
class FirefliesSimulatorMainTest {

    @Test
    void activeMeetingFlagsListMeetingsOnTheGraphQLEndpoint() throws Exception {
        FirefliesSimulator.Builder b = FirefliesSimulator.builder().apiKey("main-key");
        FirefliesSimulatorMain.activeMeeting(b, "m-1, Planning ,pat@example.com,0,");
        FirefliesSimulatorMain.activeMeeting(b, "m-2,Later,lee@example.com,3600,7200");
        try (FirefliesSimulator sim = b.start()) {
            GraphQLHttp.Response resp = GraphQLHttp.query(sim,
                    "{ active_meetings { id title organizer_email } }", Map.of());
            assertThat(resp.status()).isEqualTo(200);
            JsonNode listed = resp.json().path("data").path("active_meetings");
            // m-2 starts in an hour: not in progress yet
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).path("id").asText()).isEqualTo("m-1");
            assertThat(listed.get(0).path("title").asText()).isEqualTo("Planning");
            assertThat(listed.get(0).path("organizer_email").asText()).isEqualTo("pat@example.com");
        }
    }

    @Test
    void aMalformedActiveMeetingIsRefused() {
        FirefliesSimulator.Builder b = FirefliesSimulator.builder();
        assertThatThrownBy(() -> FirefliesSimulatorMain.activeMeeting(b, "m-1,Planning,0,10"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id,title,organizer");
        assertThatThrownBy(() -> FirefliesSimulatorMain.activeMeeting(b, "m-1,Planning,pat@example.com,soon,"))
                .isInstanceOf(NumberFormatException.class);
    }
}
