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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.api.graphql.AskFredResponse;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * When Fireflies says a meeting's transcript is ready ({@code meeting.transcribed}, through
 * {@code webhook:fireflies:events}), asks AskFred "What was decided?" about it
 * ({@code fireflies:graphql?operation=createAskFredThread}) and writes the answer to {@code <dir>/<transcriptId>.txt}.
 * <ul>
 * <li>With {@code FIREFLIES_API_KEY} and {@code FIREFLIES_WEBHOOK_SECRET} set, it listens on
 * {@code FIREFLIES_WEBHOOK_PORT} (default 8080) for the real deliveries, until Ctrl-C (set the webhook URL in the
 * Fireflies dashboard to {@code https://<your public host>/fireflies/events}).</li>
 * <li>Otherwise the simulator plays two short meetings on 127.0.0.1 and sends their signed webhooks to this app; it
 * stops once both answers are written (about 30 s). No API key needed.</li>
 * </ul>
 * The directory is the first argument, else {@code target/askfred}.
 */
public final class AskFredExample {

    static final String QUESTION = "What was decided?";
    static final String PATH = "/fireflies/events";
    static final String ROUTE_URI = "webhook:fireflies:events?webhookAutoRegister=false&events=meeting.transcribed";

    private AskFredExample() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/askfred");
        String port = System.getenv("FIREFLIES_WEBHOOK_PORT");
        run(System.getenv("FIREFLIES_API_KEY"), System.getenv("FIREFLIES_WEBHOOK_SECRET"),
                port == null || port.isBlank() ? 8080 : Integer.parseInt(port.trim()), demoSchedule(), dir, System.out);
    }

    /** Two short meetings; Fireflies says each transcript is ready 2 s after its meeting ends. */
    static List<MeetingSource.ScheduledMeeting> demoSchedule() {
        return List.of(meeting("weekly-sync", "Weekly sync", "alice@example.com", 1, 17),
                meeting("design-review", "Design review", "chloe@example.com", 4, 22));
    }

    private static MeetingSource.ScheduledMeeting meeting(String id, String title, String organizer, int start, int end) {
        return new MeetingSource.ScheduledMeeting(id, title, organizer,
                AskFredExample.class.getClassLoader().getResource("meetings/" + id + ".jsonl"), Duration.ofSeconds(start),
                Duration.ofSeconds(end));
    }

    static void run(String apiKey, String webhookSecret, int port, List<MeetingSource.ScheduledMeeting> schedule, Path dir,
                    PrintStream out) throws Exception {
        boolean simulated = apiKey == null || apiKey.isBlank();
        Main main = new Main();
        main.addInitialProperty("camel.main.name", "fireflies-askfred");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.component.webhook.configuration.webhook-component-name", "platform-http");
        main.addInitialProperty("askfred.dir", dir.toAbsolutePath().toString());
        FirefliesSimulator sim = null;
        String key = apiKey;
        String secret = webhookSecret;
        if (simulated) {
            port = freePort();
            key = MeetingSource.SIMULATOR_KEY;
            secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)); // this run's own
            int simPort = freePort();
            FirefliesSimulator.Builder b = FirefliesSimulator.builder().apiKey(key).port(simPort).autoStart(true)
                    .webhook(URI.create("http://127.0.0.1:" + port + PATH), secret);
            for (MeetingSource.ScheduledMeeting m : schedule) {
                b.meeting(m.id(), m.script()).activeMeeting(m.id(), m.title(), m.organizerEmail(), m.start(), m.end());
            }
            sim = b.build();
            main.addInitialProperty("camel.server.host", "127.0.0.1");
            main.addInitialProperty("camel.rest.host", "127.0.0.1");
            main.addInitialProperty("fireflies.graphql-url", "http://127.0.0.1:" + simPort + "/graphql");
            FirefliesSimulator started = sim;
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterStart(BaseMainSupport m) {
                    started.start(); // the meetings' clock starts once this app can take their webhooks
                }
            });
            long lastEnd = schedule.stream().mapToLong(m -> m.end().toSeconds()).max().orElse(0);
            main.configure().withDurationMaxSeconds((int) lastEnd + 60);
            out.println("No FIREFLIES_API_KEY set: " + schedule.size() + " simulated meetings; their signed webhooks go"
                        + " to http://127.0.0.1:" + port + PATH);
        } else {
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("Set FIREFLIES_WEBHOOK_SECRET, the signing secret of the webhook in"
                                                   + " the Fireflies dashboard");
            }
            main.addInitialProperty("camel.server.host", "0.0.0.0");
            main.addInitialProperty("fireflies.graphql-url", "https://api.fireflies.ai/graphql");
            out.println("Listening on port " + port + PATH + " for meeting.transcribed (Ctrl-C to stop)");
        }
        main.addInitialProperty("camel.server.port", Integer.toString(port));
        main.addInitialProperty("camel.rest.port", Integer.toString(port));
        main.addInitialProperty("camel.component.fireflies.api-key", key);
        main.addInitialProperty("camel.component.fireflies.webhook-secret", secret);
        Set<String> written = ConcurrentHashMap.newKeySet();
        int expected = simulated ? schedule.size() : Integer.MAX_VALUE;
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from(ROUTE_URI)
                        .routeId("askfred")
                        // the input object itself: the question, about this meeting
                        .process(e -> e.getMessage().setBody(Map.of("query", QUESTION, "transcript_id",
                                e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID, String.class))))
                        .to("fireflies:graphql?operation=createAskFredThread&graphqlUrl={{fireflies.graphql-url}}")
                        .process(e -> {
                            AskFredResponse r = e.getMessage().getBody(AskFredResponse.class);
                            e.getMessage().setBody("Q: " + QUESTION + "\nA: " + r.message().answer() + "\n");
                        })
                        .to("file:{{askfred.dir}}?fileName=${header.CamelFirefliesTranscriptId}.txt&charset=utf-8")
                        .process(e -> {
                            String id = e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID, String.class);
                            out.println("[" + id + "] AskFred: " + e.getMessage().getBody(String.class).trim()
                                    .replace('\n', ' ') + " -> " + dir.resolve(id + ".txt"));
                            out.flush();
                            if (written.add(id) && written.size() == expected) {
                                main.completed();
                            }
                        });
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

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
