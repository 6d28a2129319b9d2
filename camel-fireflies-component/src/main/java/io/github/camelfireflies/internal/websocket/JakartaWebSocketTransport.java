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
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;

/**
 * {@link WebSocketTransport} on the JSR 356 ({@code jakarta.websocket}) client API, for any container: the default
 * one this project ships, Tomcat's inside Spring Boot, Quarkus' own. The container is borrowed, never closed here.
 */
public final class JakartaWebSocketTransport implements WebSocketTransport {

    private final WebSocketContainer container;
    private final int maxMessageSize;
    private final Map<String, Object> userProperties;
    private final boolean assembleParts;

    /**
     * @param container      the JSR 356 container to connect with (shared; not owned)
     * @param maxMessageSize the largest incoming text or binary message accepted, in bytes
     * @param userProperties container-specific properties put into each {@link ClientEndpointConfig} (TLS settings,
     *                       for example); may be empty
     */
    public JakartaWebSocketTransport(WebSocketContainer container, int maxMessageSize, Map<String, Object> userProperties) {
        this(container, maxMessageSize, userProperties, false);
    }

    /**
     * @param container      the JSR 356 container to connect with (shared; not owned)
     * @param maxMessageSize the largest incoming text or binary message accepted, in bytes (characters for text taken
     *                       in parts)
     * @param userProperties container-specific properties put into each {@link ClientEndpointConfig}; may be empty
     * @param assembleParts  take messages in parts ({@link MessageHandler.Partial}) with the container's own (small)
     *                       buffer sizes, and join them here up to {@code maxMessageSize}: for containers that allocate
     *                       a buffer of the whole limit per connection (Tomcat's). A message over the limit closes the
     *                       connection with 1009, as containers do
     */
    public JakartaWebSocketTransport(WebSocketContainer container, int maxMessageSize, Map<String, Object> userProperties,
                                     boolean assembleParts) {
        this.assembleParts = assembleParts;
        this.container = Objects.requireNonNull(container, "container");
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive, was " + maxMessageSize);
        }
        this.maxMessageSize = maxMessageSize;
        this.userProperties = Map.copyOf(userProperties);
    }

    @Override
    public Connection connect(URI uri, Map<String, String> headers, Listener listener) throws IOException {
        ClientEndpointConfig.Builder builder = ClientEndpointConfig.Builder.create();
        if (!headers.isEmpty()) {
            builder.configurator(new ClientEndpointConfig.Configurator() {
                @Override
                public void beforeRequest(Map<String, List<String>> request) {
                    headers.forEach((k, v) -> request.put(k, List.of(v)));
                }
            });
        }
        ClientEndpointConfig config = builder.build();
        config.getUserProperties().putAll(userProperties);
        JsrConnection connection = new JsrConnection(listener);
        try {
            container.connectToServer(connection, config, uri);
        } catch (DeploymentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("WebSocket handshake with " + uri + " failed: " + cause.getMessage(), e);
        }
        return connection;
    }

    private final class JsrConnection extends Endpoint implements Connection {

        private final Listener listener;
        private volatile Session session;
        private volatile boolean closed;

        JsrConnection(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            this.session = session;
            session.setMaxIdleTimeout(0); // the Engine.IO heartbeat decides when a connection is dead
            if (assembleParts) {
                session.addMessageHandler(String.class, new TextParts());
                session.addMessageHandler(ByteBuffer.class, new BinaryParts());
            } else {
                session.setMaxTextMessageBufferSize(maxMessageSize);
                session.setMaxBinaryMessageBufferSize(maxMessageSize);
                session.addMessageHandler(String.class, (MessageHandler.Whole<String>) listener::onText);
                session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) listener::onBinary);
            }
        }

        /** A message over the limit: the connection is closed with 1009, and its close reaches the listener. */
        private void tooBig(long size) {
            close(CloseReason.CloseCodes.TOO_BIG.getCode(),
                    "Message of " + size + " or more exceeds the limit of " + maxMessageSize);
        }

        /** Joins text parts; a message in one part (the usual case) is handed on as it is, without a copy. */
        private final class TextParts implements MessageHandler.Partial<String> {
            private StringBuilder joined;
            private boolean skipping;

            @Override
            public void onMessage(String part, boolean last) {
                if (skipping) {
                    skipping = !last;
                    return;
                }
                if (joined == null && last) {
                    if (part.length() > maxMessageSize) {
                        tooBig(part.length());
                    } else {
                        listener.onText(part);
                    }
                    return;
                }
                if (joined == null) {
                    joined = new StringBuilder(Math.max(16, part.length() * 2));
                }
                if ((long) joined.length() + part.length() > maxMessageSize) {
                    long size = (long) joined.length() + part.length();
                    joined = null;
                    skipping = !last;
                    tooBig(size);
                    return;
                }
                joined.append(part);
                if (last) {
                    String text = joined.toString();
                    joined = null;
                    listener.onText(text);
                }
            }
        }

        /** Joins binary parts (Socket.IO attachments); the part buffers belong to the container, so they are copied. */
        private final class BinaryParts implements MessageHandler.Partial<ByteBuffer> {
            private ByteBuffer joined;
            private boolean skipping;

            @Override
            public void onMessage(ByteBuffer part, boolean last) {
                if (skipping) {
                    skipping = !last;
                    return;
                }
                long size = (joined == null ? 0 : joined.position()) + (long) part.remaining();
                if (size > maxMessageSize) {
                    joined = null;
                    skipping = !last;
                    tooBig(size);
                    return;
                }
                if (joined == null) {
                    joined = ByteBuffer.allocate(last ? part.remaining() : Math.max(1024, part.remaining() * 2));
                } else if (joined.remaining() < part.remaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(maxMessageSize,
                            Math.max(size, 2L * joined.capacity())));
                    joined.flip();
                    bigger.put(joined);
                    joined = bigger;
                }
                joined.put(part);
                if (last) {
                    ByteBuffer message = joined.flip();
                    joined = null;
                    listener.onBinary(message);
                }
            }
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            closed = true;
            listener.onClose(closeReason.getCloseCode().getCode(), closeReason.getReasonPhrase());
        }

        @Override
        public void onError(Session session, Throwable thr) {
            listener.onError(thr);
        }

        @Override
        public void sendText(String text) throws IOException {
            Session s = session;
            if (s == null || !s.isOpen()) {
                throw new IOException("WebSocket is not open");
            }
            synchronized (this) {
                s.getBasicRemote().sendText(text);
            }
        }

        @Override
        public void close(int code, String reason) {
            Session s = session;
            if (s == null || closed) {
                return;
            }
            closed = true;
            try {
                s.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            } catch (IOException | RuntimeException e) {
                // already gone: nothing left to release
            }
        }

        @Override
        public boolean isOpen() {
            Session s = session;
            return !closed && s != null && s.isOpen();
        }
    }
}
