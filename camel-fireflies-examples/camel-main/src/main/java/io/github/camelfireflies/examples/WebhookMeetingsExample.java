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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.FirefliesConfiguration;
import io.github.camelfireflies.api.Transcript;
import io.github.camelfireflies.api.FirefliesEvents;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.api.WebhookEvent;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Follows every meeting the moment Fireflies' bot joins it ({@code meeting.bot_joined}, taken by
 * {@code fireflies:meetings?webhookPath=...}), prints {@code [meeting] speaker: text} for each finished segment, and once
 * Fireflies says the transcript is ready ({@code meeting.transcribed}) writes the finished transcript, fetched by the
 * component ({@code fetchTranscript=true}), to {@code <dir>/<transcriptId>.txt}. One webhook URL takes both events: the
 * Fireflies dashboard has one per account.
 * <ul>
 * <li>With {@code FIREFLIES_API_KEY} and {@code FIREFLIES_WEBHOOK_SECRET} set, it listens on
 * {@code FIREFLIES_WEBHOOK_PORT} (default 8080) for the real deliveries and prints the URL to set in the Fireflies
 * dashboard ({@code FIREFLIES_WEBHOOK_URL}: the public base URL that reaches this port, e.g. an https tunnel), until
 * Ctrl-C. A poll of the meetings in progress every {@code FIREFLIES_POLL_INTERVAL} ms (default one hour) is the safety
 * net for a missed delivery.</li>
 * <li>Otherwise it plays the simulator on 127.0.0.1: three scheduled meetings, whose bot joins and whose transcript is
 * ready at the moments Fireflies would say so, signed webhooks sent to this app's own URL (about 45 s in all), and
 * stops once every transcript is written. No API key needed.</li>
 * </ul>
 * The directory is the first argument, else {@code target/transcripts}.
 */
public final class WebhookMeetingsExample {

    /** Where Fireflies posts: the endpoint's {@code webhookPath}. */
    static final String PATH = "/fireflies/meetings";
    /**
     * The live segments (final ones: {@code emit=final}), each meeting's start and end, and its transcript. The poll
     * ({@code {{fireflies.poll}}}, every {@code {{fireflies.poll-interval}}} ms): off on the simulator, the safety net
     * on the real API.
     */
    static final String ROUTE_URI = "fireflies:meetings?webhookPath=" + PATH
                                    + "&events=transcription.broadcast,meeting.started,meeting.ended,meeting.transcribed"
                                    + "&emit=final&finalizeAfter=1500&fetchTranscript=true"
                                    + "&startScheduler={{fireflies.poll}}&delay={{fireflies.poll-interval}}"
                                    + "&url={{fireflies.url}}&graphqlUrl={{fireflies.graphql-url}}";

