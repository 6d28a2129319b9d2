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

import io.github.camelfireflies.api.WebSocketProvider;
import java.util.Map;

import javax.net.ssl.SSLContext;

import jakarta.websocket.WebSocketContainer;

/**
 * The JSR 356 containers this component creates itself, one factory per {@link WebSocketProvider}, chosen explicitly
 * (not by whichever provider the ServiceLoader finds first). Everything provider-specific lives in the factories
 * ({@code JettyContainers}, {@code TomcatContainers}, {@code TyrusContainers}), each loaded only when its provider is
 * used, so that a provider that is not on the class path costs nothing.
 * <p>
 * Each factory honours the frame limit (a message of {@code maxMessageSize} bytes must arrive, and nothing is
 * preallocated at that size per connection), uses the {@link SSLContext} through the provider's own TLS mechanism,
 * and {@link Owned#stop() stop} releases every thread the container started.
 */
public final class DefaultContainers {

    /** Tomcat's client reads its TLS context from this user property of the endpoint config. */
    static final String TOMCAT_SSL_CONTEXT = "org.apache.tomcat.websocket.SSL_CONTEXT";

    private static final String TOMCAT_CONTAINER = "org.apache.tomcat.websocket.WsWebSocketContainer";

    private DefaultContainers() {
    }

    /**
     * What a container is made for.
     *
     * @param maxMessageSize   the largest message accepted, in bytes
     * @param sslContext       TLS context for {@code wss}, or null for the JVM's defaults
     * @param connectTimeoutMs the time allowed to open a connection and upgrade it
     */
    public record Settings(int maxMessageSize, SSLContext sslContext, long connectTimeoutMs) {
    }

    /** A container the component created, and owns: {@link #stop()} it when done. */
    public interface Owned {

        WebSocketContainer container();

        /**
         * Whether the transport must take messages in parts and join them itself ({@code MessageHandler.Partial}),
         * because the provider would otherwise allocate a buffer of the whole limit per connection.
         */
        boolean assembleParts();

        /**
         * The transport to connect with: by default {@link JakartaWebSocketTransport} on {@link #container()}; a
         * provider may give a faster one of its own (Jetty: its frame API, see {@code JettyCoreTransport}).
         *
         * @param maxMessageSize the endpoint's limit (at most the container's)
         * @param userProperties what {@link JakartaWebSocketTransport} puts into each connection's config
         */
        default WebSocketTransport transport(int maxMessageSize, Map<String, Object> userProperties) {
            return new JakartaWebSocketTransport(container(), maxMessageSize, userProperties, assembleParts());
        }

        /** Properties put into the config of each connection (the provider's per-connection settings). */
        default Map<String, Object> userProperties() {
            return Map.of();
        }

        /** Closes the container's connections and ends every thread it started. Idempotent. */
        void stop();
    }

    /** A new container of {@code provider}; fails with the artifacts to add when the provider is not there. */
    public static Owned create(WebSocketProvider provider, Settings settings) {
        if (!provider.isAvailable()) {
            throw new IllegalStateException("webSocketProvider=" + provider + " needs " + provider.artifacts()
                                            + " on the class path");
        }
        return switch (provider) {
            case JETTY -> JettyContainers.create(settings);
            case TOMCAT -> TomcatContainers.create(settings);
            case TYRUS -> TyrusContainers.create(settings);
        };
    }

    /**
     * Whether a container handed in by the user is one that allocates its whole message limit per connection
     * (Tomcat's, e.g. inside Spring Boot), so that the transport should join partial messages itself.
     */
    public static boolean assemblesParts(WebSocketContainer container) {
        for (Class<?> c = container.getClass(); c != null; c = c.getSuperclass()) {
            if (TOMCAT_CONTAINER.equals(c.getName())) {
                return true;
            }
        }
        return false;
    }

    /** User properties that make containers which read TLS settings per endpoint use {@code sslContext}. */
    public static void addTlsUserProperties(SSLContext sslContext, Map<String, Object> props) {
        props.put(TOMCAT_SSL_CONTEXT, sslContext);
    }
}
