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

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * {@link WebSocketTransport} on Jetty's own WebSocket frames ({@code websocket-core}), for the container this component
 * makes itself with {@code webSocketProvider=jetty}: the same client, threads and buffers as Jetty's JSR 356 container,
 * without its text assembly. Jetty's JSR 356 layer builds each text message into a {@code String} through a UTF-8
 * decoder that takes a byte at a time, in a builder the size of the input buffer (4 KiB) made per message; here the
 * frame's bytes become the {@code String} in one step, by the JDK's decoder (which copies ASCII in bulk), and only text
 * in which it found malformed bytes is decoded again strictly. Invalid UTF-8 closes the connection with 1007, a
 * message over the limit with 1009, as the JSR 356 containers do. A user's own {@code WebSocketContainer} and the other
 * providers keep {@link JakartaWebSocketTransport}.
 */
final class JettyCoreTransport implements WebSocketTransport {

    private final WebSocketCoreClient client;
    private final int maxMessageSize;
    private final long connectTimeoutMillis;
    private final Set<CoreConnection> open;

    /**
     * @param client               the started core client (shared; not owned)
     * @param maxMessageSize       the largest incoming message accepted, in bytes
     * @param connectTimeoutMillis how long {@link #connect} waits for the upgrade at most
     * @param open                 where open connections are kept, so that the owner of the client closes them on stop
     */
    JettyCoreTransport(WebSocketCoreClient client, int maxMessageSize, long connectTimeoutMillis, Set<CoreConnection> open) {
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
        }
        this.client = client;
        this.maxMessageSize = maxMessageSize;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.open = open;
    }

    /** A set for {@link #JettyCoreTransport}'s {@code open}. */
    static Set<CoreConnection> newConnectionSet() {
        return ConcurrentHashMap.newKeySet();
    }

    /** Closes every connection still open (the owner is stopping). */
    static void closeAll(Set<CoreConnection> open) {
        for (CoreConnection c : open.toArray(new CoreConnection[0])) {
            c.close(CloseStatus.SHUTDOWN, "stopping");
        }
    }

    @Override
    public Connection connect(URI uri, Map<String, String> headers, Listener listener) throws IOException {
        CoreConnection connection = new CoreConnection(listener);
        CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(client, uri, connection);
        if (!headers.isEmpty()) {
            request.headers(fields -> headers.forEach(fields::put));
        }
        request.timeout(connectTimeoutMillis, TimeUnit.MILLISECONDS);
        request.setConfiguration(new org.eclipse.jetty.websocket.core.Configuration.ConfigurationCustomizer() {
            {
                setMaxFrameSize(maxMessageSize);
                setMaxTextMessageSize(maxMessageSize);
                setMaxBinaryMessageSize(maxMessageSize);
                setAutoFragment(false);
                setIdleTimeout(Duration.ZERO); // the Engine.IO heartbeat decides when a connection is dead
            }
        });
        CompletableFuture<CoreSession> future = client.connect(request);
        try {
            // bounded twice: by the request's own timeout, and here in case the upgrade never completes the future
            future.get(connectTimeoutMillis + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            connection.close(CloseStatus.SHUTDOWN, "connect abandoned"); // in case the upgrade completed meanwhile
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while connecting to " + uri, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("WebSocket handshake with " + uri + " failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            connection.close(CloseStatus.SHUTDOWN, "connect abandoned"); // in case the upgrade completed meanwhile
            throw new IOException("WebSocket handshake with " + uri + " timed out", e);
        }
        return connection;
    }

    /** One connection: Jetty's frame handler, and the {@link Connection} the session sends and closes with. */
    final class CoreConnection implements FrameHandler, Connection {

        private final Listener listener;
        private volatile CoreSession session;
        private volatile boolean closed;
        /** The parts of a fragmented message (the opcode of its first frame in {@link #partsOpcode}); I/O thread only. */
        private byte[] parts;
        private int partsLength;
        private byte partsOpcode = -1;
        private boolean skipping;

        CoreConnection(Listener listener) {
            this.listener = listener;
        }

        // ------------------------------------------------------------------ frames (Jetty's I/O thread)

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            this.session = coreSession;
            open.add(this);
            callback.succeeded();
            coreSession.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            try {
                switch (frame.getOpCode()) {
                    case OpCode.TEXT, OpCode.BINARY -> data(frame.getOpCode(), frame.getPayload(), frame.isFin());
                    case OpCode.CONTINUATION -> data(partsOpcode, frame.getPayload(), frame.isFin());
                    case OpCode.PING -> pong(frame.getPayload());
                    default -> {
                        // PONG: nothing to do; CLOSE: the session answers it and then calls onClosed
                    }
                }
            } catch (RuntimeException e) {
                callback.failed(e);
                return;
            }
            callback.succeeded();
            CoreSession s = session;
            if (s != null) {
                s.demand();
            }
        }

        private void data(byte opcode, ByteBuffer payload, boolean fin) {
            if (skipping) {
                skipping = !fin;
                return;
            }
            int size = payload == null ? 0 : payload.remaining();
            if (parts == null && fin) { // the usual case: a message in one frame
                deliver(opcode, payload, size);
                return;
            }
            long total = (long) partsLength + size;
            if (total > maxMessageSize) {
                parts = null;
                partsLength = 0;
                skipping = !fin;
                close(CloseStatus.MESSAGE_TOO_LARGE, "Message of " + total + " or more exceeds the limit of " + maxMessageSize);
                return;
            }
            if (parts == null) {
                parts = new byte[Math.max(1024, size * 2)];
                partsOpcode = opcode;
            } else if (parts.length < total) {
                parts = java.util.Arrays.copyOf(parts, (int) Math.min(maxMessageSize, Math.max(total, 2L * parts.length)));
            }
            if (size > 0) {
                payload.get(parts, partsLength, size);
            }
            partsLength = (int) total;
            if (fin) {
                ByteBuffer whole = ByteBuffer.wrap(parts, 0, partsLength);
                byte op = partsOpcode;
                parts = null;
                partsLength = 0;
                partsOpcode = -1;
                deliver(op, whole, whole.remaining());
            }
        }

        private void deliver(byte opcode, ByteBuffer payload, int size) {
            if (opcode == OpCode.BINARY) {
                ByteBuffer copy = ByteBuffer.allocate(size); // the frame's buffer goes back to Jetty's pool
                if (size > 0) {
                    copy.put(payload);
                }
                listener.onBinary(copy.flip());
                return;
            }
            String text = size == 0 ? "" : utf8(payload, size);
            if (text != null) {
                listener.onText(text);
            }
        }

        /** The text of a frame, or null when it is not valid UTF-8 (the connection is then closed with 1007). */
        private String utf8(ByteBuffer payload, int size) {
            byte[] bytes;
            int offset;
            if (payload.hasArray()) {
                bytes = payload.array();
                offset = payload.arrayOffset() + payload.position();
            } else {
                bytes = new byte[size];
                payload.get(bytes);
                offset = 0;
            }
            String text = Utf8Text.decode(bytes, offset, size);
            if (text == null) {
                close(CloseStatus.BAD_PAYLOAD, "Invalid UTF-8 in a text message");
            }
            return text;
        }

        private void pong(ByteBuffer payload) {
            CoreSession s = session;
            if (s != null && s.isOutputOpen()) {
                ByteBuffer copy = ByteBuffer.allocate(payload == null ? 0 : payload.remaining());
                if (payload != null) {
                    copy.put(payload.slice());
                }
                s.sendFrame(new Frame(OpCode.PONG, copy.flip()), Callback.NOOP, false);
            }
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            try {
                if (session != null) { // a failed upgrade is reported by connect(), as with JSR 356
                    listener.onError(cause);
                }
            } finally {
                callback.succeeded();
            }
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            closed = true;
            open.remove(this);
            try {
                if (session != null) {
                    listener.onClose(closeStatus.getCode(), closeStatus.getReason());
                }
            } finally {
                callback.succeeded();
            }
        }

        // ------------------------------------------------------------------ Connection

        @Override
        public void sendText(String text) throws IOException {
            CoreSession s = session;
            if (s == null || closed || !s.isOutputOpen()) {
                throw new IOException("WebSocket is not open");
            }
            FutureCallback sent = new FutureCallback();
            s.sendFrame(new Frame(OpCode.TEXT, text), sent, false);
            try {
                sent.get(connectTimeoutMillis + 5_000, TimeUnit.MILLISECONDS); // written at once, unless TCP pushes back
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while sending", e);
            } catch (ExecutionException e) {
                throw new IOException("Cannot send: " + (e.getCause() != null ? e.getCause().getMessage() : e), e);
            } catch (TimeoutException e) {
                throw new IOException("Sending timed out", e);
            }
        }

        @Override
        public void close(int code, String reason) {
            CoreSession s = session;
            if (s == null || closed) {
                return;
            }
            closed = true;
            try {
                s.close(code, reason, Callback.NOOP);
            } catch (RuntimeException e) {
                s.abort(); // already gone: nothing left to release
            }
        }

        @Override
        public boolean isOpen() {
            CoreSession s = session;
            return !closed && s != null && s.isOutputOpen();
        }
    }
}