    private WebhookMeetingsExample() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/transcripts");
        String key = System.getenv("FIREFLIES_API_KEY");
        String secret = System.getenv("FIREFLIES_WEBHOOK_SECRET");
        if (isSet(key) != isSet(secret)) {
            System.err.println("Set both FIREFLIES_API_KEY and FIREFLIES_WEBHOOK_SECRET (the signing secret of the"
                               + " webhook in the Fireflies dashboard), or neither to play the simulator");
            System.exit(2);
        }
        String port = System.getenv("FIREFLIES_WEBHOOK_PORT");
        String poll = System.getenv("FIREFLIES_POLL_INTERVAL");
        run(key, secret, isSet(port) ? Integer.parseInt(port.trim()) : 8080, System.getenv("FIREFLIES_WEBHOOK_URL"),
                isSet(poll) ? Long.parseLong(poll.trim()) : 3_600_000L, demoSchedule(), dir, System.out);
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }

    /**
     * Three overlapping meetings of about 20 s (offsets from the moment the app is up): the bot joins at the start,
     * the meeting ends (a DISCONNECT) at the end, and the transcript is ready 2 s later.
     */
    static List<MeetingSource.ScheduledMeeting> demoSchedule() {
        return List.of(
                scheduled("weekly-sync", "Weekly sync", "alice@example.com", 1, 19),
                scheduled("design-review", "Design review", "chloe@example.com", 8, 27),
                scheduled("customer-call", "Customer call", "erin@example.com", 15, 36));
    }

    private static MeetingSource.ScheduledMeeting scheduled(String id, String title, String organizer, int startSeconds,
                                                            int endSeconds) {
        return new MeetingSource.ScheduledMeeting(id, title, organizer,
                WebhookMeetingsExample.class.getClassLoader().getResource("meetings/" + id + ".jsonl"),
                Duration.ofSeconds(startSeconds), Duration.ofSeconds(endSeconds));
    }

    /**
     * Runs until every simulated meeting's transcript is written (no key), or until the JVM is asked to stop.
     *
     * @param port       where to listen for the real deliveries (with a key); the simulator uses a free port
     * @param publicUrl  the public base URL Fireflies posts to (with a key), or null
     * @param pollMillis the safety-net poll with a key (0: none)
     * @param schedule   the simulated meetings (without a key)
     * @param dir        where the transcripts are written
     */
    static void run(String apiKey, String webhookSecret, int port, String publicUrl, long pollMillis,
                    List<MeetingSource.ScheduledMeeting> schedule, Path dir, PrintStream out) throws Exception {
        boolean simulated = !isSet(apiKey);
        Main main = new Main();
        main.addInitialProperty("camel.main.name", "fireflies-webhook-meetings");
        // Camel Main's HTTP server (Vert.x) and the REST consumer the endpoint must use: name it, since platform-http
        // is not among those it finds on its own. The server refuses bodies over 1 MiB before reading.
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.maxBodySize", "1048576");
        main.addInitialProperty("camel.component.fireflies.webhook-component-name", "platform-http");
        main.addInitialProperty("transcripts.dir", dir.toAbsolutePath().toString());
        FirefliesSimulator sim = null;
        String secret = webhookSecret;
        String key = apiKey;
        if (simulated) {
            port = freePort();
            secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)); // this run's own
            key = MeetingSource.SIMULATOR_KEY;
            int simPort = freePort();
            FirefliesSimulator.Builder b = FirefliesSimulator.builder().apiKey(key).port(simPort)
                    .autoStart(true) // each meeting goes on from its start, whether or not anybody listens yet
                    .webhook(URI.create("http://127.0.0.1:" + port + PATH), secret);
            for (MeetingSource.ScheduledMeeting m : schedule) {
                b.meeting(m.id(), m.script()).activeMeeting(m.id(), m.title(), m.organizerEmail(), m.start(), m.end());
            }
            sim = b.build();
            main.addInitialProperty("camel.server.host", "127.0.0.1");
            main.addInitialProperty("camel.rest.host", "127.0.0.1");
            main.addInitialProperty("fireflies.url", "ws://127.0.0.1:" + simPort);
            main.addInitialProperty("fireflies.graphql-url", "http://127.0.0.1:" + simPort + "/graphql");
            main.addInitialProperty("fireflies.poll", "false");
            main.addInitialProperty("fireflies.poll-interval", "3600000");
            // the simulator's clock starts once this app can take its webhooks
            FirefliesSimulator started = sim;
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterStart(BaseMainSupport m) {
                    started.start();
                }
            });
            long lastEnd = schedule.stream().mapToLong(m -> m.end().toSeconds()).max().orElse(0);
            main.configure().withDurationMaxSeconds((int) lastEnd + 60);
            out.println("No FIREFLIES_API_KEY set: " + schedule.size() + " simulated meetings; the simulator sends"
                        + " signed webhooks to http://127.0.0.1:" + port + PATH);
        } else {
            main.addInitialProperty("camel.server.host", "0.0.0.0");
            main.addInitialProperty("fireflies.url", "wss://api.fireflies.ai");
            main.addInitialProperty("fireflies.graphql-url", FirefliesConfiguration.DEFAULT_GRAPHQL_URL);
            main.addInitialProperty("fireflies.poll", Boolean.toString(pollMillis > 0));
            main.addInitialProperty("fireflies.poll-interval", Long.toString(pollMillis > 0 ? pollMillis : 3_600_000L));
            if (isSet(publicUrl)) {
                main.addInitialProperty("camel.component.fireflies.webhook-external-url", publicUrl.trim());
            }
            String url = isSet(publicUrl) ? publicUrl.trim().replaceAll("/+$", "") + PATH
                    : "https://<your public host>" + PATH + " (a tunnel or proxy to port " + port + ")";
            out.println("Listening on port " + port + " for Fireflies webhooks. In the Fireflies dashboard's developer"
                        + " settings (Webhooks V2) set the webhook URL to " + url + ", the signing secret to"
                        + " the value of FIREFLIES_WEBHOOK_SECRET, and subscribe to meeting.bot_joined and"
                        + " meeting.transcribed. Ctrl-C to stop.");
        }
        main.addInitialProperty("camel.server.port", Integer.toString(port));
        main.addInitialProperty("camel.rest.port", Integer.toString(port));
        main.addInitialProperty("camel.component.fireflies.api-key", key);
        main.addInitialProperty("camel.component.fireflies.webhook-secret", secret);

        MeetingPrinter printer = new MeetingPrinter(out);
        Set<String> written = ConcurrentHashMap.newKeySet();
        int expected = simulated ? schedule.size() : Integer.MAX_VALUE;
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                // the answer to a webhook waits for its route: writing a file is quick (slow work would go through
                // seda: so that Fireflies gets its answer within 10 s)
                from(ROUTE_URI)
                        .routeId("webhook-meetings")
                        .choice()
                            // meeting.transcribed, with the finished transcript (fetchTranscript=true)
                            .when(body().isInstanceOf(Transcript.class))
                                .process(e -> {
                                    Transcript t = e.getMessage().getBody(Transcript.class);
                                    e.getMessage().setHeader("transcriptTitle", t.title());
                                    e.getMessage().setHeader("sentences", t.sentences().size());
                                    e.getMessage().setBody(text(t));
                                })
                                .to("file:{{transcripts.dir}}?fileName=${header.CamelFirefliesTranscriptId}.txt"
                                    + "&charset=utf-8")
                                .process(e -> {
                                    Message m = e.getMessage();
                                    String id = m.getHeader(FirefliesConstants.TRANSCRIPT_ID, String.class);
                                    out.println("[" + id + "] -- transcript \"" + m.getHeader("transcriptTitle") + "\" ("
                                                + m.getHeader("sentences") + " sentences) written to "
                                                + dir.resolve(id + ".txt"));
                                    out.flush();
                                    if (written.add(id) && written.size() == expected) {
                                        main.completed();
                                    }
                                })
                            // meeting.transcribed without it (rate limited, not found...): the header says why
                            .when(header(FirefliesConstants.EVENT).isEqualTo(WebhookEvent.MEETING_TRANSCRIBED))
                                .log(LoggingLevel.WARN, "No transcript for ${header.CamelFirefliesTranscriptId}:"
                                                        + " ${header.CamelFirefliesTranscriptError}")
                            // the live exchanges: finished segments, meeting.started, meeting.ended
                            .otherwise()
                                .process(printer)
                        .end();
            }
        });
        try {
            main.run();
        } finally {
            if (sim != null) {
                sim.close();
            }
        }
    }

    /** The transcript file: its title, then one {@code speaker: text} line per sentence. */
    static String text(Transcript t) {
        return "# " + (t.title() == null ? t.id() : t.title()) + "\n\n" + t.text();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Prints the live exchanges: {@code [id] speaker: text} for each finished segment, {@code [id] -- meeting started}
     * and {@code [id] -- meeting ended}. A meeting that came by webhook is known by its id (its title comes with the
     * transcript).
     */
    static final class MeetingPrinter implements org.apache.camel.Processor {

        private final PrintStream out;

        MeetingPrinter(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void process(Exchange exchange) {
            Message m = exchange.getMessage();
            String event = m.getHeader(FirefliesConstants.EVENT, String.class);
            String prefix = "[" + m.getHeader(FirefliesConstants.TRANSCRIPT_ID, String.class) + "] ";
            if (FirefliesEvents.TRANSCRIPTION.equals(event)) {
                TranscriptionEvent e = m.getBody(TranscriptionEvent.class);
                out.println(prefix + (e.speakerName() == null ? "?" : e.speakerName()) + ": " + e.text());
            } else if (FirefliesEvents.MEETING_STARTED.equals(event)) {
                out.println(prefix + "-- meeting started");
            } else if (FirefliesEvents.MEETING_ENDED.equals(event)) {
                out.println(prefix + "-- meeting ended");
            }
            out.flush();
        }
    }
}
