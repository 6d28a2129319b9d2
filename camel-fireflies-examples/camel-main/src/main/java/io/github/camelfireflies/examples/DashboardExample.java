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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.vertx.core.http.HttpMethod;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * A live dashboard of every meeting in progress: {@code http://localhost:8080} shows one panel per meeting (title,
 * organizer, state), its captions with a colour per speaker and the time of each segment, a revision replacing its
 * line, backfilled segments in their place in time, a note for each healed gap, and each speaker's talk time as a bar.
 * Camel serves it all on its embedded HTTP server (platform-http on Vert.x): the page, its style and its script from
 * platform-http routes, and the updates as Server-Sent Events ({@code GET /events}) fed by the meetings route through
 * {@link MeetingBoard}. A button on each caption line sends the segment as a live action item of its meeting
 * ({@code POST /action-items}, {@link LiveActionItems}); the panel lists the meeting's live action items.
 * <ul>
 * <li>Without {@code FIREFLIES_API_KEY}: the simulator on 127.0.0.1 with four overlapping meetings that start over
 * about half a minute and end within about 70 s ({@code fireflies:meetings} polls it every second); one meeting's
 * connection is cut once, for about three seconds, so that its panel shows a healed gap. The page stays up until
 * Ctrl-C.</li>
 * <li>With {@code FIREFLIES_API_KEY}: every meeting of that account ({@code fireflies:meetings}, polling every
 * {@code FIREFLIES_POLL_INTERVAL} ms, default 60000; 1800000 for Free keys, 300000 for Pro keys).</li>
 * <li>With {@code FIREFLIES_API_KEY} and {@code FIREFLIES_WEBHOOK_SECRET}: {@code fireflies:meetings?webhookPath=...} on the
 * same server, path {@value WebhookMeetingsExample#PATH}, each meeting shown the moment its
 * {@code meeting.bot_joined} arrives; {@code FIREFLIES_WEBHOOK_URL} is the public base URL that reaches this port
 * (polling every {@code FIREFLIES_POLL_INTERVAL} ms, default one hour, is the safety net).</li>
 * </ul>
 * {@code WEB_PORT} (or {@code -Dweb.port}) changes the port, {@code WEB_HOST} (or {@code -Dweb.host}) the address
 * (default 127.0.0.1). Runs until Ctrl-C.
 */
public final class DashboardExample {

    static final int DEFAULT_PORT = 8080;
    /** The events the panels are made of; every revision of a segment ({@code emit=revisions}, the default). */
    static final String EVENTS = "&events=" + MeetingBoard.TRANSCRIPTION + "," + MeetingBoard.MEETING_STARTED + ","
                                 + MeetingBoard.MEETING_ENDED;
    /** The simulated demo: a dropped connection is retried after 3 s, so that the gap spans a segment or two. */
    static final String SIMULATED_OPTIONS = "&reconnectDelay=3000&randomizationFactor=0";
    /** The meeting whose connection the simulated demo cuts once, and when (after Camel started). */
    static final String DROPPED_MEETING = "design-review";
    static final Duration DROP_AFTER = Duration.ofSeconds(24);

    private DashboardExample() {
    }

    public static void main(String[] args) throws Exception {
        String host = setting("web.host", "WEB_HOST", "127.0.0.1");
        int port = Integer.parseInt(setting("web.port", "WEB_PORT", Integer.toString(DEFAULT_PORT)));
        String key = System.getenv("FIREFLIES_API_KEY");
        String secret = System.getenv("FIREFLIES_WEBHOOK_SECRET");
        String poll = System.getenv("FIREFLIES_POLL_INTERVAL");
        String where = "http://" + ("127.0.0.1".equals(host) ? "localhost" : host) + ":" + port + "/";
        if (isSet(secret) && !isSet(key)) {
            System.err.println("FIREFLIES_WEBHOOK_SECRET needs FIREFLIES_API_KEY too; set neither to play the simulator");
            System.exit(2);
        }
        MeetingBoard board = new MeetingBoard();
        if (isSet(key) && isSet(secret)) {
            long pollMillis = isSet(poll) ? Long.parseLong(poll.trim()) : 3_600_000L;
            Main main = createForWebhooks(key, secret, System.getenv("FIREFLIES_WEBHOOK_URL"), pollMillis, host, port,
                    board, null);
            announce(main, "Dashboard of every meeting of the account at " + where + "; Fireflies webhooks to"
                           + " <public URL of port " + port + ">" + WebhookMeetingsExample.PATH
                           + " (the same server also serves the dashboard: expose only that path). Ctrl-C to stop");
            main.run();
            return;
        }
        Duration realPoll = Duration.ofMillis(isSet(poll) ? Long.parseLong(poll.trim()) : 60_000L);
        try (MeetingSource source = MeetingSource.discovery(key, realPoll, demoSchedule(),
                DiscoveryCaptionsExample.SIMULATED_POLL_INTERVAL)) {
            Main main = create(source, host, port, board);
            if (source.isSimulated()) {
                dropOnce(main, source.simulator(), DROPPED_MEETING, DROP_AFTER);
            }
            announce(main, "Dashboard of " + (source.isSimulated()
                    ? "four simulated meetings (no FIREFLIES_API_KEY set)"
                    : "every meeting of the account, polling every " + realPoll.toSeconds() + " s")
                           + " at " + where + " (Ctrl-C to stop)");
            main.run();
        }
    }

    /**
     * Four overlapping meetings of 28 to 46 s, listed from 0, 10, 20 and 32 s after the simulator starts until 52,
     * 56, 66 and 68 s. A script plays from the moment its meeting is subscribed to, hence the margins.
     */
    static List<MeetingSource.ScheduledMeeting> demoSchedule() {
        return List.of(
                scheduled("weekly-sync", "Weekly sync", "alice@example.com", 0, 52),
                scheduled("design-review", "Design review", "chloe@example.com", 10, 56),
                scheduled("customer-call", "Customer call · Acme", "erin@example.com", 20, 66),
                scheduled("hiring-debrief", "Hiring debrief", "ines@example.com", 32, 68));
    }

    private static MeetingSource.ScheduledMeeting scheduled(String id, String title, String organizer, int startSeconds,
                                                            int endSeconds) {
        return new MeetingSource.ScheduledMeeting(id, title, organizer,
                DashboardExample.class.getClassLoader().getResource("dashboard/meetings/" + id + ".jsonl"),
                Duration.ofSeconds(startSeconds), Duration.ofSeconds(endSeconds));
    }

    /** A Camel Main serving the dashboard of a {@link MeetingSource#discovery} source on {@code host:port}, not started. */
    static Main create(MeetingSource source, String host, int port, MeetingBoard board) {
        return create(source, host, port, board, source.isSimulated() ? SIMULATED_OPTIONS : "");
    }

    /** As {@link #create(MeetingSource, String, int, MeetingBoard)}, with more options for the meetings endpoint. */
    static Main create(MeetingSource source, String host, int port, MeetingBoard board, String moreOptions) {
        Main main = source.configure(new Main());
        main.addInitialProperty("camel.main.name", "fireflies-dashboard");
        server(main, host, port);
        routes(main, MeetingSource.MEETINGS_URI + EVENTS + moreOptions, port, board,
                "&graphqlUrl={{?fireflies.graphql-url}}");
        return main;
    }

    /**
     * A Camel Main serving the dashboard of {@code fireflies:meetings?webhookPath=...}, not started: the webhook path and the
     * dashboard on the same server.
     *
     * @param server the realtime server's base URL ({@code ws://host:port}, GraphQL at {@code /graphql} on the same
     *               host), or null for the Fireflies API
     */
    static Main createForWebhooks(String apiKey, String webhookSecret, String publicUrl, long pollMillis, String host,
                                  int port, MeetingBoard board, String server) {
        Main main = new Main();
        main.addInitialProperty("camel.main.name", "fireflies-dashboard");
        server(main, host, port);
        // the REST consumer the meetings endpoint takes webhooks with: platform-http, on the same server
        main.addInitialProperty("camel.server.maxBodySize", "1048576");
        main.addInitialProperty("camel.component.fireflies.webhook-component-name", "platform-http");
        main.addInitialProperty("camel.rest.host", host);
        main.addInitialProperty("camel.rest.port", Integer.toString(port));
        if (isSet(publicUrl)) {
            main.addInitialProperty("camel.component.fireflies.webhook-external-url", publicUrl.trim());
        }
        main.addInitialProperty("camel.component.fireflies.api-key", apiKey);
        main.addInitialProperty("camel.component.fireflies.webhook-secret", webhookSecret);
        // the poll is the safety net (off with 0: startScheduler=false)
        String poll = pollMillis > 0 ? "&delay=" + pollMillis : "&startScheduler=false";
        routes(main, "fireflies:meetings?webhookPath=" + WebhookMeetingsExample.PATH + poll
                     + EVENTS + (server == null ? "" : "&url=" + server), port, board,
                server == null ? "" : "&url=" + server);
        return main;
    }

    private static void server(Main main, String host, int port) {
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", host);
        main.addInitialProperty("camel.server.port", Integer.toString(port));
    }

    private static void routes(Main main, String meetingsUri, int port, MeetingBoard board, String graphqlOptions) {
        String page = resource("dashboard/index.html");
        String style = resource("dashboard/dashboard.css");
        String script = resource("dashboard/dashboard.js");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                from("platform-http:/?httpMethodRestrict=GET")
                        .routeId("dashboard-page")
                        .setHeader(Exchange.CONTENT_TYPE, constant("text/html; charset=utf-8"))
                        .setBody(constant(page));
                from("platform-http:/dashboard.css?httpMethodRestrict=GET")
                        .routeId("dashboard-style")
                        .setHeader(Exchange.CONTENT_TYPE, constant("text/css; charset=utf-8"))
                        .setBody(constant(style));
                from("platform-http:/dashboard.js?httpMethodRestrict=GET")
                        .routeId("dashboard-script")
                        .setHeader(Exchange.CONTENT_TYPE, constant("text/javascript; charset=utf-8"))
                        .setBody(constant(script));

                from(meetingsUri)
                        .routeId("dashboard-meetings")
                        .process(board);

                // the event stream stays open, so it is a plain Vert.x handler on the same (Camel-managed) server
                getCamelContext().addStartupListener((context, alreadyStarted) -> serveEvents(context, port, board));
            }
        });
        // the live action item button of each caption line
        main.configure().addRoutesBuilder(new LiveActionItems(board, graphqlOptions));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeStop(BaseMainSupport m) {
                board.closeAll();
            }
        });
    }

    /**
     * The simulated demo cuts the connection of {@code meetingId} once, {@code after} Camel started (a close frame
     * 1011, as a server restart would send): the consumer reconnects, the backfill fills in what was said meanwhile,
     * and the panel notes the healed gap.
     */
    static void dropOnce(Main main, FirefliesSimulator sim, String meetingId, Duration after) {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                CamelContext context = m.getCamelContext();
                ScheduledExecutorService timer = context.getExecutorServiceManager()
                        .newSingleThreadScheduledExecutor(this, "dashboard-demo-drop");
                timer.schedule(() -> sim.closeConnections(meetingId, 1011, "demo: connection lost"),
                        after.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private static void announce(Main main, String banner) {
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                System.out.println(banner);
            }
        });
    }

    private static void serveEvents(CamelContext context, int port, MeetingBoard board) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            Map<String, VertxPlatformHttpRouter> all = context.getRegistry().findByTypeWithName(VertxPlatformHttpRouter.class);
            router = all.values().stream().findFirst()
                    .orElseThrow(() -> new IllegalStateException("No platform-http router: is camel.server.enabled set?"));
        }
        router.route(HttpMethod.GET, "/events").handler(board::handle);
    }

    private static String resource(String name) {
        try (InputStream in = Objects.requireNonNull(DashboardExample.class.getClassLoader().getResourceAsStream(name),
                name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }

    private static String setting(String property, String env, String defaultValue) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? defaultValue : v;
    }
}
