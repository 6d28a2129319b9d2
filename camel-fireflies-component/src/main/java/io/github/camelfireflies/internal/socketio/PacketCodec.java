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

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Encodes and decodes Engine.IO v4 / Socket.IO v5 packets as WebSocket text frames. Pure functions: no state, no I/O,
 * safe from any thread. Over a WebSocket one frame carries exactly one packet (no {@code \x1e} batching).
 * <p>
 * Frame layout: {@code <eio type>[<sio type>[<attachments>-][<namespace>,][<ack id>][<json>]]}.
 */
public final class PacketCodec {

    /**
     * How much of an offending token Jackson may quote in its error message. Jackson's default (256) would let a
     * message quote far more of a frame than {@link SocketIoProtocolException#EXCERPT_LENGTH}.
     */
    static final int MAX_ERROR_TOKEN_LENGTH = 32;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .errorReportConfiguration(ErrorReportConfiguration.builder()
                    .maxErrorTokenLength(MAX_ERROR_TOKEN_LENGTH)
                    .maxRawContentLength(0)
                    .build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final Packet.Close CLOSE = new Packet.Close();
    private static final Packet.Ping PING = new Packet.Ping("");
    private static final Packet.Pong PONG = new Packet.Pong("");
    private static final Packet.Upgrade UPGRADE = new Packet.Upgrade();
    private static final Packet.Noop NOOP = new Packet.Noop();
    private static final Packet.Disconnect DISCONNECT_ROOT = new Packet.Disconnect(Packet.DEFAULT_NAMESPACE);

    /** The PONG answer to a plain PING, pre-encoded. */
    public static final String PONG_FRAME = "3";

    private PacketCodec() {
    }

    // ------------------------------------------------------------------------------------------------ decode

    /**
     * Decodes one text frame.
     *
     * @throws SocketIoProtocolException when the frame is not a valid packet; nothing else is thrown for any input
     */
    public static Packet decode(String frame) throws SocketIoProtocolException {
        if (frame == null || frame.isEmpty()) {
            throw new SocketIoProtocolException("Empty frame");
        }
        char type = frame.charAt(0);
        switch (type) {
            case '0':
                return decodeOpen(frame);
            case '1':
                return CLOSE;
            case '2':
                return frame.length() == 1 ? PING : new Packet.Ping(frame.substring(1));
            case '3':
                return frame.length() == 1 ? PONG : new Packet.Pong(frame.substring(1));
            case '4':
                return decodeSocketIo(frame);
            case '5':
                return UPGRADE;
            case '6':
                return NOOP;
            default:
                throw new SocketIoProtocolException(
                        "Unknown Engine.IO packet type '" + type + "' in frame " + SocketIoProtocolException.excerpt(frame));
        }
    }

    private static Packet decodeOpen(String frame) throws SocketIoProtocolException {
        JsonNode json = parse(frame, 1, frame);
        if (!(json instanceof ObjectNode)) {
            throw new SocketIoProtocolException("OPEN packet without a JSON object: " + SocketIoProtocolException.excerpt(frame));
        }
        JsonNode sid = json.get("sid");
        if (sid == null || !sid.isTextual()) {
            throw new SocketIoProtocolException("OPEN packet without a sid: " + SocketIoProtocolException.excerpt(frame));
        }
        long pingInterval = positiveLong(json, "pingInterval", 25_000, frame);
        long pingTimeout = positiveLong(json, "pingTimeout", 20_000, frame);
        long maxPayload = positiveLong(json, "maxPayload", 1_000_000, frame);
        return new Packet.Open(sid.asText(), pingInterval, pingTimeout, maxPayload);
    }

    private static long positiveLong(JsonNode json, String field, long dflt, String frame) throws SocketIoProtocolException {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber() || n.asLong() <= 0) {
            throw new SocketIoProtocolException(
                    "OPEN packet with an invalid " + field + ": " + SocketIoProtocolException.excerpt(frame));
        }
        return n.asLong();
    }

