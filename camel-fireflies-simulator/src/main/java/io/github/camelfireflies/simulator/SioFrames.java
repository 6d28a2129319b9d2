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
package io.github.camelfireflies.simulator;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The simulator's own Engine.IO v4 / Socket.IO v5 framing, written from the wire format (one packet per WebSocket text
 * frame, see {@code socketio-wire.md}) and independent of the component's codec, so that a conformance test against the
 * simulator checks the component against the protocol rather than against itself. Pure functions, thread-safe.
 * <p>
 * Frame layout: {@code <eio type>[<sio type>[<attachments>-][<namespace>,][<ack id>][<json>]]}.
 */
final class SioFrames {

    /** The root namespace. */
    static final String ROOT = "/";
    /** Engine.IO PING, sent by the server. */
    static final String PING = "2";
    /** Socket.IO DISCONNECT of the root namespace. */
    static final String DISCONNECT = "41";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What a client sent, as far as the simulator cares. */
    enum Kind {
        OPEN, CLOSE, PING, PONG, UPGRADE, NOOP,
        CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK
    }

    /**
     * One decoded frame: its kind, namespace (Socket.IO packets; {@code "/"} otherwise) and JSON payload (CONNECT auth,
     * EVENT array...; null when there is none).
     */
    record Decoded(Kind kind, String namespace, JsonNode payload) {
    }

    /** A frame that is not a valid Engine.IO / Socket.IO packet. */
    static final class ProtocolException extends Exception {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    private SioFrames() {
    }

    // ------------------------------------------------------------------------------------------------ encode

    /** Engine.IO OPEN: {@code 0{"sid",...,"upgrades":[],"pingInterval","pingTimeout","maxPayload"}}. */
    static String open(String sid, long pingIntervalMs, long pingTimeoutMs, long maxPayload) {
        ObjectNode o = NODES.objectNode();
        o.put("sid", sid);
        o.putArray("upgrades");
        o.put("pingInterval", pingIntervalMs);
        o.put("pingTimeout", pingTimeoutMs);
        o.put("maxPayload", maxPayload);
        return "0" + o;
    }

    /** Socket.IO CONNECT (the server's ack) on the root namespace: {@code 40{...}}. */
    static String connect(JsonNode data) {
        return data == null ? "40" : "40" + data;
    }

    /** Socket.IO CONNECT_ERROR: {@code 44[<namespace>,]{"message":...[,"data":...]}}. */
    static String connectError(String namespace, String message, JsonNode data) {
        ObjectNode o = NODES.objectNode().put("message", message);
        if (data != null) {
            o.set("data", data);
        }
        return "44" + namespacePrefix(namespace) + o;
    }

    /** Socket.IO EVENT on the root namespace: {@code 42["name",arg...]}; a null argument is sent as JSON null. */
    static String event(String name, JsonNode... args) {
        return event(name, Arrays.asList(args));
    }

    /** Socket.IO EVENT on the root namespace: {@code 42["name",arg...]}. */
    static String event(String name, List<? extends JsonNode> args) {
        ArrayNode array = NODES.arrayNode(args.size() + 1);
        array.add(name);
        for (JsonNode a : args) {
            array.add(a == null ? NODES.nullNode() : a);
        }
        return "42" + array;
    }

    /**
     * The text frame of a BINARY_EVENT with {@code attachments} attachments on the root namespace:
     * {@code 45<n>-["name",arg...]}, the args holding {@code {"_placeholder":true,"num":i}} where each attachment goes.
     */
    static String binaryEvent(String name, int attachments, List<? extends JsonNode> args) {
        ArrayNode array = NODES.arrayNode(args.size() + 1);
        array.add(name);
        args.forEach(array::add);
        return "45" + attachments + "-" + array;
    }

    /** {@code {"_placeholder":true,"num":num}}. */
    static ObjectNode placeholder(int num) {
        return NODES.objectNode().put("_placeholder", true).put("num", num);
    }

    private static String namespacePrefix(String namespace) {
        return namespace == null || ROOT.equals(namespace) ? "" : namespace + ",";
    }

    // ------------------------------------------------------------------------------------------------ decode

    /**
     * Decodes one text frame from a client.
     *
     * @throws ProtocolException when it is not a valid packet (nothing else is thrown for any input)
     */
    static Decoded decode(String frame) throws ProtocolException {
        if (frame == null || frame.isEmpty()) {
            throw new ProtocolException("empty frame");
        }
        switch (frame.charAt(0)) {
            case '0':
                return new Decoded(Kind.OPEN, ROOT, frame.length() > 1 ? json(frame, 1) : null);
            case '1':
                return new Decoded(Kind.CLOSE, ROOT, null);
            case '2':
                return new Decoded(Kind.PING, ROOT, null);
            case '3':
                return new Decoded(Kind.PONG, ROOT, null);
            case '4':
                return socketIo(frame);
            case '5':
                return new Decoded(Kind.UPGRADE, ROOT, null);
            case '6':
                return new Decoded(Kind.NOOP, ROOT, null);
            default:
                throw new ProtocolException("unknown Engine.IO packet type");
        }
    }

    private static Decoded socketIo(String frame) throws ProtocolException {
        int len = frame.length();
        if (len < 2 || frame.charAt(1) < '0' || frame.charAt(1) > '6') {
            throw new ProtocolException("missing or unknown Socket.IO packet type");
        }
        Kind kind = Kind.values()[Kind.CONNECT.ordinal() + frame.charAt(1) - '0'];
        int i = 2;
        if (kind == Kind.BINARY_EVENT || kind == Kind.BINARY_ACK) {
            int start = i;
            while (i < len && Character.isDigit(frame.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 9 || i >= len || frame.charAt(i) != '-') {
                throw new ProtocolException("binary packet without a valid attachment count");
            }
            i++;
        }
        String namespace = ROOT;
        if (i < len && frame.charAt(i) == '/') {
            int comma = frame.indexOf(',', i);
            namespace = frame.substring(i, comma < 0 ? len : comma);
            i = comma < 0 ? len : comma + 1;
        }
        int ackStart = i;
        while (i < len && Character.isDigit(frame.charAt(i))) {
            i++;
        }
        boolean hasAckId = i > ackStart;
        if (i - ackStart > 18) {
            throw new ProtocolException("ack id too long");
        }
        JsonNode payload = i < len ? json(frame, i) : null;
        switch (kind) {
            case CONNECT:
                if (hasAckId || (payload != null && !payload.isObject())) {
                    throw new ProtocolException("invalid CONNECT");
                }
                break;
            case DISCONNECT:
                if (hasAckId || payload != null) {
                    throw new ProtocolException("invalid DISCONNECT");
                }
                break;
            case EVENT:
            case BINARY_EVENT:
                if (payload == null || !payload.isArray() || payload.isEmpty() || !payload.get(0).isTextual()) {
                    throw new ProtocolException("an event must be a JSON array starting with its name");
                }
                break;
            case ACK:
            case BINARY_ACK:
                if (!hasAckId || payload == null || !payload.isArray()) {
                    throw new ProtocolException("invalid ACK");
                }
                break;
            default:
                break;
        }
        return new Decoded(kind, namespace, payload);
    }

    private static JsonNode json(String frame, int from) throws ProtocolException {
        try {
            JsonNode node = SimJson.MAPPER.readTree(frame.substring(from));
            if (node == null || node.isMissingNode()) {
                throw new ProtocolException("missing JSON payload");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ProtocolException("malformed JSON payload");
        } catch (RuntimeException e) {
            throw new ProtocolException("unreadable JSON payload");
        }
    }
}
