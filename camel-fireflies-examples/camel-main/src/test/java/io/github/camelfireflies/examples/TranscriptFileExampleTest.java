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

import io.github.camelfireflies.api.TranscriptionEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The transcript-file example against the simulator: one line per segment, its last revision, in order. */
class TranscriptFileExampleTest {

    @Test
    void writesEachSegmentOnceWithItsLastTextWhenTheMeetingEnds(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // smoke.jsonl: c1 "Hello" then "Hello everyone" (Alice), c2 "Hi Alice 👋" (Bob), then the meeting ends
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> TranscriptFileExample.run(null, null,
                getClass().getClassLoader().getResource("meetings/smoke.jsonl"), dir, out));
        Path file = dir.resolve(TranscriptFileExample.DEMO_TRANSCRIPT + ".txt");
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .isEqualTo("Alice: Hello everyone\nBob: Hi Alice 👋\n");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Writing the finished transcript of demo-meeting");

        List<String> jsonl = Files.readAllLines(dir.resolve(TranscriptFileExample.DEMO_TRANSCRIPT + ".jsonl"),
                StandardCharsets.UTF_8);
        assertThat(jsonl).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(jsonl.get(0));
        assertThat(first.get("chunk_id").asText()).isEqualTo("c1");
        assertThat(first.get("text").asText()).isEqualTo("Hello everyone");
        assertThat(first.get("speaker_name").asText()).isEqualTo("Alice");
        assertThat(first.get("revision").asInt()).isEqualTo(2);
        assertThat(first.get("correction").asBoolean()).isFalse();
        assertThat(json.readTree(jsonl.get(1)).get("text").asText()).isEqualTo("Hi Alice 👋");
    }

    @Test
    void linesNameTheSpeakerAndMarkCorrections() {
        TranscriptionEvent e = new TranscriptionEvent("t", "c", "two\nlines", null, 0.0, 1.0);
        assertThat(TranscriptFileExample.line(e, false)).isEqualTo("Unknown: two lines\n");
        assertThat(TranscriptFileExample.line(new TranscriptionEvent("t", "c", "x", "Ann", 0.0, 1.0), true))
                .isEqualTo("[correction] Ann: x\n");
    }
}