    private static Packet decodeSocketIo(String frame) throws SocketIoProtocolException {
        int len = frame.length();
        if (len < 2) {
            throw new SocketIoProtocolException("Engine.IO MESSAGE without a Socket.IO packet: "
                                                + SocketIoProtocolException.excerpt(frame));
        }
        char sioType = frame.charAt(1);
        int i = 2;

        int attachments = -1;
        if (sioType == '5' || sioType == '6') {
            int start = i;
            while (i < len && isDigit(frame.charAt(i))) {
                i++;
            }
            if (i == start || i >= len || frame.charAt(i) != '-' || i - start > 9) {
                throw new SocketIoProtocolException("Binary packet without a valid attachment count: "
                                                    + SocketIoProtocolException.excerpt(frame));
            }
            attachments = Integer.parseInt(frame, start, i, 10);
            i++; // '-'
        }

        String namespace = Packet.DEFAULT_NAMESPACE;
        if (i < len && frame.charAt(i) == '/') {
            int comma = frame.indexOf(',', i);
            int end = comma < 0 ? len : comma;
            namespace = frame.substring(i, end);
            i = comma < 0 ? len : comma + 1;
        }

        Long ackId = null;
        int ackStart = i;
        while (i < len && isDigit(frame.charAt(i))) {
            i++;
        }
        if (i > ackStart) {
            if (i - ackStart > 18) {
                throw new SocketIoProtocolException("Ack id too long in frame " + SocketIoProtocolException.excerpt(frame));
            }
            ackId = Long.parseLong(frame, ackStart, i, 10);
        }
        boolean hasPayload = i < len;

        switch (sioType) {
            case '0': { // CONNECT
                JsonNode data = hasPayload ? parse(frame, i, frame) : null;
                if (ackId != null || (data != null && !data.isObject())) {
                    throw new SocketIoProtocolException("Invalid CONNECT packet: " + SocketIoProtocolException.excerpt(frame));
                }
                return new Packet.Connect(namespace, data);
            }
            case '1': // DISCONNECT
                if (hasPayload || ackId != null) {
                    throw new SocketIoProtocolException("Invalid DISCONNECT packet: " + SocketIoProtocolException.excerpt(frame));
                }
                return Packet.DEFAULT_NAMESPACE.equals(namespace) ? DISCONNECT_ROOT : new Packet.Disconnect(namespace);
            case '2': { // EVENT
                ArrayNode array = eventArray(frame, i, hasPayload);
                return new Packet.Event(namespace, ackId, array.get(0).asText(), tail(array));
            }
            case '3': { // ACK
                if (ackId == null || !hasPayload) {
                    throw new SocketIoProtocolException("Invalid ACK packet: " + SocketIoProtocolException.excerpt(frame));
                }
                JsonNode json = parse(frame, i, frame);
                if (!json.isArray()) {
                    throw new SocketIoProtocolException("ACK packet without a JSON array: " + SocketIoProtocolException.excerpt(frame));
                }
                List<JsonNode> args = new ArrayList<>(json.size());
                json.forEach(args::add);
                return new Packet.Ack(namespace, ackId, args);
            }
            case '4': { // CONNECT_ERROR
                if (!hasPayload) {
                    return new Packet.ConnectError(namespace, "", null);
                }
                JsonNode json = parse(frame, i, frame);
                if (json.isTextual()) { // Socket.IO v4 sent a bare string
                    return new Packet.ConnectError(namespace, json.asText(), null);
                }
                if (!json.isObject()) {
                    throw new SocketIoProtocolException("Invalid CONNECT_ERROR packet: " + SocketIoProtocolException.excerpt(frame));
                }
                JsonNode message = json.get("message");
                return new Packet.ConnectError(namespace, message == null || message.isNull() ? "" : message.asText(),
                        json.get("data"));
            }
            case '5': // BINARY_EVENT
            case '6': { // BINARY_ACK
                boolean ack = sioType == '6';
                if (ack) {
                    if (ackId == null || !hasPayload) {
                        throw new SocketIoProtocolException("Invalid BINARY_ACK packet: " + SocketIoProtocolException.excerpt(frame));
                    }
                    JsonNode json = parse(frame, i, frame);
                    if (!json.isArray()) {
                        throw new SocketIoProtocolException("Invalid BINARY_ACK packet: " + SocketIoProtocolException.excerpt(frame));
                    }
                    List<JsonNode> args = new ArrayList<>(json.size());
                    json.forEach(args::add);
                    return new Packet.BinaryEvent(namespace, ackId, true, attachments, "", args);
                }
                ArrayNode array = eventArray(frame, i, hasPayload);
                return new Packet.BinaryEvent(namespace, ackId, false, attachments, array.get(0).asText(), tail(array));
            }
            default:
                throw new SocketIoProtocolException(
                        "Unknown Socket.IO packet type '" + sioType + "' in frame " + SocketIoProtocolException.excerpt(frame));
        }
    }

    private static ArrayNode eventArray(String frame, int from, boolean hasPayload) throws SocketIoProtocolException {
        if (!hasPayload) {
            throw new SocketIoProtocolException("EVENT packet without a payload: " + SocketIoProtocolException.excerpt(frame));
        }
        JsonNode json = parse(frame, from, frame);
        if (!(json instanceof ArrayNode) || json.isEmpty() || !json.get(0).isTextual()) {
            throw new SocketIoProtocolException(
                    "EVENT packet must be a JSON array starting with the event name: " + SocketIoProtocolException.excerpt(frame));
        }
        return (ArrayNode) json;
    }

