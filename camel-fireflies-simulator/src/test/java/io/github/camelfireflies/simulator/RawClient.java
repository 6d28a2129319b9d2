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
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A raw {@link java.net.http.WebSocket} test client: collects text frames (with their arrival time) and binary frames,
 * optionally answers pings, and records the close.
 */
final class RawClient implements AutoCloseable {

    record Frame(String text, byte[] binary, long nanos) {
        WirePacket packet() {
            try {
                return WirePacket.decode(text);
            } catch (Exception e) {
                throw new AssertionError("Undecodable frame " + text, e);
            }
        }
    }

    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;
    private volatile boolean answerPings;
    private final Object sendLock = new Object();

    private RawClient(URI uri, boolean answerPings) {
        this.answerPings = answerPings;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new Listener()).orTimeout(10, TimeUnit.SECONDS).join();
    }

    static RawClient connect(FirefliesSimulator sim) {
        return new RawClient(sim.socketUri(), true);
    }

    static RawClient connect(FirefliesSimulator sim, boolean answerPings) {
        return new RawClient(sim.socketUri(), answerPings);
    }

    void answerPings(boolean b) {
        this.answerPings = b;
    }

    /** The next frame (pings are skipped when this client answers them), waiting at most {@code timeout}. */
    Frame next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Frame f = frames.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new AssertionError("No frame within " + timeout);
                }
                if (answerPings && "2".equals(f.text())) {
                    continue;
                }
                return f;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Frame next() {
        return next(Duration.ofSeconds(5));
    }

    String nextText() {
        Frame f = next();
        if (f.text() == null) {
            throw new AssertionError("Expected a text frame, got a binary one");
        }
        return f.text();
    }

    WirePacket nextPacket() {
        return next().packet();
    }

    /** Frames received so far and not yet taken, without waiting. */
    int pending() {
        return frames.size();
    }

    void send(String text) {
        synchronized (sendLock) {
            ws.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
        }
    }

    /** Reads OPEN, sends CONNECT with this token and transcript id. */
    WirePacket.Open handshake(String token, String transcriptId) {
        WirePacket p = nextPacket();
        if (!(p instanceof WirePacket.Open open)) {
            throw new AssertionError("Expected OPEN, got " + p);
        }
        ObjectNode auth = SimJson.MAPPER.createObjectNode();
        auth.put("token", token);
        auth.put("transcriptId", transcriptId);
        send(WirePacket.connect(auth));
        return open;
    }

    /** Handshake with the right key, then reads 40, auth.success and connection.established. */
    void subscribe(FirefliesSimulator sim, String transcriptId) {
        handshake("Bearer " + sim.apiKey(), transcriptId);
        expect(WirePacket.Connect.class);
        expectEvent("auth.success");
        expectEvent("connection.established");
    }

    <T extends WirePacket> T expect(Class<T> type) {
        WirePacket p = nextPacket();
        if (!type.isInstance(p)) {
            throw new AssertionError("Expected " + type.getSimpleName() + ", got " + p);
        }
        return type.cast(p);
    }

    WirePacket.Event expectEvent(String name) {
        WirePacket.Event e = expect(WirePacket.Event.class);
        if (!name.equals(e.name())) {
            throw new AssertionError("Expected event " + name + ", got " + e);
        }
        return e;
    }

    static JsonNode json(String s) {
        try {
            return SimJson.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS).join();
            } catch (RuntimeException e) {
                // already closing
            }
        }
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                frames.add(new Frame(frame, null, System.nanoTime()));
                if (answerPings && "2".equals(frame)) {
                    try {
                        send("3");
                    } catch (RuntimeException e) {
                        // closing
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
            joined.put(binary).put(data).flip();
            binary = joined;
            if (last) {
                byte[] bytes = new byte[binary.remaining()];
                binary.get(bytes);
                binary = ByteBuffer.allocate(0);
                frames.add(new Frame(null, bytes, System.nanoTime()));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
