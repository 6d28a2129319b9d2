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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Smoke test of the discovery example: with no key it starts the simulator with a schedule of two short meetings, finds
 * them by polling, prints each one's start, finished segments and end, and stops by itself after the last one ended.
 */
class DiscoveryCaptionsExampleTest {

    private static MeetingSource.ScheduledMeeting meeting(String id, String title, String organizer, long startMs,
                                                          long endMs) {
        return new MeetingSource.ScheduledMeeting(id, title, organizer,
                DiscoveryCaptionsExampleTest.class.getClassLoader().getResource("meetings/" + id + ".jsonl"),
                Duration.ofMillis(startMs), Duration.ofMillis(endMs));
    }

    @Test
    void printsTwoScheduledMeetingsFromStartToEndAndStops() {
        List<MeetingSource.ScheduledMeeting> schedule = List.of(
                meeting("alpha", "Alpha sync", "alice@example.com", 0, 3000),
                meeting("beta", "Beta review", "chloe@example.com", 1500, 4500));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> DiscoveryCaptionsExample.run(null,
                Duration.ofMinutes(1), schedule, Duration.ofMillis(300), out));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).startsWith("No FIREFLIES_API_KEY set: 2 simulated meetings");
        // the meetings overlap, so their lines interleave: each one in its own order
        assertThat(printed.lines().filter(l -> l.startsWith("[Alpha sync] "))).containsExactly(
                "[Alpha sync] -- meeting started (alice@example.com)",
                "[Alpha sync] Alice: Hello everyone",
                "[Alpha sync] Bob: Hi Alice",
                "[Alpha sync] -- meeting ended");
        assertThat(printed.lines().filter(l -> l.startsWith("[Beta review] "))).containsExactly(
                "[Beta review] -- meeting started (chloe@example.com)",
                "[Beta review] Chloé: Design review ✅",
                "[Beta review] Dev: Looks good",
                "[Beta review] -- meeting ended");
        // alpha is found before beta starts and ends before beta does
        List<String> lines = printed.lines().toList();
        assertThat(lines.indexOf("[Alpha sync] -- meeting started (alice@example.com)"))
                .isLessThan(lines.indexOf("[Beta review] -- meeting started (chloe@example.com)"));
        assertThat(lines.indexOf("[Alpha sync] -- meeting ended"))
                .isLessThan(lines.indexOf("[Beta review] -- meeting ended"));
        assertThat(lines).hasSize(9).noneMatch(l -> l.contains(MeetingSource.SIMULATOR_KEY));
    }
}
