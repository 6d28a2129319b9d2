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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The YAML route on the fireflies-source Kamelet, run by Camel Main, prints the captions of a simulated meeting. */
class KameletCaptionsExampleTest {

    @Test
    void theKameletRoutePrintsTheCaptionsOfTheSimulatedMeeting() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (MeetingSource source = MeetingSource.choose(null, null,
                    getClass().getClassLoader().getResource("meetings/smoke.jsonl"), false)) {
                YamlCaptionsExample.run(source, out, false, KameletCaptionsExample.ROUTES);
            }
        });
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).startsWith("YAML route classpath:routes/kamelet-captions.yaml: live captions of a simulated");
        assertThat(printed.lines().skip(1)).containsExactly(
                "Alice: Hello",
                "  ~ Alice: Hello everyone",
                "Bob: Hi Alice 👋");
    }
}
