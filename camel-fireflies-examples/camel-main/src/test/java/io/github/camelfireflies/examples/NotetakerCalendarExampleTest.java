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
import java.util.List;
import java.util.Map;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The calendar of five meetings against the simulator: three addToLiveMeeting calls are sent, the 4th and 5th are
 * held back by the key's rate budget (3 per 20 minutes) and never reach the server.
 */
class NotetakerCalendarExampleTest {

    @Test
    void threeMeetingsAreJoinedAndTheRestHeldBackWithoutARequest() throws Exception {
        List<Map<String, Object>> meetings = NotetakerCalendarExample.readCalendar(null);
        assertThat(meetings).hasSize(5).allSatisfy(m -> assertThat(m).containsKeys("meeting_link", "title"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (FirefliesSimulator sim = FirefliesSimulator.builder().apiKey(MeetingSource.SIMULATOR_KEY).start()) {
            assertTimeoutPreemptively(Duration.ofSeconds(90), () -> NotetakerCalendarExample.run(
                    MeetingSource.SIMULATOR_KEY, sim.graphqlUrl(), Duration.ZERO, meetings, out));
            assertThat(sim.graphqlRequests("addToLiveMeeting")).isEqualTo(3);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines().filter(l -> l.startsWith("Notetaker sent to ")).map(l -> l.split(":")[0]))
                .containsExactly("Notetaker sent to Weekly sync", "Notetaker sent to Design review",
                        "Notetaker sent to Customer call");
        assertThat(printed.lines().filter(l -> l.startsWith("Held back, not sent: ")))
                .hasSize(2)
                .allSatisfy(l -> assertThat(l).contains("addToLiveMeeting", "3 per 20 minutes", "frees at"));
        assertThat(printed).doesNotContain(MeetingSource.SIMULATOR_KEY);
    }
}
