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
 * AskFred on meeting.transcribed without a key: the simulator's signed webhook reaches the app, the question goes to
 * the simulator's GraphQL engine, and the answer is written to a file named after the meeting.
 */
class AskFredExampleTest {

    @Test
    void theAnswerToWhatWasDecidedIsWrittenForEachTranscribedMeeting(@TempDir Path dir) throws Exception {
        List<MeetingSource.ScheduledMeeting> schedule = List.of(new MeetingSource.ScheduledMeeting("weekly-sync",
                "Weekly sync", "alice@example.com", getClass().getClassLoader().getResource("meetings/weekly-sync.jsonl"),
                Duration.ofSeconds(1), Duration.ofSeconds(8)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertTimeoutPreemptively(Duration.ofSeconds(90),
                () -> AskFredExample.run(null, null, 0, schedule, dir, out));

        Path file = dir.resolve("weekly-sync.txt");
        assertThat(file).exists();
        String text = Files.readString(file);
        assertThat(text).startsWith("Q: What was decided?\nA: ");
        assertThat(text.substring("Q: What was decided?\nA: ".length()).trim()).isNotEmpty();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[weekly-sync] AskFred: Q: What was decided?")
                .doesNotContain(MeetingSource.SIMULATOR_KEY);
    }
}
