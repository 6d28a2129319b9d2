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

import java.io.PrintStream;
import java.net.URL;
import java.util.Objects;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The demo: live captions of a meeting in the terminal.
 * <ul>
 * <li>With {@code FIREFLIES_API_KEY} and {@code FIREFLIES_TRANSCRIPT_ID} set, it follows that meeting on the real
 * Fireflies Realtime API until Ctrl-C.</li>
 * <li>Otherwise it starts the simulator on 127.0.0.1 with a scripted meeting and stops a few seconds after the meeting
 * ends. No API key needed.</li>
 * </ul>
 */
public final class LiveCaptionsDemo {

    static final String DEMO_KEY = "demo-key";
    static final String DEMO_TRANSCRIPT = "demo-meeting";

    private LiveCaptionsDemo() {
    }

    public static void main(String[] args) throws Exception {
        run(System.getenv("FIREFLIES_API_KEY"), System.getenv("FIREFLIES_TRANSCRIPT_ID"),
                LiveCaptionsDemo.class.getClassLoader().getResource("meetings/demo.jsonl"), System.out,
                System.console() != null);
    }

    /**
     * Runs the demo until the meeting ends (simulator) or the JVM is asked to stop (real API).
     *
     * @param script the meeting the simulator plays when no API key is given
     */
    static void run(String apiKey, String transcriptId, URL script, PrintStream out, boolean terminal) throws Exception {
        boolean real = apiKey != null && !apiKey.isBlank() && transcriptId != null && !transcriptId.isBlank();
        FirefliesSimulator simulator = null;
        Main main = new Main();
        if (real) {
            out.println("Following transcript " + transcriptId + " on the Fireflies Realtime API (Ctrl-C to stop)");
            main.addInitialProperty("fireflies.url", "wss://api.fireflies.ai");
            main.addInitialProperty("fireflies.path", "/ws/realtime");
            main.addInitialProperty("camel.component.fireflies.api-key", apiKey);
        } else {
            simulator = FirefliesSimulator.builder()
                    .apiKey(DEMO_KEY)
                    .defaultMeeting(Objects.requireNonNull(script, "demo meeting script not found"))
                    .build()
                    .start();
            transcriptId = DEMO_TRANSCRIPT;
            out.println("No FIREFLIES_API_KEY / FIREFLIES_TRANSCRIPT_ID set: live captions of a simulated meeting at "
                        + simulator.url() + simulator.path());
            main.addInitialProperty("fireflies.url", simulator.url());
            main.addInitialProperty("fireflies.path", simulator.path());
            main.addInitialProperty("camel.component.fireflies.api-key", DEMO_KEY);
            // the simulated meeting ends by itself: leave once nothing has arrived for a while
            main.configure().withDurationMaxIdleSeconds(4);
        }
        main.addInitialProperty("fireflies.transcript-id", transcriptId);
        main.addInitialProperty("camel.main.name", "fireflies-live-captions");
        CaptionPrinter printer = new CaptionPrinter(out, terminal);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("fireflies:live?transcriptId={{fireflies.transcript-id}}&url={{fireflies.url}}&path={{fireflies.path}}")
                        .routeId("live-captions")
                        .process(printer);
            }
        });
        try {
            main.run();
        } finally {
            printer.finish();
            if (simulator != null) {
                simulator.close();
            }
        }
    }
}