    private static List<JsonNode> tail(ArrayNode array) {
        int n = array.size();
        if (n == 1) {
            return Collections.emptyList();
        }
        if (n == 2) {
            return List.of(array.get(1));
        }
        List<JsonNode> args = new ArrayList<>(n - 1);
        for (int k = 1; k < n; k++) {
            args.add(array.get(k));
        }
        return args;
    }

    private static JsonNode parse(String frame, int from, String whole) throws SocketIoProtocolException {
        if (from >= frame.length()) {
            throw new SocketIoProtocolException("Missing JSON payload in frame " + SocketIoProtocolException.excerpt(whole));
        }
        try {
            JsonNode node = MAPPER.readTree(from == 0 ? frame : frame.substring(from));
            if (node == null || node.isMissingNode()) {
                throw new SocketIoProtocolException("Missing JSON payload in frame " + SocketIoProtocolException.excerpt(whole));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new SocketIoProtocolException("Malformed JSON in frame " + SocketIoProtocolException.excerpt(whole) + ": "
                                                + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            // StreamConstraintsException and friends: still the frame's fault
            throw new SocketIoProtocolException("Unreadable JSON in frame " + SocketIoProtocolException.excerpt(whole) + ": " + e,
                    e);
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ------------------------------------------------------------------------------------------------ encode

    /** Encodes one packet as a text frame. */
    public static String encode(Packet packet) {
        StringBuilder sb = new StringBuilder(64);
        if (packet instanceof Packet.Open open) {
            ObjectNode o = NODES.objectNode();
            o.put("sid", open.sid());
            o.putArray("upgrades");
            o.put("pingInterval", open.pingInterval());
            o.put("pingTimeout", open.pingTimeout());
            o.put("maxPayload", open.maxPayload());
            return sb.append('0').append(o).toString();
        } else if (packet instanceof Packet.Close) {
            return "1";
        } else if (packet instanceof Packet.Ping ping) {
            return "2" + ping.data();
        } else if (packet instanceof Packet.Pong pong) {
            return pong.data().isEmpty() ? PONG_FRAME : "3" + pong.data();
        } else if (packet instanceof Packet.Upgrade) {
            return "5";
        } else if (packet instanceof Packet.Noop) {
            return "6";
        }
        sb.append('4');
        if (packet instanceof Packet.Connect c) {
            sb.append('0');
            namespace(sb, c.namespace(), c.data() != null);
            if (c.data() != null) {
                sb.append(c.data());
            }
        } else if (packet instanceof Packet.Disconnect d) {
            sb.append('1');
            namespace(sb, d.namespace(), false);
        } else if (packet instanceof Packet.Event e) {
            sb.append('2');
            namespace(sb, e.namespace(), true);
            if (e.ackId() != null) {
                sb.append(e.ackId());
            }
            ArrayNode array = NODES.arrayNode(e.args().size() + 1);
            array.add(e.name());
            e.args().forEach(array::add);
            sb.append(array);
        } else if (packet instanceof Packet.Ack a) {
            sb.append('3');
            namespace(sb, a.namespace(), true);
            sb.append(a.ackId());
            ArrayNode array = NODES.arrayNode(a.args().size());
            a.args().forEach(array::add);
            sb.append(array);
        } else if (packet instanceof Packet.ConnectError ce) {
            sb.append('4');
            namespace(sb, ce.namespace(), true);
            ObjectNode o = NODES.objectNode();
            o.put("message", ce.message());
            if (ce.data() != null) {
                o.set("data", ce.data());
            }
            sb.append(o);
        } else if (packet instanceof Packet.BinaryEvent be) {
            sb.append(be.ack() ? '6' : '5').append(be.attachments()).append('-');
            namespace(sb, be.namespace(), true);
            if (be.ackId() != null) {
                sb.append(be.ackId());
            }
            ArrayNode array = NODES.arrayNode();
            if (!be.ack()) {
                array.add(be.name());
            }
            be.args().forEach(array::add);
            sb.append(array);
        }
        return sb.toString();
    }

    private static void namespace(StringBuilder sb, String namespace, boolean more) {
        if (!Packet.DEFAULT_NAMESPACE.equals(namespace)) {
            sb.append(namespace);
            if (more) {
                sb.append(',');
            }
        }
    }

    /** Encodes an EVENT on the default namespace: {@code 42["name",arg...]}. */
    public static String event(String name, JsonNode... args) {
        return encode(new Packet.Event(Packet.DEFAULT_NAMESPACE, null, name, List.of(args)));
    }

    /** The shared, thread-safe mapper the codec parses with (for callers that build payloads). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
