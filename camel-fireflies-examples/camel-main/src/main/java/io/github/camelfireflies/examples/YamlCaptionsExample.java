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

import org.apache.camel.main.Main;

/**
 * The live captions demo with its route in YAML ({@code src/main/resources/routes/captions.yaml}), run by Camel Main.
 * Like {@link LiveCaptionsDemo}: the simulated meeting unless {@code FIREFLIES_API_KEY} and
 * {@code FIREFLIES_TRANSCRIPT_ID} are set; with the simulator it stops a few seconds after the meeting ends.
 */
public final class YamlCaptionsExample {

    /** Where Camel Main finds the route. */
    static final String ROUTES = "classpath:routes/captions.yaml";

    private YamlCaptionsExample() {
    }

    public static void main(String[] args) throws Exception {
        try (MeetingSource source = MeetingSource.fromEnvironment(false)) {
            run(source, System.out, System.console() != null);
        }
    }

    /** Runs the YAML route until the simulated meeting has ended, or until the JVM is stopped (real API). */
    static void run(MeetingSource source, PrintStream out, boolean terminal) throws Exception {
        run(source, out, terminal, ROUTES);
    }

    /** Runs the YAML route(s) {@code routes} (a Camel Main routes-include-pattern), as {@link #run}. */
    static void run(MeetingSource source, PrintStream out, boolean terminal, String routes) throws Exception {
        Main main = source.configure(new Main());
        main.addInitialProperty("camel.main.name", "fireflies-yaml-captions");
        main.addInitialProperty("camel.main.routes-include-pattern", routes);
        if (source.isSimulated()) {
            out.println("YAML route " + routes + ": live captions of a simulated meeting at " + source.where());
            main.configure().withDurationMaxIdleSeconds(4);
        } else {
            out.println("YAML route " + routes + ": following transcript " + source.transcriptId()
                        + " on the Fireflies Realtime API (Ctrl-C to stop)");
        }
        CaptionPrinter printer = new CaptionPrinter(out, terminal);
        main.bind("captionPrinter", printer);
        try {
            main.run();
        } finally {
            printer.finish();
        }
    }
}
