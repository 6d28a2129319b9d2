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
package io.github.camelfireflies;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.camelfireflies.api.TranscriptSentence;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.WebhookEvent;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.internal.graphql.FirefliesGraphQLClient;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.simulator.WebhookDelivery;
import io.github.camelfireflies.simulator.WebhookVersion;
import io.github.camelfireflies.testsupport.PlatformHttp;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code webhook:fireflies:meetings} with polling off, behind Camel's platform-http (Vert.x) on 127.0.0.1, the
 * simulator as the Realtime API, the GraphQL API and the sender of the signed webhooks: {@code meeting.bot_joined}
 * follows a meeting live within a second of its delivery, the end of its session and {@code meeting.transcribed} (V2
 * and V1) end it, and nothing polls.
 */
class WebhookMeetingsTest extends CamelTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "whsec+&=-" + Long.toHexString(System.nanoTime());
    private static final String KEY = "sim-key-webhooks";

    /** One exchange of the route, as it arrived. */
    record Seen(String event, String transcriptId, String title, Object body, Instant at, String routeId) {
    }

    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private int port;
    private FirefliesSimulator sim;

    /**
     * What is said once the route subscribed (the script starts with the first subscriber): a segment, revised, then
     * the meeting ends (a DISCONNECT to its subscribers). The test says the first segment before that.
     */
    private static MeetingScript standup() {
        return MeetingScript.parse(String.join("\n",
                "{\"at_ms\":300,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"c2\",\"speaker_name\":\"Bob\",\"text\":\"Morn\",\"start_time\":1.2,\"end_time\":1.5}}",
                "{\"at_ms\":500,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"c2\",\"speaker_name\":\"Bob\",\"text\":\"Morning all\",\"start_time\":1.2,\"end_time\":2}}",
                "{\"at_ms\":1400,\"action\":\"end\"}"), "standup");
    }

    /** A meeting that goes on until it is told otherwise. */
    private static MeetingScript open() {
        return MeetingScript.parse(
                "{\"at_ms\":200,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"o1\",\"speaker_name\":\"Dev\",\"text\":\"Still here\",\"start_time\":0,\"end_time\":1}}",
                "open");
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        port = PlatformHttp.freeLoopbackPort();
        sim = FirefliesSimulator.builder()
                .apiKey(KEY)
                .meeting("standup", standup())
                .defaultMeeting(open())
                .webhook(URI.create("http://127.0.0.1:" + port + "/fireflies/meetings"), SECRET)
                .transcriptReadyDelay(Duration.ofMillis(500))
                .start();
        CamelContext context = super.createCamelContext();
        PlatformHttp.serve(context, port);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("webhook:fireflies:meetings?webhookSecret=RAW(" + SECRET + ")&webhookAutoRegister=false"
                     + "&webhookComponentName=platform-http&pollInterval=0&url=" + sim.url() + "&apiKey=RAW(" + KEY
                     + ")&events=*&emit=final&finalizeAfter=200")
                        .routeId("meetings")
                        .process(e -> seen.add(new Seen(e.getMessage().getHeader(FirefliesConstants.EVENT, String.class),
                                e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID, String.class),
                                e.getMessage().getHeader(FirefliesConstants.MEETING_TITLE, String.class),
                                e.getMessage().getBody(), Instant.now(), e.getFromRouteId())));
            }
        };
    }

    @Override
    protected void doPostTearDown() throws Exception {
        context.stop(); // before the simulator, so that the streams end with the route
        if (sim != null) {
            sim.close();
        }
    }

    private List<Seen> of(String transcriptId, String event) {
        return seen.stream().filter(s -> transcriptId.equals(s.transcriptId()) && event.equals(s.event())).toList();
    }

    private WebhookDelivery delivery(String event, String meetingId) {
        AtomicReference<WebhookDelivery> d = new AtomicReference<>();
        await().atMost(WAIT).until(() -> {
            sim.webhookDeliveries().stream().filter(x -> event.equals(x.event()) && meetingId.equals(x.meetingId()))
                    .findFirst().ifPresent(d::set);
            return d.get() != null;
        });
        return d.get();
    }

    /** Waits until the simulator has {@code n} subscribers of the meeting; returns when it saw them (5 ms steps). */
    private Instant subscribed(String transcriptId, int n) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> sim.subscribers(transcriptId) == n);
        return Instant.now();
    }

    @Test
    void botJoinedIsFollowedLiveWithinASecondAndItsSessionEndingEndsTheMeeting() throws Exception {
        // a first meeting in this JVM: the HTTP server, the WebSocket client and the simulator are cold
        sim.startMeeting("warm-up", "Warm-up", "alice@example.com");
        Instant warmLive = subscribed("warm-up", 1);
        long coldMs = Duration.between(delivery(WebhookEvent.MEETING_BOT_JOINED, "warm-up").sentAt(), warmLive).toMillis();

        sim.startMeeting("standup", "Standup", "alice@example.com"); // the bot joins: meeting.bot_joined
        // said before the route's socket joined: only the backfill can have it
        assertThat(sim.emitTranscription("standup", "c1", "Alice", "Good morning", 0, 1)).isZero();
        Instant live = subscribed("standup", 1);
        WebhookDelivery joined = delivery(WebhookEvent.MEETING_BOT_JOINED, "standup");
        long followedMs = Duration.between(joined.sentAt(), live).toMillis();
        await().atMost(WAIT).until(() -> !of("standup", "auth.success").isEmpty());
        long firstExchangeMs = Duration.between(joined.sentAt(), of("standup", "auth.success").get(0).at()).toMillis();
        System.out.printf("webhook:fireflies:meetings, polling off: the first meeting of the JVM subscribed %d ms after its"
                          + " meeting.bot_joined went out; the next one: answered %d in %d ms, subscribed after %d ms,"
                          + " first exchange (auth.success) after %d ms%n",
                coldMs, joined.status(), joined.took().toMillis(), followedMs, firstExchangeMs);
        assertThat(joined.status()).isEqualTo(200);
        assertThat(followedMs).as("from the delivery to the live subscription").isLessThan(1000);
        assertThat(coldMs).as("the same, cold (tolerance for a loaded machine)").isLessThan(3000);
        // answered on receipt: the answer does not wait for the socket
        assertThat(joined.took()).isLessThan(Duration.ofSeconds(1));

        // the script ends: the server's DISCONNECT ends the meeting (no poll says so: polling is off)
        await().atMost(WAIT).until(() -> !of("standup", "meeting.ended").isEmpty());
        assertThat(sim.subscribers("standup")).isZero();
        // then meeting.transcribed, routed too since events=* names it
        await().atMost(WAIT).until(() -> !of("standup", WebhookEvent.MEETING_TRANSCRIBED).isEmpty());
        assertThat(of("standup", WebhookEvent.MEETING_TRANSCRIBED).get(0).body()).isInstanceOf(WebhookEvent.class);

        // every segment once, final, in order: the first one was said before the socket joined (the backfill has it)
        List<String> texts = of("standup", "transcription.broadcast").stream()
                .map(s -> ((TranscriptionEvent) s.body()).text()).toList();
        assertThat(texts).containsExactly("Good morning", "Morning all");
        // known by its id from the webhook, named by the backfill's transcript(id): no call of its own
        assertThat(of("standup", "transcription.broadcast")).extracting(Seen::title).containsOnly("Standup");
        // meeting.started comes as the stream opens, before any call: the meeting is known by its id then
        assertThat(of("standup", "meeting.started")).singleElement().extracting(Seen::title).isNull();
        // the consumer behind camel-webhook is named after the route without looking for it among the routes
        assertThat(of("standup", "transcription.broadcast")).extracting(Seen::routeId).containsOnly("meetings");
        assertThat(sim.graphqlRequests("active_meetings")).as("polls").isZero();
        assertThat(sim.graphqlRequests("transcript")).as("backfill calls, one a meeting").isEqualTo(2);
        assertThat(sim.connectAttempts("standup")).isEqualTo(1);
        assertThat(sim.subscribers("warm-up")).isEqualTo(1); // still going: nothing ended it
    }

    @Test
    void meetingTranscribedEndsAMeetingStillStreamingInV2AndV1() throws Exception {
        sim.startMeeting("open-1", "Open one", "dev@example.com");
        sim.startMeeting("open-2", "Open two", "dev@example.com");
        subscribed("open-1", 1);
        subscribed("open-2", 1);
        await().atMost(WAIT).until(() -> of("open-1", "connection.established").size() == 1
                                          && of("open-2", "connection.established").size() == 1);
        // each has said its sentence (emit=final holds it until the meeting ends)
        await().atMost(WAIT).until(() -> spoken("open-1").contains("Still here")
                                          && spoken("open-2").contains("Still here"));

        WebhookDelivery v2 = sim.sendWebhook(WebhookEvent.MEETING_TRANSCRIBED, "open-1").get(20, TimeUnit.SECONDS);
        assertThat(v2.status()).isEqualTo(200);
        subscribed("open-1", 0);
        await().atMost(WAIT).until(() -> of("open-1", "meeting.ended").size() == 1);
        // its open segment was emitted final when it ended
        assertThat(of("open-1", "transcription.broadcast")).singleElement()
                .satisfies(s -> assertThat(((TranscriptionEvent) s.body()).text()).isEqualTo("Still here"));
        assertThat(sim.subscribers("open-2")).isEqualTo(1); // the other one goes on

        WebhookDelivery v1 = sim.sendWebhook(WebhookVersion.V1, "Transcription completed", "open-2", null)
                .get(20, TimeUnit.SECONDS);
        assertThat(v1.status()).isEqualTo(200);
        subscribed("open-2", 0);
        await().atMost(WAIT).until(() -> of("open-2", "meeting.ended").size() == 1);
        // V1's event is meeting.transcribed, version 1
        assertThat(of("open-2", WebhookEvent.MEETING_TRANSCRIBED)).singleElement()
                .satisfies(s -> assertThat(((WebhookEvent) s.body()).version()).isEqualTo(1));

        // a transcribed meeting is not followed again by a late meeting.bot_joined
        assertThat(sim.sendWebhook(WebhookEvent.MEETING_BOT_JOINED, "open-1").get(20, TimeUnit.SECONDS).status())
                .isEqualTo(200);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> sim.subscribers("open-1") == 0);
        assertThat(sim.connectAttempts("open-1")).isEqualTo(1);
        assertThat(sim.graphqlRequests("active_meetings")).isZero();
        assertThat(of("open-2", "transcription.broadcast")).hasSize(1);
    }

    @Test
    void onlySignedDeliveriesFollowAMeeting() throws Exception {
        String body = "{\"event\":\"meeting.bot_joined\",\"timestamp\":1764547200000,\"meeting_id\":\"forged\"}";
        assertThat(sim.sendRawWebhook(WebhookVersion.V2, body, null).get(20, TimeUnit.SECONDS).status()).isEqualTo(401);
        assertThat(sim.sendRawWebhook(WebhookVersion.V2, body, "0".repeat(64)).get(20, TimeUnit.SECONDS).status())
                .isEqualTo(401);
        assertThat(sim.sendRawWebhook(WebhookVersion.V2, "not json", sim.webhookSignature("not json"))
                .get(20, TimeUnit.SECONDS).status()).isEqualTo(400);
        // meeting.summarized is not one the meetings consumer acts on: 200, and routed only because events=* names it
        assertThat(sim.sendWebhook(WebhookEvent.MEETING_SUMMARIZED, "forged").get(20, TimeUnit.SECONDS).status())
                .isEqualTo(200);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> sim.connectAttempts("forged") == 0);
        assertThat(seen).extracting(Seen::event).containsExactly(WebhookEvent.MEETING_SUMMARIZED);
    }

    /** The sentences of {@code transcript(id)} so far, read with the component's GraphQL client. */
    private List<String> spoken(String transcriptId) throws Exception {
        FirefliesGraphQLClient client = new FirefliesGraphQLClient(URI.create(sim.graphqlUrl()), ApiKey.of(KEY),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Runnable::run);
        return client.liveTranscript(transcriptId).sentences().stream().map(TranscriptSentence::text).toList();
    }
}
