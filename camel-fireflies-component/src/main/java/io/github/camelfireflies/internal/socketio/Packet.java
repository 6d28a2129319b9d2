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

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One Engine.IO v4 / Socket.IO v5 packet, as carried by one WebSocket text frame. Immutable; one type per packet kind.
 * Socket.IO packets travel inside Engine.IO MESSAGE packets; this type flattens both layers so that a decoded frame is
 * exactly one value.
 */
public sealed interface Packet {

    /** The default Socket.IO namespace. */
    String DEFAULT_NAMESPACE = "/";

    // ---------------------------------------------------------------- Engine.IO

    /** Engine.IO OPEN ({@code 0{...}}): the server's handshake, with the heartbeat timings to use. */
    record Open(String sid, long pingInterval, long pingTimeout, long maxPayload) implements Packet {
    }

    /** Engine.IO CLOSE ({@code 1}). */
    record Close() implements Packet {
    }

    /** Engine.IO PING ({@code 2}); in v4 the server pings and the client answers. */
    record Ping(String data) implements Packet {
    }

    /** Engine.IO PONG ({@code 3}). */
    record Pong(String data) implements Packet {
    }

    /** Engine.IO UPGRADE ({@code 5}); never expected over a plain WebSocket connection. */
    record Upgrade() implements Packet {
    }

    /** Engine.IO NOOP ({@code 6}). */
    record Noop() implements Packet {
    }

    // ---------------------------------------------------------------- Socket.IO

    /**
     * Socket.IO CONNECT ({@code 40}). Sent by the client with its auth object; answered by the server with
     * {@code {"sid":...}}.
     */
    record Connect(String namespace, JsonNode data) implements Packet {
        public Connect {
            Objects.requireNonNull(namespace, "namespace");
        }
    }

    /** Socket.IO DISCONNECT ({@code 41}): the other side ended the session on purpose. */
    record Disconnect(String namespace) implements Packet {
        public Disconnect {
            Objects.requireNonNull(namespace, "namespace");
        }
    }

    /**
     * Socket.IO EVENT ({@code 42}): an event name and zero or more arguments ({@code 42["name",null]} has one
     * {@code NullNode} argument, {@code 42["name"]} none). {@code ackId} is {@code null} when no ack is requested.
     */
    record Event(String namespace, Long ackId, String name, List<JsonNode> args) implements Packet {
        public Event {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            args = List.copyOf(args);
        }

        /** The first argument, or {@code null} when the event has none. */
        public JsonNode firstArg() {
            return args.isEmpty() ? null : args.get(0);
        }
    }

    /** Socket.IO ACK ({@code 43}). */
    record Ack(String namespace, long ackId, List<JsonNode> args) implements Packet {
        public Ack {
            Objects.requireNonNull(namespace, "namespace");
            args = List.copyOf(args);
        }
    }

    /** Socket.IO CONNECT_ERROR ({@code 44}): the server refused the namespace connection (e.g. a middleware). */
    record ConnectError(String namespace, String message, JsonNode data) implements Packet {
        public ConnectError {
            Objects.requireNonNull(namespace, "namespace");
        }
    }

    /**
     * Socket.IO BINARY_EVENT ({@code 45N-}) or BINARY_ACK ({@code 46N-}): {@code attachments} binary frames follow.
     * The arguments still hold their {@code {"_placeholder":true,"num":i}} markers.
     */
    record BinaryEvent(String namespace, Long ackId, boolean ack, int attachments, String name, List<JsonNode> args)
            implements Packet {
        public BinaryEvent {
            args = List.copyOf(args);
        }
    }
}
