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
package io.github.camelfireflies.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import io.github.camelfireflies.LiveConsumer;
import io.github.camelfireflies.api.TranscriptionEvent;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.container.jdk.client.JdkClientContainer;
import org.json.JSONObject;

/**
 * One benchmark client, run in its own JVM by {@link Harness}:
 *
 * <pre>
 * ClientMain &lt;camel|camel-file|iosocket|raw|sink&gt; &lt;burst|latency&gt; url path apiKey transcriptId warmup count [file]
 * </pre>
 *
 * Prints {@code READY} once it has started connecting, {@code WARM} after {@code warmup} events, then
 * {@code RESULT {json}} after {@code count} more, and exits. Exits when stdin closes.
 * <ul>
 * <li>{@code camel}: {@code from("fireflies:live...").process(no-op)} (the processor only counts);</li>
 * <li>{@code camel-file}: the route a user would write: {@code convertBodyTo(String.class)} (the event's JSON) and
 * Camel's file producer appending it as a line to {@code file} ({@code fileExist=Append}, {@code appendChars=\n}),
 * then the count;</li>
 * <li>{@code iosocket}: the official Java client {@code io.socket:socket.io-client} 2.x, a no-op listener;</li>
 * <li>{@code raw}: a JSR 356 client (Tyrus JDK, as the component) that answers the handshake and pings and counts
 * {@code 42} frames without parsing them: the transport ceiling;</li>
 * <li>{@code sink}: a bare TCP socket that does the WebSocket upgrade by hand and counts frames from their headers: the
 * most the server can send.</li>
 * </ul>
 */
public final class ClientMain {

    static final long TIMEOUT_MILLIS = 15 * 60 * 1000L;

