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

import jakarta.websocket.WebSocketContainer;
import org.apache.tomcat.websocket.WsWebSocketContainer;

/**
 * Tomcat's client. It allocates a text buffer of its whole limit per connection (two bytes a character) and a byte
 * buffer of the same size, so its limits stay at Tomcat's 8 KiB defaults and the transport joins larger messages from
 * their parts itself, up to {@code maxMessageSize}. TLS: the {@code org.apache.tomcat.websocket.SSL_CONTEXT} user
 * property of each connection (see {@link DefaultContainers#addTlsUserProperties}).
 * <p>
 * Threads: Tomcat's I/O runs on a JVM-wide pool ({@code WebSocketClient-AsyncIO-*}, not bounded, shared by every
 * Tomcat client of the JVM and counted by reference); a {@code wss} connection adds two threads of its own
 * ({@code WebSocketClient-SecureIO-*}); a JVM-wide {@code WebSocket background processing} thread runs while a
 * session is open. {@link WsWebSocketContainer#destroy()} closes the sessions and gives the pool back, which ends it
 * when no other Tomcat client of the JVM holds it.
 */
final class TomcatContainers {

    /** Tomcat's own default, kept: the parts the transport joins are at most this many characters. */
    static final int PART_SIZE = 8 * 1024;

    /** The user property with the time allowed for the connect and the upgrade, in milliseconds. */
    static final String IO_TIMEOUT = "org.apache.tomcat.websocket.IO_TIMEOUT_MS";

    private TomcatContainers() {
    }

    static DefaultContainers.Owned create(DefaultContainers.Settings settings) {
        WsWebSocketContainer container = new WsWebSocketContainer();
        container.setDefaultMaxTextMessageBufferSize(PART_SIZE);
        container.setDefaultMaxBinaryMessageBufferSize(PART_SIZE);
        container.setDefaultMaxSessionIdleTimeout(0);
        Map<String, Object> props = new HashMap<>();
        props.put(IO_TIMEOUT, Long.toString(settings.connectTimeoutMs())); // a String; Tomcat's default is 5 s
        if (settings.sslContext() != null) {
            DefaultContainers.addTlsUserProperties(settings.sslContext(), props);
        }
        Map<String, Object> userProperties = Map.copyOf(props);
        return new DefaultContainers.Owned() {
            @Override
            public WebSocketContainer container() {
                return container;
            }

            @Override
            public boolean assembleParts() {
                return true;
            }

            @Override
            public Map<String, Object> userProperties() {
                return userProperties;
            }

            @Override
            public void stop() {
                container.destroy();
            }
        };
    }
}
