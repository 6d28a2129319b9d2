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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FirefliesSimulatorProtocolTest {

    private static final String KEY = "test-key-123";
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private FirefliesSimulator start(FirefliesSimulator.Builder b) {
        FirefliesSimulator sim = b.apiKey(KEY).start();
        toClose.add(sim);
        return sim;
    }

    private FirefliesSimulator start() {
        return start(FirefliesSimulator.builder());
    }

    private RawClient client(FirefliesSimulator sim, boolean answerPings) {
        RawClient c = RawClient.connect(sim, answerPings);
        toClose.add(c);
        return c;
    }

    @Test
    void openPacketAnnouncesTheConfiguredHeartbeat() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .pingInterval(Duration.ofMillis(1500)).pingTimeout(Duration.ofMillis(1200)));
        assertThat(sim.url()).startsWith("ws://127.0.0.1:").isEqualTo("ws://127.0.0.1:" + sim.port());
        assertThat(sim.path()).isEqualTo("/ws/realtime");

        RawClient c = client(sim, true);
        String frame = c.nextText();
        assertThat(frame).startsWith("0{");
        JsonNode json = RawClient.json(frame.substring(1));
        assertThat(json.get("sid").asText()).hasSize(20);
        assertThat(json.get("upgrades").isArray()).isTrue();
        assertThat(json.get("upgrades")).isEmpty();
        assertThat(json.get("pingInterval").asLong()).isEqualTo(1500);
        assertThat(json.get("pingTimeout").asLong()).isEqualTo(1200);
        assertThat(json.get("maxPayload").asLong()).isEqualTo(1_000_000);
        WirePacket.Open open = (WirePacket.Open) new RawClient.Frame(frame, null, 0).packet();
        assertThat(open.pingInterval()).isEqualTo(1500);
        assertThat(sim.connections()).isEqualTo(1);
    }

    @Test
    void pingsAtTheIntervalWhileTheClientAnswers() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .pingInterval(Duration.ofMillis(200)).pingTimeout(Duration.ofMillis(400)));
        RawClient c = client(sim, false);
        long openAt = c.next().nanos();
        long previous = openAt;
        for (int i = 0; i < 4; i++) {
            RawClient.Frame ping = c.next(Duration.ofSeconds(8));
            assertThat(ping.text()).isEqualTo("2");
            long gapMs = TimeUnit.NANOSECONDS.toMillis(ping.nanos() - previous);
            assertThat(gapMs).as("gap before ping %d", i).isBetween(180L, 5000L); // upper bound only catches a stop: loaded CI machines are slow
            c.send("3");
            previous = ping.nanos();
        }
        assertThat(c.closed).isNotDone();
        assertThat(sim.connections()).isEqualTo(1);
    }

    @Test
    void aPongArrivingWhileThePingIsStillBeingSentKeepsTheHeartbeatGoing() {
        // a client on loopback answers at once: its PONG may arrive before the server's send of the PING returned
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .pingInterval(Duration.ofMillis(10)).pingTimeout(Duration.ofMillis(500)));
        RawClient c = client(sim, true);
        // OPEN, then only pings (each answered at once): 150 of them means the heartbeat never stalled
        await().atMost(Duration.ofSeconds(30)).until(() -> c.pending() >= 151 || c.closed.isDone());
        assertThat(c.closed).isNotDone();
        assertThat(sim.connections()).isEqualTo(1);
    }

    @Test
    void missingPongClosesTheConnection() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .pingInterval(Duration.ofMillis(150)).pingTimeout(Duration.ofMillis(250)));
        RawClient c = client(sim, false);
        c.next(); // OPEN
        RawClient.Frame ping = c.next(Duration.ofSeconds(8));
        assertThat(ping.text()).isEqualTo("2");
        Integer code = c.closed.orTimeout(5, TimeUnit.SECONDS).join();
        long afterPingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ping.nanos());
        assertThat(code).isEqualTo(1000);
        assertThat(afterPingMs).isGreaterThanOrEqualTo(200L);
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.connections() == 0);
    }

    @Test
    void aPingFromTheClientIsAProtocolError() {
        FirefliesSimulator sim = start();
        RawClient c = client(sim, true);
        c.next();
        c.send("2");
        assertThat(c.closed.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo(1002);
    }

    @Test
    void rightKeyIsAcknowledgedAndSubscribed() {
        FirefliesSimulator sim = start();
        RawClient c = client(sim, true);
        WirePacket.Open open = c.handshake("Bearer " + KEY, "meeting-1");
        WirePacket.Connect ack = c.expect(WirePacket.Connect.class);
        assertThat(ack.data().get("sid").asText()).hasSize(20).isNotEqualTo(open.sid());
        WirePacket.Event success = c.expectEvent("auth.success");
        assertThat(success.firstArg().get("message").asText()).isEqualTo("Authenticated");
        WirePacket.Event established = c.expectEvent("connection.established");
        assertThat(established.args()).isEmpty();
        assertThat(sim.subscribers("meeting-1")).isEqualTo(1);
        assertThat(sim.connectAttempts("meeting-1")).isEqualTo(1);

        assertThat(sim.emitTranscription("meeting-1", "c1", "Alice", "Hello", 0, 1.5)).isEqualTo(1);
        WirePacket.Event e = c.expectEvent("transcription.broadcast");
        assertThat(e.firstArg().get("text").asText()).isEqualTo("Hello");
        assertThat(e.firstArg().get("start_time").isIntegralNumber()).isTrue();
        assertThat(e.firstArg().get("end_time").asDouble()).isEqualTo(1.5);
    }

    @Test
    void wrongKeyGetsAuthFailedDisconnectAndClose() {
        FirefliesSimulator sim = start();
        RawClient c = client(sim, true);
        c.handshake("Bearer wrong", "meeting-1");
        c.expect(WirePacket.Connect.class);
        WirePacket.Event failed = c.expectEvent("auth.failed");
        assertThat(failed.firstArg().get("message").asText()).isEqualTo("Invalid API key");
        assertThat(c.nextText()).isEqualTo("41");
        assertThat(c.closed.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo(1000);
        assertThat(sim.subscribers("meeting-1")).isZero();
        assertThat(sim.connectAttempts("meeting-1")).isEqualTo(1);
    }

    @Test
    void rejectMeGetsConnectErrorAndTheConnectionStaysUntilTheConnectTimeout() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder().connectTimeout(Duration.ofMillis(600)));
        RawClient c = client(sim, true);
        c.handshake("Bearer " + FirefliesSimulator.REJECT_KEY, "meeting-1");
        long sent = System.nanoTime();
        WirePacket.ConnectError error = c.expect(WirePacket.ConnectError.class);
        assertThat(error.message()).isNotEmpty();
        assertThat(error.data().get("reason").asText()).isEqualTo("rejected by middleware");
        assertThat(c.closed.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo(1000);
        // closed by the connect timeout (600 ms after OPEN), not right after the CONNECT_ERROR
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isGreaterThanOrEqualTo(300L);
        assertThat(sim.connectAttempts("meeting-1")).isEqualTo(1);
        assertThat(sim.subscribers("meeting-1")).isZero();
    }

    @Test
    void unknownTranscriptGetsConnectionErrorThenDisconnect() {
        FirefliesSimulator sim = start();
        RawClient c = client(sim, true);
        c.handshake("Bearer " + KEY, FirefliesSimulator.UNKNOWN_TRANSCRIPT);
        c.expect(WirePacket.Connect.class);
        c.expectEvent("auth.success");
        WirePacket.Event error = c.expectEvent("connection.error");
        assertThat(error.firstArg().get("message").asText()).isEqualTo("Transcript not found");
        assertThat(c.nextText()).isEqualTo("41");
        assertThat(c.closed.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo(1000);
        assertThat(sim.connectAttempts(FirefliesSimulator.UNKNOWN_TRANSCRIPT)).isEqualTo(1);
    }

    @Test
    void attemptsAreCountedPerTranscript() {
        FirefliesSimulator sim = start();
        for (int i = 0; i < 3; i++) {
            RawClient c = client(sim, true);
            c.handshake("Bearer wrong", "m-a");
            c.closed.orTimeout(5, TimeUnit.SECONDS).join();
        }
        RawClient ok = client(sim, true);
        ok.subscribe(sim, "m-b");
        assertThat(sim.connectAttempts("m-a")).isEqualTo(3);
        assertThat(sim.connectAttempts("m-b")).isEqualTo(1);
        assertThat(sim.connectAttempts("m-c")).isZero();
    }

    @Test
    void steeringReachesOnlyTheSubscribersOfTheTranscript() {
        FirefliesSimulator sim = start();
        RawClient a = client(sim, true);
        a.subscribe(sim, "m-1");
        RawClient b = client(sim, true);
        b.subscribe(sim, "m-2");

        JsonNode data = RawClient.json("{\"chunk_id\":\"x\",\"text\":\"hé 🎉\"}");
        assertThat(sim.emitTranscriptions("m-1", List.of(data), Shape.PAYLOAD)).isEqualTo(1);
        assertThat(a.expectEvent("transcription.broadcast").firstArg().get("payload").get("text").asText())
                .isEqualTo("hé 🎉");
        assertThat(sim.emitEvent("m-1", "custom")).isEqualTo(1);
        assertThat(a.nextText()).isEqualTo("42[\"custom\"]");
        assertThat(sim.emitRawFrame("m-1", "42[\"broken\"")).isEqualTo(1);
        assertThat(a.nextText()).isEqualTo("42[\"broken\"");
        assertThat(sim.emitBinaryEvent("m-1", "audio", new byte[] { 1, 2, 3 })).isEqualTo(1);
        assertThat(a.nextText()).isEqualTo("451-[\"audio\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(a.next().binary()).containsExactly(1, 2, 3);
        assertThat(sim.emitEvent("nobody", "x")).isZero();

        assertThat(sim.disconnect("m-1")).isEqualTo(1);
        assertThat(a.nextText()).isEqualTo("41");
        assertThat(sim.subscribers("m-1")).isZero();
        assertThat(sim.subscribers("m-2")).isEqualTo(1);
        assertThat(b.pending()).isZero();
    }

    @Test
    void clientDisconnectLeavesTheMeeting() {
        FirefliesSimulator sim = start();
        RawClient a = client(sim, true);
        a.subscribe(sim, "m-1");
        assertThat(sim.subscribers("m-1")).isEqualTo(1);
        a.send("41");
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.subscribers("m-1") == 0);
        assertThat(sim.connections()).isEqualTo(1);
        a.send("1");
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.connections() == 0);
    }

    @Test
    void httpErrorsLikeEngineIo() throws Exception {
        FirefliesSimulator sim = start();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + sim.port() + sim.path() + "/";
        HttpResponse<String> eio3 = http.send(HttpRequest.newBuilder(URI.create(base + "?EIO=3&transport=websocket"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(eio3.statusCode()).isEqualTo(400);
        assertThat(eio3.body()).isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        HttpResponse<String> polling = http.send(HttpRequest.newBuilder(URI.create(base + "?EIO=4&transport=polling"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(polling.statusCode()).isEqualTo(400);
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(base + "?EIO=4&transport=websocket"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).contains("\"code\":3");
    }
}