    private ClientMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 8 && args.length != 9) {
            System.err.println("usage: ClientMain <camel|camel-file|iosocket|raw|sink> <burst|latency> url path apiKey"
                               + " transcriptId warmup count [file]");
            System.exit(2);
        }
        String kind = args[0];
        boolean latency = "latency".equals(args[1]);
        String url = args[2];
        String path = args[3];
        String key = args[4];
        String tid = args[5];
        int warmup = Integer.parseInt(args[6]);
        int count = Integer.parseInt(args[7]);
        java.nio.file.Path file = args.length > 8 ? java.nio.file.Path.of(args[8]).toAbsolutePath() : null;
        Recorder rec = new Recorder(warmup, count, latency);
        watchStdin();

        AutoCloseable client;
        LongSupplier dropped = () -> 0;
        switch (kind) {
            case "camel", "camel-file" -> {
                if ("camel-file".equals(kind) && file == null) {
                    throw new IllegalArgumentException("camel-file needs the file to append to");
                }
                CamelContext ctx = camel(url, path, key, tid, rec, latency, "camel-file".equals(kind) ? file : null);
                LiveConsumer consumer = (LiveConsumer) ctx.getRoute("bench").getConsumer();
                dropped = consumer::getEventsDropped;
                client = ctx;
            }
            case "iosocket" -> client = ioSocket(url, path, key, tid, rec, latency);
            case "raw" -> client = raw(url, path, key, tid, rec);
            case "sink" -> client = sink(url, path, key, tid, rec);
            default -> throw new IllegalArgumentException("unknown client " + kind);
        }
        System.out.println("READY");
        long warmDeadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!rec.awaitWarm(20)) {
            if (dropped.getAsLong() > 0 && rec.received() + dropped.getAsLong() >= warmup) {
                rec.forceWarm(); // the route dropped some of the warm-up events: they will never arrive
            }
            if (System.currentTimeMillis() > warmDeadline) {
                fail("no warm-up after " + rec.received() + " events");
            }
        }
        long droppedInWarmup = dropped.getAsLong();
        System.out.println("WARM");
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!rec.awaitDone(20)) {
            long d = dropped.getAsLong();
            if (d > droppedInWarmup && rec.received() + d >= (long) warmup + count) {
                rec.finishNow();
            }
            if (System.currentTimeMillis() > deadline) {
                fail("timed out after " + rec.received() + " events");
            }
        }
        System.out.println("RESULT " + rec.resultJson(kind, dropped.getAsLong() - droppedInWarmup));
        System.out.flush();
        try {
            client.close();
        } finally {
            System.exit(0);
        }
    }

    static void fail(String why) {
        System.err.println("client failed: " + why);
        System.exit(3);
    }

    /** The harness closes our stdin to stop us. */
    static void watchStdin() {
        Thread t = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // ignore input
                }
            } catch (IOException e) {
                // closed
            }
            System.exit(5);
        }, "stdin-watch");
        t.setDaemon(true);
        t.start();
    }

    // ------------------------------------------------------------------------------------------------ camel

    /**
     * @param file null for the no-op route; else the route converts each body to its JSON text and appends it as a line
     *             to this file with Camel's file producer, then counts
     */
    static CamelContext camel(String url, String path, String key, String tid, Recorder rec, boolean latency,
                              java.nio.file.Path file) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        String queueSize = System.getProperty("bench.queueSize");
        ctx.getPropertiesComponent().addInitialProperty("bench.key", key);
        String uri = "fireflies:live?transcriptId=" + tid + "&apiKey={{bench.key}}&url=" + url + "&path=" + path
                     + (queueSize != null && !queueSize.isBlank() ? "&queueSize=" + queueSize.trim() : "");
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                if (file != null) {
                    String more = System.getProperty("bench.fileOptions", ""); // e.g. bufferSize=4096, for a comparison
                    String target = "file:" + file.getParent() + "?fileName=" + file.getFileName()
                                    + "&fileExist=Append&appendChars=\\n" + (more.isBlank() ? "" : "&" + more.trim());
                    from(uri).routeId("bench").convertBodyTo(String.class).to(target)
                            .process(e -> rec.onEvent(latency ? LATENCY_TEXT.apply(e.getMessage().getBody(String.class)) : null));
                } else if (latency) {
                    from(uri).routeId("bench").process(e -> rec.onEvent(e.getMessage().getBody(TranscriptionEvent.class).text()));
                } else {
                    from(uri).routeId("bench").process(e -> rec.onEvent(null));
                }
            }
        });
        ctx.start();
        return ctx;
    }

    /** The stamp in the text of an event's JSON (latency mode of camel-file): the digits after {@code "text":"}. */
    static final java.util.function.Function<String, String> LATENCY_TEXT = json -> {
        int i = json.indexOf("\"text\":\"") + 8;
        return json.substring(i, json.indexOf('"', i));
    };

    // ------------------------------------------------------------------------------------------------ io.socket

    static AutoCloseable ioSocket(String url, String path, String key, String tid, Recorder rec, boolean latency) {
        io.socket.client.IO.Options options = io.socket.client.IO.Options.builder()
                .setPath(path)
                .setTransports(new String[] { io.socket.engineio.client.transports.WebSocket.NAME })
                .setAuth(Map.of("token", "Bearer " + key, "transcriptId", tid))
                .setReconnection(false)
                .setForceNew(true)
                .build();
        io.socket.client.Socket socket = io.socket.client.IO.socket(URI.create(url), options);
        if (latency) {
            socket.on("transcription.broadcast", a -> rec.onEvent(((JSONObject) a[0]).optString("text")));
        } else {
            socket.on("transcription.broadcast", a -> rec.onEvent(null));
        }
        socket.connect();
        return socket::close;
    }

    // ------------------------------------------------------------------------------------------------ raw JSR 356

    static AutoCloseable raw(String url, String path, String key, String tid, Recorder rec) throws Exception {
        ClientManager container = ClientManager.createClient(JdkClientContainer.class.getName());
        container.getProperties().put(ClientProperties.INCOMING_BUFFER_SIZE, 4 * 1024 * 1024);
        String connect = "40" + new JSONObject(Map.of("token", "Bearer " + key, "transcriptId", tid));
        Endpoint endpoint = new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig config) {
                session.setMaxIdleTimeout(0);
                session.addMessageHandler(String.class, (MessageHandler.Whole<String>) frame -> {
                    try {
                        if (frame.startsWith("42")) {
                            rec.onEvent(null);
                        } else if (frame.startsWith("0")) {
                            session.getAsyncRemote().sendText(connect);
                        } else if (frame.equals("2")) {
                            session.getAsyncRemote().sendText("3");
                        }
                    } catch (RuntimeException e) {
                        fail("raw client: " + e);
                    }
                });
            }
        };
        URI uri = URI.create(url + path + "/?EIO=4&transport=websocket");
        Session session = container.connectToServer(endpoint, ClientEndpointConfig.Builder.create().build(), uri);
        return () -> {
            session.close();
            container.shutdown();
        };
    }

    // ------------------------------------------------------------------------------------------------ sink (bare TCP)

    static AutoCloseable sink(String url, String path, String key, String tid, Recorder rec) throws IOException {
        URI u = URI.create(url);
        Socket s = new Socket(u.getHost(), u.getPort());
        s.setReceiveBufferSize(1 << 20);
        OutputStream out = s.getOutputStream();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + path + "/?EIO=4&transport=websocket HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                         + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                         + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
        readHeaders(in);
        String connect = "40" + new JSONObject(Map.of("token", "Bearer " + key, "transcriptId", tid));
        Thread reader = new Thread(() -> {
            // bulk reads into one buffer; frames are parsed in place and only their first two payload bytes are looked at
            byte[] buf = new byte[1 << 20];
            int start = 0;
            int end = 0;
            long skip = 0; // payload bytes of a frame larger than what is buffered, still to be skipped
            try {
                for (;;) {
                    if (skip > 0) {
                        long n = Math.min(skip, end - start);
                        start += (int) n;
                        skip -= n;
                    }
                    int avail = end - start;
                    int hdr = avail < 2 ? -1 : ((buf[start + 1] & 0x7f) == 126 ? 4 : (buf[start + 1] & 0x7f) == 127 ? 10 : 2);
                    if (skip == 0 && hdr > 0 && avail >= hdr) {
                        int b0 = buf[start] & 0xff;
                        long len = buf[start + 1] & 0x7f;
                        if (hdr == 4) {
                            len = ((buf[start + 2] & 0xff) << 8) | (buf[start + 3] & 0xff);
                        } else if (hdr == 10) {
                            len = 0;
                            for (int i = 2; i < 10; i++) {
                                len = (len << 8) | (buf[start + i] & 0xff);
                            }
                        }
                        int opcode = b0 & 0x0f;
                        if (opcode == 8) {
                            return;
                        }
                        if (avail >= hdr + Math.min(len, 2)) {
                            int p0 = start + hdr;
                            int first = len > 0 ? buf[p0] : -1;
                            int second = len > 1 ? buf[p0 + 1] : -1;
                            if (opcode == 1 && first == '4' && second == '2') {
                                rec.onEvent(null);
                            } else if (opcode == 1 && first == '0') {
                                sendMasked(out, connect);
                            } else if (opcode == 1 && first == '2' && len == 1) {
                                sendMasked(out, "3");
                            }
                            long inBuffer = Math.min(len, avail - hdr);
                            start += hdr + (int) inBuffer;
                            skip = len - inBuffer;
                            continue;
                        }
                    }
                    if (start > 0) { // compact, then read more
                        System.arraycopy(buf, start, buf, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    int n = in.read(buf, end, buf.length - end);
                    if (n < 0) {
                        return;
                    }
                    end += n;
                }
            } catch (IOException e) {
                // closed
            }
        }, "sink-reader");
        reader.setDaemon(true);
        reader.start();
        return s::close;
    }

    private static void readHeaders(InputStream in) throws IOException {
        int state = 0;
        StringBuilder status = new StringBuilder();
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed during the upgrade");
            }
            if (status.length() < 12) {
                status.append((char) c);
            }
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        if (!status.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
    }

    private static synchronized void sendMasked(OutputStream out, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            out.write(new byte[] { (byte) 0x81, (byte) (0x80 | 126), (byte) (payload.length >> 8), (byte) payload.length });
        } else {
            out.write(new byte[] { (byte) 0x81, (byte) (0x80 | payload.length) });
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        out.write(payload);
        out.flush();
    }
}
