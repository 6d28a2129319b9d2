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

import io.github.camelfireflies.api.TranscriptionEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Smoke test of the demo: it starts the simulator, prints the captions of a short meeting, and ends by itself. */
class LiveCaptionsDemoTest {

    @Test
    void printsLiveCaptionsOfTheSimulatedMeetingAndStops() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> LiveCaptionsDemo.run(null, null,
                getClass().getClassLoader().getResource("meetings/smoke.jsonl"), out, false));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("live captions of a simulated meeting");
        assertThat(printed.lines().filter(l -> !l.startsWith("No FIREFLIES"))).containsExactly(
                "Alice: Hello",
                "  ~ Alice: Hello everyone",
                "Bob: Hi Alice 👋");
    }

    @Test
    void onATerminalARevisionRewritesItsLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CaptionPrinter printer = new CaptionPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        CamelContext ctx = new DefaultCamelContext();
        try {
            for (String[] e : new String[][] { { "c1", "Hello" }, { "c1", "Hello all" }, { "c2", "Next" } }) {
                Exchange ex = new DefaultExchange(ctx);
                ex.getMessage().setBody(new TranscriptionEvent("t", e[0], e[1], "A", 0.0, 1.0));
                printer.process(ex);
            }
        } finally {
            ctx.close();
        }
        printer.finish();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("A: Hello\r\u001b[2KA: Hello all\nA: Next\n".replace("\n", System.lineSeparator()));
    }
}
