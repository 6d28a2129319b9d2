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
        try (MeetingSource source = MeetingSource.choose(apiKey, transcriptId, script, false)) {
            Main main = source.configure(new Main());
            if (source.isSimulated()) {
                out.println("No FIREFLIES_API_KEY / FIREFLIES_TRANSCRIPT_ID set: live captions of a simulated meeting at "
                            + source.where());
                // the simulated meeting ends by itself: leave once nothing has arrived for a while
                main.configure().withDurationMaxIdleSeconds(4);
            } else {
                out.println("Following transcript " + source.transcriptId()
                            + " on the Fireflies Realtime API (Ctrl-C to stop)");
            }
            main.addInitialProperty("camel.main.name", "fireflies-live-captions");
            CaptionPrinter printer = new CaptionPrinter(out, terminal);
            main.configure().addRoutesBuilder(new RouteBuilder() {
                @Override
                public void configure() {
                    from(MeetingSource.ENDPOINT_URI)
                            .routeId("live-captions")
                            .process(printer);
                }
            });
            try {
                main.run();
            } finally {
                printer.finish();
            }
        }
    }
}
