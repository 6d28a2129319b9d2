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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Smoke test of the webhook example: with no key it starts the simulator with two short meetings; their
 * {@code meeting.bot_joined} webhooks make the app follow them (polling off), it prints their finished segments, and on
 * {@code meeting.transcribed} it writes each finished transcript to a file, then stops by itself.
 */
class WebhookMeetingsExampleTest {

    @TempDir
    Path dir;

    private static MeetingSource.ScheduledMeeting meeting(String id, String title, long startMs, long endMs) {
        return new MeetingSource.ScheduledMeeting(id, title, "someone@example.com",
                WebhookMeetingsExampleTest.class.getClassLoader().getResource("meetings/" + id + ".jsonl"),
                Duration.ofMillis(startMs), Duration.ofMillis(endMs));
    }

    @Test
    void followsEachMeetingFromItsBotJoinedAndWritesItsTranscriptWhenTranscribed() throws Exception {
        List<MeetingSource.ScheduledMeeting> schedule = List.of(
                meeting("alpha", "Alpha sync", 300, 3000),
                meeting("beta", "Beta review", 1000, 4000));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> WebhookMeetingsExample.run(null, null, 0, null, 0, schedule, dir, out));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).startsWith("No FIREFLIES_API_KEY set: 2 simulated meetings; the simulator sends signed"
                                       + " webhooks to http://127.0.0.1:");
        assertThat(printed.lines().filter(l -> l.startsWith("[alpha] "))).containsExactly(
                "[alpha] -- meeting started",
                "[alpha] Alice: Hello everyone",
                "[alpha] Bob: Hi Alice",
                "[alpha] -- meeting ended",
                "[alpha] -- transcript \"Alpha sync\" (2 sentences) written to " + dir.resolve("alpha.txt"));
        assertThat(printed.lines().filter(l -> l.startsWith("[beta] "))).containsExactly(
                "[beta] -- meeting started",
                "[beta] Chloé: Design review ✅",
                "[beta] Dev: Looks good",
                "[beta] -- meeting ended",
                "[beta] -- transcript \"Beta review\" (2 sentences) written to " + dir.resolve("beta.txt"));
        assertThat(Files.readString(dir.resolve("alpha.txt")))
                .isEqualTo("# Alpha sync\n\nAlice: Hello everyone\nBob: Hi Alice\n");
        assertThat(Files.readString(dir.resolve("beta.txt")))
                .isEqualTo("# Beta review\n\nChloé: Design review ✅\nDev: Looks good\n");
        assertThat(printed).doesNotContain(MeetingSource.SIMULATOR_KEY);
    }
}
