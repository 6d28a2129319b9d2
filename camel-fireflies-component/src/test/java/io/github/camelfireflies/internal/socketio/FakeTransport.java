package io.github.camelfireflies.internal.socketio;

import io.github.camelfireflies.internal.websocket.WebSocketTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/** An in-memory {@link WebSocketTransport}: records what the client sends, lets a test play the server. */
final class FakeTransport implements WebSocketTransport {

    final AtomicInteger connects = new AtomicInteger();
    final List<FakeConnection> connections = new CopyOnWriteArrayList<>();
    /** While true, connect() throws as a refused TCP connection would. */
    final AtomicBoolean refuse = new AtomicBoolean();
    /** Run inside connect(), before it returns (frames a fast server sends before the client thread wakes up). */
    volatile Consumer<FakeConnection> duringConnect;
    volatile URI lastUri;
    volatile Map<String, String> lastHeaders;

    @Override
    public Connection connect(URI uri, Map<String, String> headers, Listener listener) throws IOException {
        connects.incrementAndGet();
        lastUri = uri;
        lastHeaders = headers;
        if (refuse.get()) {
            throw new IOException("Connection refused");
        }
        FakeConnection c = new FakeConnection(listener);
        Consumer<FakeConnection> hook = duringConnect;
        if (hook != null) {
            hook.accept(c);
        }
        connections.add(c);
        return c;
    }

    FakeConnection awaitConnection(int index) {
        await().atMost(Duration.ofSeconds(5)).until(() -> connections.size() > index);
        return connections.get(index);
    }

    static final class FakeConnection implements Connection {
        final Listener listener;
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<Thread> sendThreads = new CopyOnWriteArrayList<>();
        volatile boolean open = true;
        volatile int closeCode = -1;

        FakeConnection(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void sendText(String text) throws IOException {
            if (!open) {
                throw new IOException("closed");
            }
            sent.add(text);
            sendThreads.add(Thread.currentThread());
        }

        @Override
        public void close(int code, String reason) {
            if (open) {
                open = false;
                closeCode = code;
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        // ---- the server's side

        void server(String frame) {
            listener.onText(frame);
        }

        void serverBinary(byte[] bytes) {
            listener.onBinary(ByteBuffer.wrap(bytes));
        }

        /** The connection ends the way the transport reports it (1006: abnormal, no close frame). */
        void drop(int code) {
            open = false;
            listener.onClose(code, "");
        }

        void open(long pingInterval, long pingTimeout) {
            server("0{\"sid\":\"eio\",\"upgrades\":[],\"pingInterval\":" + pingInterval + ",\"pingTimeout\":" + pingTimeout
                   + ",\"maxPayload\":1000000}");
        }

        void awaitSent(String frame) {
            await().atMost(Duration.ofSeconds(5)).until(() -> sent.contains(frame));
        }
    }
}
