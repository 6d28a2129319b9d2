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
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.api.Transcript;
import io.github.camelfireflies.api.TranscriptSentence;
import io.github.camelfireflies.api.WebhookEvent;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.simulator.WebhookDelivery;
import io.github.camelfireflies.simulator.WebhookVersion;
import io.github.camelfireflies.testsupport.PlatformHttp;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code webhook:fireflies:events?fetchTranscript=true} with the simulator as the sender and the GraphQL API: a
 * {@code meeting.transcribed} exchange carries the typed finished transcript; while the API rate limits the key it
 * carries the webhook event, why there is no transcript and the Retry-After, and no call is made.
 */
class WebhookTranscriptTest extends CamelTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "whsec-transcripts-" + Long.toHexString(System.nanoTime());
    private static final String KEY = "sim-key-transcripts";

    private int port;
    private FirefliesSimulator sim;

    /** A short meeting: three segments (one revised), then its end. */
    private static MeetingScript review() {
        return MeetingScript.parse(String.join("\n",
                "{\"at_ms\":100,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"r1\",\"speaker_name\":\"Chloé\",\"text\":\"Design review\",\"start_time\":0,\"end_time\":1}}",
                "{\"at_ms\":200,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"r1\",\"speaker_name\":\"Chloé\",\"text\":\"Design review ✅\",\"start_time\":0,\"end_time\":1.2}}",
                "{\"at_ms\":300,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"r2\",\"speaker_name\":\"Dev\",\"text\":\"Looks good\",\"start_time\":1.5,\"end_time\":2.5}}",
                "{\"at_ms\":400,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"r3\",\"speaker_name\":\"Chloé\",\"text\":\"Ship it\",\"start_time\":3,\"end_time\":3.5}}",
                "{\"at_ms\":600,\"action\":\"end\"}"), "review");
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        port = PlatformHttp.freeLoopbackPort();
        sim = FirefliesSimulator.builder()
                .apiKey(KEY)
                .defaultMeeting(review())
                .autoStart(true) // a meeting started with startMeeting(id, title, organizer) plays at once, unattended
                .webhook(URI.create("http://127.0.0.1:" + port + "/fireflies/events"), SECRET)
                .transcriptReadyDelay(Duration.ofMillis(300))
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
                from("webhook:fireflies:events?webhookSecret=RAW(" + SECRET + ")&webhookAutoRegister=false"
                     + "&webhookComponentName=platform-http&fetchTranscript=true&apiKey=RAW(" + KEY + ")&graphqlUrl="
                     + sim.graphqlUrl())
                        .routeId("events")
                        .to("mock:events");
            }
        };
    }

    @Override
    protected void doPostTearDown() throws Exception {
        context.stop();
        if (sim != null) {
            sim.close();
        }
    }

    private static Exchange transcribed(MockEndpoint mock, String id) {
        return mock.getReceivedExchanges().stream()
                .filter(e -> WebhookEvent.MEETING_TRANSCRIBED.equals(e.getMessage().getHeader(FirefliesConstants.EVENT))
                             && id.equals(e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID)))
                .findFirst().orElse(null);
    }

    @Test
    void meetingTranscribedCarriesTheTypedFinishedTranscript() throws Exception {
        MockEndpoint events = getMockEndpoint("mock:events");
        sim.startMeeting("review", "Design review", "chloe@example.com"); // bot_joined; the meeting plays and ends
        await().atMost(WAIT).until(() -> transcribed(events, "review") != null);

        // meeting.bot_joined first, as it came: its body is the webhook event
        Exchange joined = events.getReceivedExchanges().get(0);
        assertThat(joined.getMessage().getHeader(FirefliesConstants.EVENT)).isEqualTo(WebhookEvent.MEETING_BOT_JOINED);
        assertThat(joined.getMessage().getBody()).isInstanceOf(WebhookEvent.class);

        Exchange done = transcribed(events, "review");
        Transcript t = done.getMessage().getBody(Transcript.class);
        assertThat(done.getMessage().getBody()).isInstanceOf(Transcript.class);
        assertThat(t.id()).isEqualTo("review");
        assertThat(t.title()).isEqualTo("Design review");
        assertThat(t.organizerEmail()).isEqualTo("chloe@example.com");
        assertThat(t.sentences()).extracting(TranscriptSentence::speakerName, TranscriptSentence::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Chloé", "Design review ✅"),
                        org.assertj.core.groups.Tuple.tuple("Dev", "Looks good"),
                        org.assertj.core.groups.Tuple.tuple("Chloé", "Ship it"));
        assertThat(t.speakers()).extracting(Transcript.Speaker::name).containsExactly("Chloé", "Dev");
        assertThat(t.text()).isEqualTo("Chloé: Design review ✅\nDev: Looks good\nChloé: Ship it\n");
        // the webhook event moved to a header; no error
        WebhookEvent event = done.getMessage().getHeader(FirefliesConstants.WEBHOOK_EVENT, WebhookEvent.class);
        assertThat(event.transcriptId()).isEqualTo("review");
        assertThat(done.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ERROR)).isNull();
        // the body converts to JSON with the API's names
        assertThat(done.getMessage().getBody(String.class)).contains("\"organizer_email\":\"chloe@example.com\"",
                "\"speaker_name\":\"Dev\"");
        assertThat(sim.graphqlRequests("transcript")).isEqualTo(1);
        // recorded once the answer reached the simulator, which is after the route ran
        WebhookDelivery delivery = await().atMost(Duration.ofSeconds(10)).until(() -> sim.webhookDeliveries().stream()
                .filter(d -> WebhookEvent.MEETING_TRANSCRIBED.equals(d.event())).findFirst(), o -> o.isPresent())
                .orElseThrow();
        assertThat(delivery.status()).isEqualTo(200);
        System.out.printf("webhook:fireflies:events?fetchTranscript=true: meeting.transcribed answered %d in %d ms"
                          + " (fetch and route included)%n", delivery.status(), delivery.took().toMillis());
        assertThat(delivery.took()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void whileTheApiRateLimitsTheKeyTheExchangeSaysWhyAndNoCallIsMade() throws Exception {
        MockEndpoint events = getMockEndpoint("mock:events");
        sim.rateLimitGraphQL(1, 120); // the next call gets 429, Retry-After: 120
        WebhookDelivery first = sim.sendWebhook(WebhookVersion.V2, WebhookEvent.MEETING_TRANSCRIBED, "m-429", "ref-1")
                .get(20, TimeUnit.SECONDS);
        assertThat(first.status()).isEqualTo(200); // routed all the same: the delivery is not lost
        assertThat(first.took()).isLessThan(Duration.ofSeconds(5)); // a Retry-After past the bound is not waited for

        Exchange limited = transcribed(events, "m-429");
        assertThat(limited.getMessage().getBody()).isInstanceOf(WebhookEvent.class);
        assertThat(limited.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ERROR, String.class))
                .contains("rate limiting").doesNotContain(KEY);
        assertThat(limited.getMessage().getHeader(FirefliesConstants.RETRY_AFTER, Long.class))
                .isBetween(100_000L, 120_000L);
        assertThat(limited.getMessage().getHeader(FirefliesConstants.WEBHOOK_EVENT, WebhookEvent.class)
                .clientReferenceId()).isEqualTo("ref-1");

        // another one within the Retry-After: no call at all
        WebhookDelivery second = sim.sendWebhook(WebhookVersion.V1, "Transcription completed", "m-430", null)
                .get(20, TimeUnit.SECONDS);
        assertThat(second.status()).isEqualTo(200);
        Exchange skipped = transcribed(events, "m-430");
        assertThat(skipped.getMessage().getHeader(FirefliesConstants.WEBHOOK_VERSION)).isEqualTo(1);
        assertThat(skipped.getMessage().getHeader(FirefliesConstants.RETRY_AFTER, Long.class)).isPositive();
        assertThat(sim.graphqlRequests("transcript")).isEqualTo(1);
        assertThat(List.of(first.status(), second.status())).containsOnly(200);
    }
}
