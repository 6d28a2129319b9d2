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
package io.github.camelfireflies.simulator;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Signed Fireflies webhooks, sent to a JDK HttpServer that checks them on its own. */
class WebhookTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "whsec-test-0123";

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private WebhookReceiver receiver(WebhookReceiver r) {
        toClose.add(r);
        return r;
    }

    private FirefliesSimulator start(FirefliesSimulator.Builder b) {
        FirefliesSimulator sim = b.start();
        toClose.add(sim);
        return sim;
    }

    /** The expected signature, computed here and not by the simulator: HMAC-SHA256, lower-case hex. */
    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static JsonNode json(WebhookReceiver.Request r) throws Exception {
        return SimJson.MAPPER.readTree(r.body());
    }

    private static List<String> fields(JsonNode o) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Test
    void botJoinedWhenAScheduledMeetingStartsThenTranscribedAndSummarizedAfterItsEnd() throws Exception {
        WebhookReceiver hooks = receiver(new WebhookReceiver());
        long beforeEpochMs = System.currentTimeMillis();
        long before = System.nanoTime();
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .activeMeeting("w-1", "Weekly", "alice@example.com", Duration.ofMillis(1500), Duration.ofMillis(3000))
                .webhook(hooks.url(), SECRET)
                .transcriptReadyDelay(Duration.ofMillis(500))
                .summaryReadyDelay(Duration.ofMillis(300)));
        long after = System.nanoTime();
        assertThat(hooks.requests()).isEmpty(); // the meeting has not started

        await().atMost(WAIT).until(() -> hooks.requests().size() >= 3);
        List<WebhookReceiver.Request> got = hooks.requests();
        assertThat(got).hasSize(3);

        WebhookReceiver.Request joined = got.get(0);
        // right when the meeting starts: 1.5 s after the simulator did (which is between before and after)
        assertThat(ms(joined.nanos() - before)).isGreaterThanOrEqualTo(1500L);
        assertThat(ms(joined.nanos() - after)).isLessThan(1500L + 1500L); // slack for a loaded machine
        JsonNode body = json(joined);
        assertThat(fields(body)).containsExactly("event", "timestamp", "meeting_id");
        assertThat(body.path("event").asText()).isEqualTo("meeting.bot_joined");
        assertThat(body.path("meeting_id").asText()).isEqualTo("w-1");
        assertThat(body.path("timestamp").isIntegralNumber()).isTrue();
        assertThat(Math.abs(body.path("timestamp").asLong() - System.currentTimeMillis())).isLessThan(20_000L);

        for (WebhookReceiver.Request r : got) {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.protocol()).isEqualTo("HTTP/1.1");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            String expected = hmac(SECRET, r.body());
            assertThat(r.header("X-Hub-Signature")).isEqualTo(expected).matches("[0-9a-f]{64}");
        }

        assertThat(json(got.get(1)).path("event").asText()).isEqualTo("meeting.transcribed");
        assertThat(json(got.get(1)).path("meeting_id").asText()).isEqualTo("w-1");
        // after the end (3 s) and the transcript delay (0.5 s)
        assertThat(ms(got.get(1).nanos() - before)).isGreaterThanOrEqualTo(3500L);
        assertThat(json(got.get(2)).path("event").asText()).isEqualTo("meeting.summarized");
        // the events' own times (a delivery may take a while to arrive): transcribed at the end (3 s) + 0.5 s,
        // summarized 0.3 s after transcribed (10 ms of slack for the millisecond clock)
        long transcribedAt = json(got.get(1)).path("timestamp").asLong();
        long summarizedAt = json(got.get(2)).path("timestamp").asLong();
        assertThat(transcribedAt - beforeEpochMs).isGreaterThanOrEqualTo(3500L - 10L);
        assertThat(summarizedAt - transcribedAt).isGreaterThanOrEqualTo(300L - 10L);

        List<WebhookDelivery> deliveries = sim.webhookDeliveries();
        assertThat(deliveries).extracting(WebhookDelivery::event)
                .containsExactly("meeting.bot_joined", "meeting.transcribed", "meeting.summarized");
        assertThat(deliveries).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(200);
            assertThat(d.ok()).isTrue();
            assertThat(d.version()).isEqualTo(WebhookVersion.V2);
            assertThat(d.meetingId()).isEqualTo("w-1");
            assertThat(d.error()).isNull();
        });
        assertThat(deliveries.get(0).body()).isEqualTo(joined.text());
        assertThat(deliveries.get(0).signature()).isEqualTo(joined.header("X-Hub-Signature"));
        assertThat(sim.config().toString()).doesNotContain(SECRET);
    }

    @Test
    void bothVersionsWithThePrefixWhenSteeredMeetingsStartAndEnd() throws Exception {
        WebhookReceiver hooks = receiver(new WebhookReceiver());
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .webhook(hooks.url(), SECRET)
                .webhookVersions(WebhookVersion.V1, WebhookVersion.V2)
                .webhookSignaturePrefix(true)
                .transcriptReadyDelay(Duration.ofMillis(100)));
        sim.startMeeting("s-1", "Ad hoc", "bob@example.com");
        await().atMost(WAIT).until(() -> hooks.requests().size() == 1);
        sim.startMeeting("s-1", "Ad hoc", "bob@example.com"); // already going: the bot does not join twice
        sim.endMeeting("s-1");
        await().atMost(WAIT).until(() -> hooks.requests().size() >= 3);
        sim.endMeeting("s-1"); // already over: nothing more
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> hooks.requests().size() == 3);

        List<WebhookReceiver.Request> got = hooks.requests();
        assertThat(json(got.get(0)).path("event").asText()).isEqualTo("meeting.bot_joined");
        WebhookReceiver.Request v2 = got.stream().filter(r -> r.text().contains("meeting.transcribed")).findFirst()
                .orElseThrow();
        WebhookReceiver.Request v1 = got.stream().filter(r -> r.text().contains("Transcription completed")).findFirst()
                .orElseThrow();
        assertThat(v2.header("X-Hub-Signature")).isEqualTo("sha256=" + hmac(SECRET, v2.body()));
        JsonNode legacy = json(v1);
        assertThat(fields(legacy)).containsExactly("meetingId", "eventType");
        assertThat(legacy.path("meetingId").asText()).isEqualTo("s-1");
        assertThat(legacy.path("eventType").asText()).isEqualTo("Transcription completed");
        assertThat(v1.header("x-hub-signature")).isEqualTo("sha256=" + hmac(SECRET, v1.body()));
        assertThat(sim.webhookDeliveries()).extracting(WebhookDelivery::version)
                .containsExactlyInAnyOrder(WebhookVersion.V2, WebhookVersion.V2, WebhookVersion.V1);
    }

    @Test
    void aScheduledMeetingWhoseScriptEndsIsTranscribedAfterItsEnd() throws Exception {
        WebhookReceiver hooks = receiver(new WebhookReceiver());
        MeetingScript script = MeetingScript.parse(String.join("\n",
                "{\"at_ms\":0,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"a\",\"speaker_name\":\"A\",\"text\":\"hi\"}}",
                "{\"at_ms\":300,\"action\":\"end\"}"), "short");
        FirefliesSimulator sim = start(FirefliesSimulator.builder().meeting("short", script).autoStart(true)
                .activeMeeting("short", "Short", "a@example.com", Duration.ZERO, null)
                .webhook(hooks.url(), SECRET).transcriptReadyDelay(Duration.ofMillis(200)));
        await().atMost(WAIT).until(() -> hooks.requests().size() == 2);
        assertThat(hooks.requests()).extracting(r -> json(r).path("event").asText())
                .containsExactly("meeting.bot_joined", "meeting.transcribed");
        assertThat(sim.activeMeetings()).isEmpty();
        assertThat(GraphQLHttp.transcript(sim, "short").texts()).containsExactly("hi");
    }

    @Test
    void severalUrlsGetEachDeliveryWithTheSameBytesInOrder() throws Exception {
        WebhookReceiver a = receiver(new WebhookReceiver());
        WebhookReceiver b = receiver(new WebhookReceiver());
        FirefliesSimulator sim = start(FirefliesSimulator.builder().webhook(List.of(a.url(), b.url()), SECRET));
        WebhookDelivery first = sim.sendWebhook("meeting.bot_joined", "fan-1").get(20, TimeUnit.SECONDS);
        assertThat(first.url()).isEqualTo(a.url());
        await().atMost(WAIT).until(() -> b.requests().size() == 1);
        assertThat(a.requests()).singleElement().satisfies(r -> {
            assertThat(r.body()).isEqualTo(b.requests().get(0).body());
            assertThat(r.header("X-Hub-Signature")).isEqualTo(b.requests().get(0).header("X-Hub-Signature"));
        });
        assertThat(sim.webhookDeliveries()).extracting(WebhookDelivery::url).containsExactly(a.url(), b.url());
        assertThat(sim.webhookDeliveries()).extracting(WebhookDelivery::body).containsOnly(first.body());
    }

    @Test
    void withoutASecretDeliveriesAreUnsigned() throws Exception {
        WebhookReceiver hooks = receiver(new WebhookReceiver());
        FirefliesSimulator sim = start(FirefliesSimulator.builder().webhook(hooks.url(), null));
        assertThat(sim.webhookSignature("{}")).isNull();
        WebhookDelivery d = sim.sendWebhook("meeting.transcribed", "u-1").get(20, TimeUnit.SECONDS);
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.signature()).isNull();
        assertThat(hooks.requests()).singleElement().satisfies(r -> {
            assertThat(r.header("X-Hub-Signature")).isNull();
            assertThat(r.header("x-hub-signature")).isNull();
        });
    }

    @Test
    void steeredDeliveriesLetATestTryDuplicatesTamperingAndMissingSignatures() throws Exception {
        // a receiver that checks the signature on its own, over the raw bytes
        WebhookReceiver hooks = receiver(new WebhookReceiver(r -> {
            try {
                String sig = r.header("X-Hub-Signature");
                return sig != null && sig.equals(hmac(SECRET, r.body())) ? 200 : 401;
            } catch (Exception e) {
                return 500;
            }
        }));
        FirefliesSimulator sim = start(FirefliesSimulator.builder().webhook(hooks.url(), SECRET));

        WebhookDelivery valid = sim.sendWebhook(WebhookVersion.V2, "meeting.transcribed", "t-1", "crm-42")
                .get(20, TimeUnit.SECONDS);
        assertThat(valid.status()).isEqualTo(200);
        JsonNode body = SimJson.MAPPER.readTree(valid.body());
        assertThat(fields(body)).containsExactly("event", "timestamp", "meeting_id", "client_reference_id");
        assertThat(body.path("client_reference_id").asText()).isEqualTo("crm-42");
        assertThat(valid.signature()).isEqualTo(sim.webhookSignature(valid.body()));

        WebhookDelivery duplicate = sim.sendRawWebhook(WebhookVersion.V2, valid.body(), valid.signature())
                .get(20, TimeUnit.SECONDS);
        assertThat(duplicate.status()).isEqualTo(200);
        assertThat(hooks.requests().get(1).body()).isEqualTo(hooks.requests().get(0).body());

        String tampered = valid.body().replace("t-1", "t-2");
        assertThat(sim.sendRawWebhook(WebhookVersion.V2, tampered, valid.signature()).get(20, TimeUnit.SECONDS).status())
                .isEqualTo(401);
        assertThat(sim.sendRawWebhook(WebhookVersion.V2, valid.body(), null).get(20, TimeUnit.SECONDS).status())
                .isEqualTo(401);
        WebhookDelivery notJson = sim.sendRawWebhook(WebhookVersion.V2, "not json", sim.webhookSignature("not json"))
                .get(20, TimeUnit.SECONDS);
        assertThat(notJson.status()).isEqualTo(200);
        assertThat(notJson.event()).isNull();
        assertThat(tampered).contains("t-2");

        assertThat(sim.webhookDeliveries()).extracting(WebhookDelivery::status).containsExactly(200, 200, 401, 401, 200);
        assertThat(sim.webhookDeliveries().get(2).meetingId()).isEqualTo("t-2");
    }

    @Test
    void aFailedDeliveryIsRecordedOnceWithoutRetry() throws Exception {
        WebhookReceiver failing = receiver(new WebhookReceiver(r -> 500));
        FirefliesSimulator sim = start(FirefliesSimulator.builder().webhook(failing.url(), SECRET));
        assertThat(sim.sendWebhook("meeting.transcribed", "f-1").get(20, TimeUnit.SECONDS).status()).isEqualTo(500);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> failing.requests().size() == 1);

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        FirefliesSimulator refused = start(FirefliesSimulator.builder()
                .webhook(URI.create("http://127.0.0.1:" + port + "/nobody"), SECRET));
        WebhookDelivery d = refused.sendWebhook("meeting.transcribed", "f-2").get(20, TimeUnit.SECONDS);
        assertThat(d.status()).isEqualTo(-1);
        assertThat(d.ok()).isFalse();
        assertThat(d.error()).isNotBlank().doesNotContain(SECRET);
        assertThat(refused.webhookDeliveries()).containsExactly(d);
    }

    @Test
    void aSlowReceiverDoesNotHoldTheMeetingClock() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WebhookReceiver slow = receiver(new WebhookReceiver(r -> {
            try {
                release.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 200;
        }));
        MeetingScript script = MeetingScript.parse(
                "{\"at_ms\":100,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"a\",\"text\":\"on time\"}}",
                "one");
        FirefliesSimulator sim = start(FirefliesSimulator.builder().defaultMeeting(script)
                .webhook(slow.url(), SECRET).pingInterval(Duration.ofMillis(200)).pingTimeout(Duration.ofMillis(2000)));
        sim.startMeeting("slow", "Slow receiver", "s@example.com"); // bot_joined: held by the receiver
        await().atMost(WAIT).until(() -> slow.requests().size() == 1);
        try (RawClient c = RawClient.connect(sim)) {
            c.subscribe(sim, "slow");
            // the script plays (and the heartbeat goes on) while the delivery waits
            assertThat(((WirePacket.Event) c.nextPacket()).firstArg().path("text").asText()).isEqualTo("on time");
            assertThat(sim.webhookDeliveries()).isEmpty();
        } finally {
            release.countDown();
        }
        await().atMost(WAIT).until(() -> sim.webhookDeliveries().size() == 1);
    }

    @Test
    void withoutAWebhookUrlTheSteeringSaysSo() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder());
        assertThat(sim.webhookDeliveries()).isEmpty();
        assertThatThrownBy(() -> sim.sendWebhook("meeting.transcribed", "x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Builder.webhook");
        assertThatThrownBy(() -> FirefliesSimulator.builder().webhook(URI.create("ftp://example.com/x"), SECRET))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FirefliesSimulator.builder().webhook(URI.create("/relative"), SECRET))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCommandLineConfiguresWebhooksWithoutPrintingTheSecret() throws Exception {
        WebhookReceiver hooks = receiver(new WebhookReceiver());
        FirefliesSimulatorMain.Options options = FirefliesSimulatorMain.parse("--webhook-url", hooks.url().toString(),
                "--webhook-secret", SECRET, "--webhook-version", "both", "--webhook-signature-prefix",
                "--transcript-ready-ms", "100", "--active-meeting", "cli,CLI,c@example.com,0,1");
        assertThat(options.webhooks()).contains(hooks.url().toString()).contains("signed").doesNotContain(SECRET);
        FirefliesSimulator sim = start(options.builder());
        await().atMost(WAIT).until(() -> hooks.requests().size() == 3);
        // the simulator records a delivery once its answer is read, a moment after the receiver saw the request
        await().atMost(WAIT).until(() -> sim.webhookDeliveries().size() == 3);
        assertThat(hooks.requests().get(0).header("X-Hub-Signature"))
                .isEqualTo("sha256=" + hmac(SECRET, hooks.requests().get(0).body()));
        assertThat(sim.webhookDeliveries()).extracting(WebhookDelivery::event)
                .containsExactlyInAnyOrder("meeting.bot_joined", "meeting.transcribed", "Transcription completed");

        assertThatThrownBy(() -> FirefliesSimulatorMain.parse("--webhook-secret", SECRET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--webhook-url")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> FirefliesSimulatorMain.parse("--webhook-url", "http://127.0.0.1:1/x",
                "--webhook-version", "3")).hasMessageContaining("1, 2 or both");
    }
}
