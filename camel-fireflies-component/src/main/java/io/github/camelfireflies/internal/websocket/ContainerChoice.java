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

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import io.github.camelfireflies.api.WebSocketProvider;
import jakarta.websocket.WebSocketContainer;

/**
 * Which JSR 356 container one endpoint's connections use: the one the user gave (neither configured nor stopped
 * here); else the component's shared one; else, when the endpoint needs TLS settings or a larger frame limit than
 * the shared one has, a container of the endpoint's own, made on first use and ended by {@link #stop()}.
 */
public final class ContainerChoice {

    private final WebSocketContainer given;
    private final WebSocketProvider provider;
    private final Supplier<DefaultContainers.Owned> shared;
    private final int sharedMaxMessageSize;
    private DefaultContainers.Owned own; // guarded by this

    /**
     * @param given                the user's container, or null
     * @param provider             the provider of a container of the endpoint's own
     * @param shared               the component's container (made on first use by the supplier)
     * @param sharedMaxMessageSize the frame limit the shared container was made with
     */
    public ContainerChoice(WebSocketContainer given, WebSocketProvider provider, Supplier<DefaultContainers.Owned> shared,
                           int sharedMaxMessageSize) {
        this.given = given;
        this.provider = Objects.requireNonNull(provider, "provider");
        this.shared = Objects.requireNonNull(shared, "shared");
        this.sharedMaxMessageSize = sharedMaxMessageSize;
    }

    /**
     * A transport on the chosen container.
     *
     * @param maxMessageSize   the largest message accepted
     * @param sslContext       the endpoint's TLS settings, or null for the JVM's defaults
     * @param connectTimeoutMs the connect timeout a container of the endpoint's own is made with
     */
    public synchronized WebSocketTransport transport(int maxMessageSize, SSLContext sslContext, long connectTimeoutMs) {
        Map<String, Object> props = new HashMap<>();
        if (sslContext != null) {
            DefaultContainers.addTlsUserProperties(sslContext, props);
        }
        if (given != null) {
            return new JakartaWebSocketTransport(given, maxMessageSize, props, DefaultContainers.assemblesParts(given));
        }
        DefaultContainers.Owned owned;
        if (sslContext == null && maxMessageSize <= sharedMaxMessageSize) {
            owned = shared.get();
        } else {
            if (own == null) {
                own = DefaultContainers.create(provider,
                        new DefaultContainers.Settings(maxMessageSize, sslContext, connectTimeoutMs));
            }
            owned = own;
        }
        props.putAll(owned.userProperties());
        return owned.transport(maxMessageSize, props);
    }

    /** Ends the endpoint's own container, if one was made; a later {@link #transport} makes a new one. */
    public synchronized void stop() {
        if (own != null) {
            own.stop();
            own = null;
        }
    }
}
