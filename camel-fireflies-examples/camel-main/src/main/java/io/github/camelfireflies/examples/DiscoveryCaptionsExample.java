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
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.FirefliesEvents;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * Follows every meeting in progress ({@code fireflies:meetings}) and prints {@code [meeting title] speaker: text}, one
 * line per finished segment ({@code emit=final}), with a line when a meeting starts and when it ends.
 * <ul>
 * <li>With {@code FIREFLIES_API_KEY} set, it follows every meeting of that account on the real API until Ctrl-C,
 * polling {@code active_meetings} every {@code FIREFLIES_POLL_INTERVAL} ms (default 60000; Free keys allow 50
 * requests a day, so use 1800000 there, and Pro keys 500 a day, so 300000 or more).</li>
 * <li>Otherwise it starts the simulator on 127.0.0.1 with three scripted meetings that start and end at different
 * times (about 40 s in all), and stops once the last one has ended. No API key needed.</li>
 * </ul>
 */
public final class DiscoveryCaptionsExample {

    /** How often the simulator's meetings are polled: a new meeting is found within a second. */
    static final Duration SIMULATED_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Segments are final 1.5 s after the next one started without a revision (the component's default is 5 s). */
    static final String OPTIONS = "&events=*&emit=final&finalizeAfter=1500";

    private DiscoveryCaptionsExample() {
    }

    public static void main(String[] args) throws Exception {
        String poll = System.getenv("FIREFLIES_POLL_INTERVAL");
        Duration realPollInterval = Duration.ofMillis(poll == null || poll.isBlank() ? 60_000 : Long.parseLong(poll.trim()));
        run(System.getenv("FIREFLIES_API_KEY"), realPollInterval, demoSchedule(), SIMULATED_POLL_INTERVAL, System.out);
    }

    /**
     * Three overlapping meetings of 15 to 17 s: listed 0-26 s, 8-32 s and 16-38 s after the simulator starts. A
     * script plays from the moment its meeting is subscribed to, and the first one waits for Camel to start (several
     * seconds on a busy machine), hence the margins.
     */
    static List<MeetingSource.ScheduledMeeting> demoSchedule() {
        return List.of(
                scheduled("weekly-sync", "Weekly sync", "alice@example.com", 0, 26),
                scheduled("design-review", "Design review", "chloe@example.com", 8, 32),
                scheduled("customer-call", "Customer call", "erin@example.com", 16, 38));
    }

    private static MeetingSource.ScheduledMeeting scheduled(String id, String title, String organizer, int startSeconds,
                                                            int endSeconds) {
        return new MeetingSource.ScheduledMeeting(id, title, organizer,
                DiscoveryCaptionsExample.class.getClassLoader().getResource("meetings/" + id + ".jsonl"),
                Duration.ofSeconds(startSeconds), Duration.ofSeconds(endSeconds));
    }

    /**
     * Runs until every meeting of {@code schedule} has ended (simulator) or the JVM is asked to stop (real API).
     *
     * @param schedule the simulated meetings, used when no API key is given
     */
    static void run(String apiKey, Duration realPollInterval, List<MeetingSource.ScheduledMeeting> schedule,
                    Duration simulatedPollInterval, PrintStream out) throws Exception {
        try (MeetingSource source = MeetingSource.discovery(apiKey, realPollInterval, schedule, simulatedPollInterval)) {
            Main main = source.configure(new Main());
            main.addInitialProperty("camel.main.name", "fireflies-discovery-captions");
            MeetingPrinter printer;
            if (source.isSimulated()) {
                out.println("No FIREFLIES_API_KEY set: " + schedule.size()
                            + " simulated meetings, found by polling the simulator's GraphQL endpoint");
                // stop once the last meeting has ended; in any case a minute after the last scheduled end
                printer = new MeetingPrinter(out, schedule.size(), main::completed);
                long lastEnd = schedule.stream().mapToLong(m -> m.end().toSeconds()).max().orElse(0);
                main.configure().withDurationMaxSeconds((int) lastEnd + 60);
            } else {
                out.println("Following every meeting of the account on the Fireflies API, polling every "
                            + realPollInterval.toSeconds() + " s (Ctrl-C to stop)");
                printer = new MeetingPrinter(out, 0, null);
            }
            main.configure().addRoutesBuilder(new RouteBuilder() {
                @Override
                public void configure() {
                    from(MeetingSource.MEETINGS_URI + OPTIONS)
                            .routeId("discovery-captions")
                            .process(printer);
                }
            });
            main.run();
        }
    }

    /**
     * Prints the exchanges of {@code fireflies:meetings}: {@code [title] speaker: text} for each segment,
     * {@code [title] -- meeting started (organizer)} and {@code [title] -- meeting ended}; other events are skipped.
     */
    static final class MeetingPrinter implements Processor {

        private final PrintStream out;
        private final int stopAfterEnded;
        private final Runnable onAllEnded;
        private final Set<String> ended = new HashSet<>();

        MeetingPrinter(PrintStream out, int stopAfterEnded, Runnable onAllEnded) {
            this.out = out;
            this.stopAfterEnded = stopAfterEnded;
            this.onAllEnded = onAllEnded;
        }

        @Override
        public synchronized void process(Exchange exchange) {
            Message m = exchange.getMessage();
            String event = m.getHeader(FirefliesConstants.EVENT, String.class);
            String title = m.getHeader(FirefliesConstants.MEETING_TITLE, String.class);
            String meeting = "[" + (title != null ? title : m.getHeader(FirefliesConstants.TRANSCRIPT_ID, String.class))
                             + "] ";
            if (FirefliesEvents.TRANSCRIPTION.equals(event)) {
                TranscriptionEvent e = m.getBody(TranscriptionEvent.class);
                boolean correction = Boolean.TRUE.equals(m.getHeader(FirefliesConstants.CORRECTION, Boolean.class));
                out.println(meeting + (e.speakerName() == null ? "?" : e.speakerName()) + ": " + e.text()
                            + (correction ? " (corrected)" : ""));
            } else if (FirefliesEvents.MEETING_STARTED.equals(event)) {
                Object organizer = m.getBody(Map.class) == null ? null : m.getBody(Map.class).get("organizer_email");
                out.println(meeting + "-- meeting started" + (organizer == null ? "" : " (" + organizer + ")"));
            } else if (FirefliesEvents.MEETING_ENDED.equals(event)) {
                out.println(meeting + "-- meeting ended");
                ended.add(m.getHeader(FirefliesConstants.TRANSCRIPT_ID, String.class));
                if (onAllEnded != null && ended.size() == stopAfterEnded) {
                    onAllEnded.run();
                }
            }
            out.flush();
        }
    }
}
