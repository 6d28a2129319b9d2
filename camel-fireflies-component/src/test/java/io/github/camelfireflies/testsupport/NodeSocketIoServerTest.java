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
package io.github.camelfireflies.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelfireflies.internal.socketio.Packet;
import io.github.camelfireflies.internal.socketio.PacketCodec;
import io.github.camelfireflies.internal.socketio.SocketIoProtocolException;
import io.github.camelfireflies.simulator.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Proves the node fixture behaves like the Fireflies Realtime API and that its frames decode with our
 * {@link PacketCodec}, using a raw JDK WebSocket client (not the component).
 */
class NodeSocketIoServerTest {

    private static final Logger LOG = LoggerFactory.getLogger(NodeSocketIoServerTest.class);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long PING_MS = 300;

    private static NodeSocketIoServer server;

    @BeforeAll
    static void startServer() {
        server = NodeSocketIoServer.start(NodeSocketIoServer.Options.defaults()
                .withPing(Duration.ofMillis(PING_MS), Duration.ofMillis(PING_MS)));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
            server.close(); // idempotent
        }
    }

    @Test
    void handshakeMatchesTheFlagsAndTheFirefliesSequence() throws Exception {
        try (RawClient c = RawClient.open(server)) {
            Packet.Open open = c.expect(Packet.Open.class);
            assertThat(open.pingInterval()).isEqualTo(PING_MS);
            assertThat(open.pingTimeout()).isEqualTo(PING_MS);
            assertThat(open.maxPayload()).isEqualTo(1_000_000);

            int before = server.connectAttempts("hs");
            c.send("40{\"token\":\"Bearer test-key-123\",\"transcriptId\":\"hs\"}");
            assertThat(c.expect(Packet.Connect.class).data().path("sid").isTextual()).isTrue();
            Packet.Event success = c.expect(Packet.Event.class);
            assertThat(success.name()).isEqualTo("auth.success");
            assertThat(success.firstArg().path("message").asText()).isEqualTo("Authenticated");
            Packet.Event established = c.expect(Packet.Event.class);
            assertThat(established.name()).isEqualTo("connection.established");
            assertThat(established.args()).isEmpty();
            assertThat(c.lastText()).isEqualTo("42[\"connection.established\"]");

            await().atMost(WAIT).until(() -> server.subscribers("hs") == 1);
            assertThat(server.connectAttempts("hs")).isEqualTo(before + 1);
            assertThat(server.state().path("engineConnections").asInt()).isGreaterThanOrEqualTo(1);
        }
        await().atMost(WAIT).until(() -> server.subscribers("hs") == 0);
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void transcriptionInEachShape(Shape shape) throws Exception {
        String tid = "shape-" + shape;
        try (RawClient c = RawClient.connected(server, tid)) {
            JsonNode event = PacketCodec.mapper().readTree(
                    "{\"transcript_id\":\"" + tid + "\",\"chunk_id\":\"c1\",\"text\":\"hello\",\"speaker_name\":\"Ann\","
                    + "\"start_time\":0.0,\"end_time\":1.39}");
            assertThat(server.emitTranscription(tid, List.of(event), shape, WAIT)).isEqualTo(1);

            Packet.Event e = c.expect(Packet.Event.class);
            assertThat(e.name()).isEqualTo("transcription.broadcast");
            JsonNode body = switch (shape) {
                case FLAT -> e.firstArg();
                case PAYLOAD -> e.firstArg().path("payload");
                case DATA -> e.firstArg().path("data");
            };
            assertThat(body.path("chunk_id").asText()).isEqualTo("c1");
            assertThat(body.path("text").asText()).isEqualTo("hello");
            assertThat(body.path("end_time").asDouble()).isEqualTo(1.39);
            // JavaScript has one number type: 0.0 travels as 0
            assertThat(c.lastText()).contains("\"start_time\":0,");
        }
    }

    @Test
    void eventsRawFramesAndBinaryArriveInOrder() throws Exception {
        String tid = "emit";
        try (RawClient c = RawClient.connected(server, tid)) {
            server.emitEvent(tid, "no.args", List.of(), WAIT);
            server.emitEvent(tid, "two.args", NodeSocketIoServer.args(null, 7), WAIT);
            server.emitRawFrame(tid, "42[\"broken\"", WAIT);
            server.emitBinaryEvent(tid, "audio", new byte[] { 1, 2, 3 }, WAIT);

            assertThat(c.expect(Packet.Event.class).args()).isEmpty();
            assertThat(c.lastText()).isEqualTo("42[\"no.args\"]");
            Packet.Event two = c.expect(Packet.Event.class);
            assertThat(two.args()).hasSize(2);
            assertThat(two.args().get(0).isNull()).isTrue();
            assertThat(two.args().get(1).asInt()).isEqualTo(7);

            String raw = c.nextText();
            assertThat(raw).isEqualTo("42[\"broken\"");
            assertThatThrownBy(() -> PacketCodec.decode(raw)).isInstanceOf(SocketIoProtocolException.class);

            Packet.BinaryEvent bin = c.expect(Packet.BinaryEvent.class);
            assertThat(bin.name()).isEqualTo("audio");
            assertThat(bin.attachments()).isEqualTo(1);
            assertThat(bin.args().get(0).path("_placeholder").asBoolean()).isTrue();
            assertThat(c.nextBinary()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void emitWithoutSubscriberFailsAfterTheWait() {
        assertThatThrownBy(() -> server.emitEvent("nobody-here", "x", List.of(), Duration.ofMillis(100)))
                .hasMessageContaining("409");
    }

    @Test
    void badKeyGetsAuthFailedThenDisconnectThenClose() throws Exception {
        int before = server.connectAttempts("bad");
        try (RawClient c = RawClient.open(server)) {
            c.expect(Packet.Open.class);
            c.send("40{\"token\":\"Bearer wrong\",\"transcriptId\":\"bad\"}");
            c.expect(Packet.Connect.class);
            Packet.Event failed = c.expect(Packet.Event.class);
            assertThat(failed.name()).isEqualTo("auth.failed");
            assertThat(failed.firstArg().path("message").asText()).isEqualTo("Invalid API key");
            c.expect(Packet.Disconnect.class);
            assertThat(c.nextTerminal()).isEqualTo("close 1005");
        }
        assertThat(server.connectAttempts("bad")).isEqualTo(before + 1);
    }

    @Test
    void rejectKeyGetsConnectError() throws Exception {
        int before = server.connectAttempts("rej");
        try (RawClient c = RawClient.open(server)) {
            c.expect(Packet.Open.class);
            c.send("40{\"token\":\"Bearer reject-me\",\"transcriptId\":\"rej\"}");
            Packet.ConnectError error = c.expect(Packet.ConnectError.class);
            assertThat(error.message()).isNotEmpty();
            assertThat(error.data().path("reason").asText()).isEqualTo("rejected by middleware");
        }
        assertThat(server.connectAttempts("rej")).isEqualTo(before + 1);
        assertThat(server.subscribers("rej")).isZero();
    }

    @Test
    void unknownTranscriptGetsConnectionErrorThenDisconnect() throws Exception {
        try (RawClient c = RawClient.open(server)) {
            c.expect(Packet.Open.class);
            c.send("40{\"token\":\"Bearer test-key-123\",\"transcriptId\":\"unknown-transcript\"}");
            c.expect(Packet.Connect.class);
            assertThat(c.expect(Packet.Event.class).name()).isEqualTo("auth.success");
            Packet.Event error = c.expect(Packet.Event.class);
            assertThat(error.name()).isEqualTo("connection.error");
            assertThat(error.firstArg().path("message").asText()).isEqualTo("Transcript not found");
            c.expect(Packet.Disconnect.class);
        }
    }

    @Test
    void serverDisconnectSends41() throws Exception {
        try (RawClient c = RawClient.connected(server, "kick")) {
            server.disconnect("kick");
            c.expect(Packet.Disconnect.class);
            assertThat(c.nextTerminal()).startsWith("close");
        }
    }

    @Test
    void answeredPingsKeepTheConnectionAlive() throws Exception {
        try (RawClient c = RawClient.connected(server, "pings")) {
            // well beyond pingInterval + pingTimeout
            await().during(Duration.ofMillis(3 * (PING_MS + PING_MS))).atMost(WAIT).until(() -> c.terminal.isEmpty());
            assertThat(c.pings.get()).isGreaterThanOrEqualTo(3);
            assertThat(server.subscribers("pings")).isEqualTo(1);
        }
    }

    @Test
    void unansweredPingsCloseTheConnection() throws Exception {
        try (RawClient c = RawClient.connected(server, "no-pong")) {
            c.autoPong = false;
            await().atMost(WAIT).until(() -> !c.terminal.isEmpty());
            await().atMost(WAIT).until(() -> server.subscribers("no-pong") == 0);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void dropIsAnAbnormalCloseWithout41(boolean rst) throws Exception {
        String tid = "drop-" + rst;
        try (RawClient c = RawClient.connected(server, tid)) {
            assertThat(server.dropConnections(tid, rst)).isEqualTo(1);
            String end = c.nextTerminal();
            LOG.info("drop {}: the JDK client saw {}", rst ? "rst" : "fin", end);
            assertThat(end).matches("error .*|close 1006");
            assertThat(c.decodedSoFar()).noneMatch(p -> p instanceof Packet.Disconnect);
        }
    }

    @Test
    void stalledSocketGetsNothingNotEvenPings() throws Exception {
        try (RawClient c = RawClient.connected(server, "stall")) {
            assertThat(server.stall("stall")).isEqualTo(1);
            int frames = c.frames.size();
            server.emitEvent("stall", "swallowed", List.of(), WAIT);
            await().during(Duration.ofMillis(3 * (PING_MS + PING_MS))).atMost(WAIT)
                    .until(() -> c.terminal.isEmpty() && c.frames.size() == frames);
        }
    }

    @Test
    void burstAndPacedDeliverEveryFrame() throws Exception {
        try (RawClient c = RawClient.connected(server, "bench")) {
            NodeSocketIoServer.BurstResult burst = server.burst("bench", 2000, 100);
            assertThat(burst.sent()).isEqualTo(2000);
            NodeSocketIoServer.PacedResult paced = server.paced("bench", 10, 200);
            assertThat(paced.sent()).isEqualTo(10);
            List<Packet.Event> events = new ArrayList<>();
            for (int i = 0; i < 2010; i++) {
                events.add(c.expect(Packet.Event.class));
            }
            assertThat(events.get(1999).firstArg().path("chunk_id").asText()).isEqualTo("c1999");
            assertThat(events.get(0).firstArg().path("text").asText()).hasSize(100);
            JsonNode last = events.get(2009).firstArg();
            assertThat(last.path("chunk_id").asText()).isEqualTo("p9");
            long nowUs = System.currentTimeMillis() * 1000;
            assertThat(last.path("sent_at_us").asLong()).isBetween(nowUs - 60_000_000L, nowUs + 60_000_000L);
        }
    }

    @Test
    void restartDropsEveryoneAndListensAgainOnTheSamePort() throws Exception {
        try (RawClient c = RawClient.connected(server, "restart")) {
            server.restart(Duration.ofMillis(200));
            assertThat(c.nextTerminal()).matches("error .*|close 1006");
        }
        try (RawClient again = RawClient.connected(server, "restart")) {
            await().atMost(WAIT).until(() -> server.subscribers("restart") == 1);
        }
    }

    // ------------------------------------------------------------------------------------------------ raw client

    /** A JDK WebSocket that records every frame, answers pings with "3" and serializes its sends. */
    static final class RawClient implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        final BlockingQueue<String> terminal = new LinkedBlockingQueue<>();
        final AtomicInteger pings = new AtomicInteger();
        final List<Packet> decoded = new CopyOnWriteArrayList<>();
        volatile boolean autoPong = true;
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
        private WebSocket ws;
        private String lastText;

        static RawClient open(FirefliesTestServer server) throws Exception {
            RawClient c = new RawClient();
            URI uri = URI.create(server.url() + server.path() + "/?EIO=4&transport=websocket");
            c.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
                    .buildAsync(uri, c).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return c;
        }

        /** Opened, authenticated with the right key and subscribed to {@code tid}. */
        static RawClient connected(FirefliesTestServer server, String tid) throws Exception {
            RawClient c = open(server);
            c.expect(Packet.Open.class);
            c.send("40{\"token\":\"Bearer " + server.apiKey() + "\",\"transcriptId\":\"" + tid + "\"}");
            c.expect(Packet.Connect.class);
            assertThat(c.expect(Packet.Event.class).name()).isEqualTo("auth.success");
            assertThat(c.expect(Packet.Event.class).name()).isEqualTo("connection.established");
            await().atMost(WAIT).until(() -> server.subscribers(tid) >= 1);
            return c;
        }

        synchronized void send(String text) {
            sendChain = sendChain.thenCompose(x -> ws.sendText(text, true));
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                if (frame.equals("2")) {
                    pings.incrementAndGet();
                    if (autoPong) {
                        send("3");
                    }
                } else {
                    frames.add(frame);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            frames.add(bytes); // attachments here are small: one fragment
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            terminal.add("close " + statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            terminal.add("error " + error);
        }

        Object next() throws InterruptedException {
            Object f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                fail("No frame within " + WAIT + "; terminal: " + terminal);
            }
            return f;
        }

        String nextText() throws InterruptedException {
            Object f = next();
            assertThat(f).isInstanceOf(String.class);
            lastText = (String) f;
            return lastText;
        }

        byte[] nextBinary() throws InterruptedException {
            Object f = next();
            assertThat(f).isInstanceOf(byte[].class);
            return (byte[]) f;
        }

        <T extends Packet> T expect(Class<T> type) throws Exception {
            Packet p = PacketCodec.decode(nextText());
            decoded.add(p);
            assertThat(p).isInstanceOf(type);
            return type.cast(p);
        }

        String lastText() {
            return lastText;
        }

        /** Every frame received so far that decodes (drains the queue). */
        List<Packet> decodedSoFar() {
            List<Packet> all = new ArrayList<>(decoded);
            Object f;
            while ((f = frames.poll()) != null) {
                if (f instanceof String s) {
                    try {
                        all.add(PacketCodec.decode(s));
                    } catch (SocketIoProtocolException e) {
                        // not a packet
                    }
                }
            }
            return all;
        }

        String nextTerminal() throws InterruptedException {
            String t = terminal.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(t).as("close or error within " + WAIT).isNotNull();
            return t;
        }

        @Override
        public void close() {
            if (terminal.isEmpty()) {
                ws.abort();
            }
        }
    }
}
