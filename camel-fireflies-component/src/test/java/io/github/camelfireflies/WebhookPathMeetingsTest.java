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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.api.WebhookEvent;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.testsupport.PlatformHttp;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code fireflies:meetings?webhookPath=...}: the route's consumer is the meetings consumer, which takes the signed
 * webhooks through a REST consumer of its own on Camel's platform-http (Vert.x) on 127.0.0.1, polling off
 * ({@code startScheduler=false}); the simulator is the Realtime API, the GraphQL API and the sender. Suspending the route
 * answers the webhooks 503 (nothing followed) and resuming it takes them again; stopping the route removes the path.
 */
class WebhookPathMeetingsTest extends CamelTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET = "whsec+&=-" + Long.toHexString(System.nanoTime());
    private static final String KEY = "sim-key-webhook-path";

    private final Queue<String> events = new ConcurrentLinkedQueue<>();
    private int port;
    private FirefliesSimulator sim;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        port = PlatformHttp.freeLoopbackPort();
        sim = FirefliesSimulator.builder()
                .apiKey(KEY)
                .defaultMeeting(MeetingScript.parse(
                        "{\"at_ms\":200,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"o1\","
                                                    + "\"speaker_name\":\"Dev\",\"text\":\"Still here\","
                                                    + "\"start_time\":0,\"end_time\":1}}",
                        "open"))
                .webhook(URI.create("http://127.0.0.1:" + port + "/fireflies/meetings"), SECRET)
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
                from("fireflies:meetings?webhookPath=/fireflies/meetings&webhookComponentName=platform-http"
                     + "&startScheduler=false&webhookSecret=RAW(" + SECRET + ")&url=" + sim.url() + "&apiKey=RAW("
                     + KEY + ")&events=meeting.started")
                        .routeId("meetings")
                        .process(e -> events.add(e.getMessage().getHeader(FirefliesConstants.EVENT, String.class) + " "
                                                 + e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID,
                                                         String.class)));
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

    private MeetingsConsumer meetings() {
        return (MeetingsConsumer) context.getRoute("meetings").getConsumer();
    }

    private int send(String event, String meetingId) throws Exception {
        return sim.sendWebhook(event, meetingId).get(20, TimeUnit.SECONDS).status();
    }

    @Test
    void theRoutesConsumerIsTheMeetingsConsumerAndABotJoinedFollowsTheMeeting() throws Exception {
        Route route = context.getRoute("meetings");
        assertThat(route.getConsumer()).isInstanceOf(MeetingsConsumer.class);
        assertThat(route.getEndpoint()).isInstanceOf(FirefliesEndpoint.class);

        sim.startMeeting("standup", "Standup", "alice@example.com"); // the bot joins: meeting.bot_joined
        await().atMost(WAIT).until(() -> sim.subscribers("standup") == 1);
        await().atMost(WAIT).until(() -> events.contains("meeting.started standup"));
        assertThat(meetings().getFollowedByWebhook()).isEqualTo(1);
        assertThat(meetings().streamingMeetingIds()).containsExactly("standup");

        assertThat(send(WebhookEvent.MEETING_TRANSCRIBED, "standup")).isEqualTo(200);
        await().atMost(WAIT).until(() -> sim.subscribers("standup") == 0);
        assertThat(meetings().getEndedByWebhook()).isEqualTo(1);
        assertThat(sim.graphqlRequests("active_meetings")).as("polls: startScheduler=false").isZero();
    }

    @Test
    void aSuspendedRouteAnswers503AndFollowsNothingUntilResumed() throws Exception {
        context.getRouteController().suspendRoute("meetings");
        assertThat(context.getRouteController().getRouteStatus("meetings")).isEqualTo(ServiceStatus.Suspended);
        assertThat(meetings().isSuspended()).isTrue();

        assertThat(send(WebhookEvent.MEETING_BOT_JOINED, "while-suspended")).isEqualTo(503);
        assertThat(meetings().getFollowedByWebhook()).isZero();
        assertThat(sim.connectAttempts("while-suspended")).isZero();

        context.getRouteController().resumeRoute("meetings");
        assertThat(context.getRouteController().getRouteStatus("meetings")).isEqualTo(ServiceStatus.Started);
        // Fireflies sends it again after a 503: the same delivery is taken now (a refused one is not a duplicate)
        assertThat(send(WebhookEvent.MEETING_BOT_JOINED, "while-suspended")).isEqualTo(200);
        await().atMost(WAIT).until(() -> sim.subscribers("while-suspended") == 1);
        assertThat(meetings().getFollowedByWebhook()).isEqualTo(1);
    }

    @Test
    void aStoppedRouteRemovesThePathAndAStartedOneTakesItAgain() throws Exception {
        context.getRouteController().stopRoute("meetings");
        assertThat(send(WebhookEvent.MEETING_BOT_JOINED, "while-stopped")).isEqualTo(404);
        assertThat(sim.connectAttempts("while-stopped")).isZero();

        context.getRouteController().startRoute("meetings");
        assertThat(send(WebhookEvent.MEETING_BOT_JOINED, "after-start")).isEqualTo(200);
        await().atMost(WAIT).until(() -> sim.subscribers("after-start") == 1);
    }

    @Test
    void withoutASecretTheConsumerIsNotMade() {
        FirefliesEndpoint unsigned = context.getEndpoint("fireflies:meetings?webhookPath=/unsigned&apiKey=RAW(" + KEY
                                                         + ")&url=" + sim.url(), FirefliesEndpoint.class);
        assertThatThrownBy(() -> unsigned.createConsumer(e -> {
        })).hasMessageContaining("fireflies:meetings needs a webhookSecret").hasMessageContaining("allowUnsigned=true")
                .hasMessageNotContaining("webhook:");
    }
}
