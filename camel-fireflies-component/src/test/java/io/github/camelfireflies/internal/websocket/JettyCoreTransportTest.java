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
package io.github.camelfireflies.internal.websocket;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.api.WebSocketProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jetty frame transport against a hand-written WebSocket server on 127.0.0.1, for what the genuine socket.io server
 * never sends: fragmented messages, pings, invalid UTF-8 and messages over the limit.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JettyCoreTransportTest {

    private static final int MAX = 64;

    private DefaultContainers.Owned owned;
    private ServerSocket server;
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws IOException {
        owned = DefaultContainers.create(WebSocketProvider.JETTY, new DefaultContainers.Settings(1 << 20, null, 10_000));
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void tearDown() throws IOException {
        server.close();
        owned.stop();
    }

    @Test
    void fragmentedNonAsciiAndBinaryMessagesArriveWholeAndPingsAreAnswered() throws Exception {
        WebSocketTransport.Connection c = connect();
        try (Socket s = accept()) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            frame(out, false, 1, "42[\"he".getBytes(StandardCharsets.UTF_8));
            frame(out, true, 0, "llo\"]".getBytes(StandardCharsets.UTF_8));
            frame(out, true, 1, "caf\u00e9 \ufffd".getBytes(StandardCharsets.UTF_8));
            frame(out, true, 2, new byte[] { 1, 2, 3 });
            frame(out, true, 9, "ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(next()).isEqualTo("text:42[\"hello\"]");
            assertThat(next()).isEqualTo("text:caf\u00e9 \ufffd");
            assertThat(next()).isEqualTo("binary:3");
            assertThat(readFrame(in)).isEqualTo("10:ping"); // the pong, with the ping's payload
            c.sendText("40");
            assertThat(readFrame(in)).isEqualTo("1:40");
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void invalidUtf8ClosesWith1007() throws Exception {
        WebSocketTransport.Connection c = connect();
        try (Socket s = accept()) {
            frame(s.getOutputStream(), true, 1, new byte[] { 'a', (byte) 0xC3, '(' });
            assertThat(readFrame(new DataInputStream(s.getInputStream()))).startsWith("8:1007");
            assertThat(c.isOpen()).isFalse();
            assertThat(next()).as("the close reaches the listener, no text before it").isEqualTo("close:1007");
        }
    }

    @Test
    void aFragmentedMessageOverTheLimitClosesWith1009() throws Exception {
        connect();
        try (Socket s = accept()) {
            frame(s.getOutputStream(), false, 1, new byte[MAX - 8]);
            frame(s.getOutputStream(), true, 0, new byte[16]);
            assertThat(readFrame(new DataInputStream(s.getInputStream()))).startsWith("8:1009");
            assertThat(next()).as("the close reaches the listener, no text before it").isEqualTo("close:1009");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Socket pending;

    /** Connects on a thread of its own (connect blocks until the upgrade, which the test's server answers). */
    private WebSocketTransport.Connection connect() throws Exception {
        WebSocketTransport transport = owned.transport(MAX, Map.of());
        java.util.concurrent.CompletableFuture<WebSocketTransport.Connection> f = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return transport.connect(URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws"), Map.of(),
                                new WebSocketTransport.Listener() {
                                    @Override
                                    public void onText(String frame) {
                                        heard.add("text:" + frame);
                                    }

                                    @Override
                                    public void onBinary(ByteBuffer frame) {
                                        heard.add("binary:" + frame.remaining());
                                    }

                                    @Override
                                    public void onClose(int code, String reason) {
                                        heard.add("close:" + code);
                                    }

                                    @Override
                                    public void onError(Throwable cause) {
                                        heard.add("error:" + cause);
                                    }
                                });
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        pending = server.accept();
        handshake(pending);
        return f.get(20, TimeUnit.SECONDS);
    }

    private Socket accept() {
        return pending;
    }

    private String next() throws InterruptedException {
        String s = heard.poll(20, TimeUnit.SECONDS);
        assertThat(s).as("a callback within 20 s").isNotNull();
        return s;
    }

    private static void handshake(Socket s) throws Exception {
        s.setSoTimeout(20_000);
        InputStream in = s.getInputStream();
        StringBuilder request = new StringBuilder();
        while (!request.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("request complete").isNotNegative();
            request.append((char) b);
        }
        String key = request.toString().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:"))
                .findFirst().orElseThrow().substring(18).trim();
        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                   + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** A server frame (unmasked, payload under 126 bytes). */
    private static void frame(OutputStream out, boolean fin, int opcode, byte[] payload) throws IOException {
        out.write((fin ? 0x80 : 0) | opcode);
        out.write(payload.length);
        out.write(payload);
        out.flush();
    }

    /** A client frame: "opcode:payload", the payload as text (a close frame: its code, then its reason). */
    private static String readFrame(DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        int len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        }
        byte[] mask = new byte[4];
        if ((b1 & 0x80) != 0) {
            in.readFully(mask);
        }
        byte[] p = new byte[len];
        in.readFully(p);
        for (int i = 0; i < len; i++) {
            p[i] ^= mask[i & 3];
        }
        int opcode = b0 & 0x0f;
        if (opcode == 8 && len >= 2) {
            return "8:" + (((p[0] & 0xff) << 8) | (p[1] & 0xff)) + new String(p, 2, len - 2, StandardCharsets.UTF_8);
        }
        return opcode + ":" + new String(p, StandardCharsets.UTF_8);
    }
}
