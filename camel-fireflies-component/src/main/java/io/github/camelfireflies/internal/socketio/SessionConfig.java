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
package io.github.camelfireflies.internal.socketio;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a {@link SocketIoSession} connects and recovers.
 *
 * @param uri                          the full Engine.IO WebSocket URI (see {@link SocketIoUris#engineIoUri})
 * @param headers                      extra handshake headers
 * @param auth                         the CONNECT payload, asked for again on every connect (may return null)
 * @param namespace                    the Socket.IO namespace, usually {@code /}
 * @param connectTimeoutMillis         time allowed from starting a connect until the CONNECT ack
 * @param backoff                      the waits between reconnect attempts
 * @param reconnectAttempts            how many reconnect attempts in a row before giving up; 0 = unlimited; -1 = never
 *                                     reconnect
 * @param reconnectOnServerDisconnect  whether a server DISCONNECT ({@code 41}) is followed by a reconnect
 * @param establishedOnConnectAck      whether the CONNECT ack alone proves the connection good (and resets the
 *                                     attempt count); when false the owner calls {@link SocketIoSession#markEstablished()}
 * @param description                  how logs and messages name this session; must hold no secret
 */
public record SessionConfig(
        URI uri,
        Map<String, String> headers,
        Supplier<JsonNode> auth,
        String namespace,
        long connectTimeoutMillis,
        Backoff backoff,
        int reconnectAttempts,
        boolean reconnectOnServerDisconnect,
        boolean establishedOnConnectAck,
        String description) {

    public SessionConfig {
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(description, "description");
        if (connectTimeoutMillis <= 0) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeoutMillis);
        }
        if (reconnectAttempts < -1) {
            throw new IllegalArgumentException("reconnectAttempts must be -1, 0 or positive, was " + reconnectAttempts);
        }
    }
}
