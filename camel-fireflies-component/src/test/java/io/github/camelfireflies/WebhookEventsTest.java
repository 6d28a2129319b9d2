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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import io.github.camelfireflies.api.WebhookEvent;
import io.github.camelfireflies.internal.webhook.WebhookSignature;
import io.github.camelfireflies.testsupport.PlatformHttp;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@code webhook:fireflies:events} behind Camel's platform-http (Vert.x) on 127.0.0.1, driven by real HTTP requests:
 * each kind of delivery gets its status, and only the valid ones reach the route, once each.
 */
class WebhookEventsTest extends CamelTestSupport {

    private static final String SECRET = "whsec+&=%20-" + Long.toHexString(System.nanoTime());
    /** Below the server's own limit, so that the component's check answers. */
    private static final int MAX_BODY = 4096;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private int port;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        port = PlatformHttp.freeLoopbackPort();
        CamelContext context = super.createCamelContext();
        PlatformHttp.serve(context, port);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("webhook:fireflies:events?webhookSecret=RAW(" + SECRET + ")&maxBodySize=" + MAX_BODY
                     + "&webhookAutoRegister=false&webhookComponentName=platform-http")
                        .routeId("hooks")
                        .to("mock:events");
            }
        };
    }

    private HttpResponse<String> post(byte[] body, String header, String signature) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fireflies/events"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header(header, signature);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postSigned(String json) throws IOException, InterruptedException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return post(body, "X-Hub-Signature", WebhookSignature.sign(SECRET, body));
    }

    private static String v2(String event, String meetingId) {
        return "{\"event\":\"" + event + "\",\"timestamp\":1764547200000,\"meeting_id\":\"" + meetingId
               + "\",\"client_reference_id\":\"ref-1\"}";
    }

    @Test
    void eachDeliveryGetsItsStatusAndOnlyValidOnesAreRoutedOnce() throws Exception {
        MockEndpoint events = getMockEndpoint("mock:events");
        events.expectedMessageCount(3);

        // valid V2 deliveries, with and without the sha256= prefix
        String transcribed = v2(WebhookEvent.MEETING_TRANSCRIBED, "m-1");
        assertThat(postSigned(transcribed).statusCode()).isEqualTo(200);
        byte[] joined = v2(WebhookEvent.MEETING_BOT_JOINED, "m-2").getBytes(StandardCharsets.UTF_8);
        assertThat(post(joined, "X-Hub-Signature", "sha256=" + WebhookSignature.sign(SECRET, joined)).statusCode())
                .isEqualTo(200);
        // V1 (legacy), signed the same way in the lower-case header
        byte[] v1 = "{\"meetingId\":\"m-3\",\"eventType\":\"Transcription completed\",\"clientReferenceId\":\"r\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(post(v1, "x-hub-signature", WebhookSignature.sign(SECRET, v1)).statusCode()).isEqualTo(200);

        // an exact repeat: 200, not routed again
        HttpResponse<String> repeat = postSigned(transcribed);
        assertThat(repeat.statusCode()).isEqualTo(200);
        assertThat(repeat.body()).contains("Duplicate");

        // missing, wrong and tampered signatures: 401
        byte[] body = v2(WebhookEvent.MEETING_SUMMARIZED, "m-4").getBytes(StandardCharsets.UTF_8);
        assertThat(post(body, "X-Hub-Signature", null).statusCode()).isEqualTo(401);
        assertThat(post(body, "X-Hub-Signature", WebhookSignature.sign("another-secret", body)).statusCode())
                .isEqualTo(401);
        byte[] tampered = v2(WebhookEvent.MEETING_SUMMARIZED, "m-5").getBytes(StandardCharsets.UTF_8);
        assertThat(post(tampered, "X-Hub-Signature", WebhookSignature.sign(SECRET, body)).statusCode()).isEqualTo(401);

        // signed, but not a webhook event: 400
        assertThat(postSigned("not json at all").statusCode()).isEqualTo(400);
        assertThat(postSigned("{\"event\":\"meeting.transcribed\"}").statusCode()).isEqualTo(400);

        // an event Fireflies may add one day: 200, not routed
        HttpResponse<String> unknown = postSigned(v2("meeting.renamed", "m-6"));
        assertThat(unknown.statusCode()).isEqualTo(200);

        // a body over maxBodySize: 413
        byte[] big = new byte[MAX_BODY + 1];
        Arrays.fill(big, (byte) ' ');
        assertThat(post(big, "X-Hub-Signature", WebhookSignature.sign(SECRET, big)).statusCode()).isEqualTo(413);

        events.assertIsSatisfied(5000);
        assertThat(events.getReceivedExchanges())
                .extracting(e -> e.getMessage().getHeader(FirefliesConstants.EVENT),
                        e -> e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID),
                        e -> e.getMessage().getHeader(FirefliesConstants.WEBHOOK_VERSION))
                .containsExactly(
                        tuple(WebhookEvent.MEETING_TRANSCRIBED, "m-1", 2),
                        tuple(WebhookEvent.MEETING_BOT_JOINED, "m-2", 2),
                        tuple(WebhookEvent.MEETING_TRANSCRIBED, "m-3", 1));
        Exchange first = events.getReceivedExchanges().get(0);
        assertThat(first.getMessage().getBody()).isInstanceOf(WebhookEvent.class);
        assertThat(first.getMessage().getBody(String.class))
                .isEqualTo("{\"event\":\"meeting.transcribed\",\"timestamp\":1764547200000,\"meeting_id\":\"m-1\","
                           + "\"client_reference_id\":\"ref-1\"}");
        // no HTTP request header leaks into the route
        assertThat(first.getMessage().getHeaders()).doesNotContainKey("X-Hub-Signature");
    }

    @Test
    void aFailingRouteIsAnswered500SoThatFirefliesMaySendAgainAndTheRepeatIsRouted() throws Exception {
        MockEndpoint events = getMockEndpoint("mock:events");
        events.whenExchangeReceived(1, e -> {
            throw new IllegalStateException("downstream is down");
        });
        events.expectedMessageCount(2);
        String body = v2(WebhookEvent.MEETING_TRANSCRIBED, "m-9");
        HttpResponse<String> failed = postSigned(body);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).doesNotContain("downstream").doesNotContain("Exception");
        assertThat(postSigned(body).statusCode()).isEqualTo(200);
        events.assertIsSatisfied(5000);
    }

    @Test
    void aChunkedBodyOverTheServersLimitIsRefused413BeforeItIsRead() throws Exception {
        MockEndpoint events = getMockEndpoint("mock:events");
        events.expectedMessageCount(0);
        byte[] twoMiB = new byte[2 * 1024 * 1024];
        Arrays.fill(twoMiB, (byte) 'x');
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fireflies/events"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature", WebhookSignature.sign(SECRET, twoMiB))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(twoMiB)))
                .build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
        events.assertIsSatisfied(1000);
    }

    @Test
    void withoutASecretTheEndpointRefusesToStartUnlessUnsignedDeliveriesAreAllowed() throws Exception {
        RouteBuilder unsigned = new RouteBuilder() {
            @Override
            public void configure() {
                from("webhook:fireflies:events?webhookAutoRegister=false&webhookComponentName=platform-http"
                     + "&webhookPath=/unsigned").routeId("unsigned").to("mock:unsigned");
            }
        };
        assertThat(catchThrowable(() -> context.addRoutes(unsigned)))
                .rootCause().hasMessageContaining("needs a webhookSecret").hasMessageContaining("allowUnsigned=true");

        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("webhook:fireflies:events?allowUnsigned=true&webhookAutoRegister=false"
                     + "&webhookComponentName=platform-http&webhookPath=/open").routeId("open").to("mock:open");
            }
        });
        MockEndpoint open = getMockEndpoint("mock:open");
        open.expectedMessageCount(1);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/open"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(v2(WebhookEvent.MEETING_TRANSCRIBED, "m-7"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        open.assertIsSatisfied(5000);
    }
}
