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

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packets a test client reads from the simulator, decoded here on the test's side, straight from the wire format
 * ({@code socketio-wire.md}): neither the simulator's framing nor the component's codec is used to check what the
 * simulator sends.
 */
sealed interface WirePacket {

    String DEFAULT_NAMESPACE = "/";

    ObjectMapper JSON = new ObjectMapper();

    /** {@code <type>[<attachments>-][<namespace>,][<ack id>][<json>]} after the Engine.IO {@code 4}. */
    Pattern SOCKET_IO = Pattern.compile("4([0-6])(?:(\\d+)-)?(?:(/[^,]*),)?(\\d+)?(.*)", Pattern.DOTALL);

    record Open(String sid, long pingInterval, long pingTimeout, long maxPayload) implements WirePacket {
    }

    record Close() implements WirePacket {
    }

    record Ping() implements WirePacket {
    }

    record Connect(String namespace, JsonNode data) implements WirePacket {
    }

    record Disconnect(String namespace) implements WirePacket {
    }

    record Event(String namespace, String name, List<JsonNode> args) implements WirePacket {
        JsonNode firstArg() {
            return args.isEmpty() ? null : args.get(0);
        }
    }

    record ConnectError(String namespace, String message, JsonNode data) implements WirePacket {
    }

    record BinaryEvent(int attachments, String name, List<JsonNode> args) implements WirePacket {
    }

    /** Decodes one text frame the simulator sent; an {@link AssertionError} when it is not a valid packet. */
    static WirePacket decode(String frame) {
        try {
            switch (frame.charAt(0)) {
                case '0': {
                    JsonNode o = JSON.readTree(frame.substring(1));
                    return new Open(o.get("sid").asText(), o.get("pingInterval").asLong(),
                            o.get("pingTimeout").asLong(), o.get("maxPayload").asLong());
                }
                case '1':
                    return new Close();
                case '2':
                    return new Ping();
                case '4':
                    return socketIo(frame);
                default:
                    throw new AssertionError("Not a packet the server sends: " + frame);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new AssertionError("Undecodable frame " + frame, e);
        }
    }

    private static WirePacket socketIo(String frame) throws com.fasterxml.jackson.core.JsonProcessingException {
        Matcher m = SOCKET_IO.matcher(frame);
        if (!m.matches()) {
            throw new AssertionError("Not a Socket.IO packet: " + frame);
        }
        String namespace = m.group(3) == null ? DEFAULT_NAMESPACE : m.group(3);
        String json = m.group(5);
        JsonNode payload = json.isEmpty() ? null : JSON.readTree(json);
        switch (m.group(1)) {
            case "0":
                return new Connect(namespace, payload);
            case "1":
                return new Disconnect(namespace);
            case "2":
                return new Event(namespace, payload.get(0).asText(), tail(payload));
            case "4":
                return new ConnectError(namespace, payload.path("message").asText(), payload.get("data"));
            case "5":
                return new BinaryEvent(Integer.parseInt(m.group(2)), payload.get(0).asText(), tail(payload));
            default:
                throw new AssertionError("Not a packet the server sends: " + frame);
        }
    }

    private static List<JsonNode> tail(JsonNode array) {
        if (!array.isArray() || array.isEmpty() || !array.get(0).isTextual()) {
            throw new AssertionError("An event is a JSON array starting with its name: " + array);
        }
        List<JsonNode> args = new ArrayList<>();
        for (int i = 1; i < array.size(); i++) {
            args.add(array.get(i));
        }
        return args;
    }

    /** The CONNECT a client sends on the root namespace: {@code 40<auth>}. */
    static String connect(JsonNode auth) {
        return "40" + auth;
    }
}
