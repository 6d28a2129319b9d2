package io.github.camelfireflies.internal.socketio;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PacketCodecTest {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    private static Packet decode(String frame) throws SocketIoProtocolException {
        return PacketCodec.decode(frame);
    }

    private static JsonNode json(String s) throws Exception {
        return PacketCodec.mapper().readTree(s);
    }

    // ------------------------------------------------------------------ Engine.IO

    @Test
    void openWithAllFields() throws Exception {
        String frame = "0{\"sid\":\"NwjRggrFSIUzenmNAAAA\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,"
                       + "\"maxPayload\":1000000}";
        Packet p = decode(frame);
        assertThat(p).isEqualTo(new Packet.Open("NwjRggrFSIUzenmNAAAA", 25000, 20000, 1_000_000));
        assertThat(PacketCodec.encode(p)).isEqualTo(frame);
    }

    @Test
    void openWithOnlySidTakesDefaults() throws Exception {
        assertThat(decode("0{\"sid\":\"abc\"}")).isEqualTo(new Packet.Open("abc", 25000, 20000, 1_000_000));
        assertThat(decode("0{\"sid\":\"abc\",\"pingInterval\":100,\"pingTimeout\":50,\"maxPayload\":null}"))
                .isEqualTo(new Packet.Open("abc", 100, 50, 1_000_000));
    }

    @Test
    void simpleEngineIoPackets() throws Exception {
        assertThat(decode("1")).isInstanceOf(Packet.Close.class);
        assertThat(decode("2")).isEqualTo(new Packet.Ping(""));
        assertThat(decode("2probe")).isEqualTo(new Packet.Ping("probe"));
        assertThat(decode("3")).isEqualTo(new Packet.Pong(""));
        assertThat(decode("3probe")).isEqualTo(new Packet.Pong("probe"));
        assertThat(decode("5")).isInstanceOf(Packet.Upgrade.class);
        assertThat(decode("6")).isInstanceOf(Packet.Noop.class);

        assertThat(PacketCodec.encode(new Packet.Close())).isEqualTo("1");
        assertThat(PacketCodec.encode(new Packet.Ping(""))).isEqualTo("2");
        assertThat(PacketCodec.encode(new Packet.Ping("probe"))).isEqualTo("2probe");
        assertThat(PacketCodec.encode(new Packet.Pong(""))).isEqualTo("3").isEqualTo(PacketCodec.PONG_FRAME);
        assertThat(PacketCodec.encode(new Packet.Pong("probe"))).isEqualTo("3probe");
        assertThat(PacketCodec.encode(new Packet.Upgrade())).isEqualTo("5");
        assertThat(PacketCodec.encode(new Packet.Noop())).isEqualTo("6");
    }

    // ------------------------------------------------------------------ Socket.IO

    @Test
    void connectWithAndWithoutPayload() throws Exception {
        assertThat(decode("40")).isEqualTo(new Packet.Connect("/", null));
        assertThat(decode("40{\"sid\":\"i89NCdi2SU0ZrGFqAAAA\"}"))
                .isEqualTo(new Packet.Connect("/", json("{\"sid\":\"i89NCdi2SU0ZrGFqAAAA\"}")));

        assertThat(PacketCodec.encode(new Packet.Connect("/", null))).isEqualTo("40");
        assertThat(PacketCodec.encode(new Packet.Connect("/", json("{\"token\":\"Bearer k\",\"transcriptId\":\"t\"}"))))
                .isEqualTo("40{\"token\":\"Bearer k\",\"transcriptId\":\"t\"}");
    }

    @Test
    void connectOnNamespace() throws Exception {
        assertThat(decode("40/nsp,")).isEqualTo(new Packet.Connect("/nsp", null));
        assertThat(decode("40/nsp")).isEqualTo(new Packet.Connect("/nsp", null));
        assertThat(decode("40/nsp,{\"sid\":\"x\"}")).isEqualTo(new Packet.Connect("/nsp", json("{\"sid\":\"x\"}")));
        assertThat(PacketCodec.encode(new Packet.Connect("/nsp", json("{\"a\":1}")))).isEqualTo("40/nsp,{\"a\":1}");
    }

    @Test
    void disconnect() throws Exception {
        assertThat(decode("41")).isEqualTo(new Packet.Disconnect("/"));
        assertThat(decode("41/nsp,")).isEqualTo(new Packet.Disconnect("/nsp"));
        assertThat(PacketCodec.encode(new Packet.Disconnect("/"))).isEqualTo("41");
        assertThat(decode(PacketCodec.encode(new Packet.Disconnect("/nsp")))).isEqualTo(new Packet.Disconnect("/nsp"));
    }

    @Test
    void eventWithZeroNullOneAndSeveralArgs() throws Exception {
        Packet.Event none = (Packet.Event) decode("42[\"connection.established\"]");
        assertThat(none.name()).isEqualTo("connection.established");
        assertThat(none.args()).isEmpty();
        assertThat(none.firstArg()).isNull();
        assertThat(none.ackId()).isNull();
        assertThat(none.namespace()).isEqualTo("/");

        Packet.Event nul = (Packet.Event) decode("42[\"x\",null]");
        assertThat(nul.args()).containsExactly(NullNode.getInstance());

        Packet.Event one = (Packet.Event) decode("42[\"transcription.broadcast\",{\"chunk_id\":\"c1\",\"start_time\":0}]");
        assertThat(one.args()).hasSize(1);
        assertThat(one.firstArg().get("chunk_id").asText()).isEqualTo("c1");

        Packet.Event several = (Packet.Event) decode("42[\"x\",1,\"two\",[3],{\"four\":4},true,1.5]");
        assertThat(several.args()).hasSize(6);
        assertThat(several.args().get(5).doubleValue()).isEqualTo(1.5);

        for (String f : List.of("42[\"connection.established\"]", "42[\"x\",null]", "42[\"x\",1,\"two\",[3],{\"four\":4},true,1.5]")) {
            assertThat(PacketCodec.encode(decode(f))).isEqualTo(f);
        }
        assertThat(PacketCodec.event("x", N.textNode("y"), NullNode.getInstance())).isEqualTo("42[\"x\",\"y\",null]");
    }

    @Test
    void eventWithAckIdAndNamespace() throws Exception {
        Packet.Event e = (Packet.Event) decode("421[\"x\"]");
        assertThat(e.ackId()).isEqualTo(1L);
        assertThat(e.name()).isEqualTo("x");
        assertThat(PacketCodec.encode(e)).isEqualTo("421[\"x\"]");

        Packet.Event big = (Packet.Event) decode("42999999999999999999[\"x\"]".substring(0, 2) + "123456789012345678[\"x\"]");
        assertThat(big.ackId()).isEqualTo(123456789012345678L);

        Packet.Event ns = (Packet.Event) decode("42/nsp,7[\"x\",1]");
        assertThat(ns.namespace()).isEqualTo("/nsp");
        assertThat(ns.ackId()).isEqualTo(7L);
        assertThat(PacketCodec.encode(ns)).isEqualTo("42/nsp,7[\"x\",1]");
    }

    @Test
    void ack() throws Exception {
        assertThat(decode("431[\"ok\",2]")).isEqualTo(new Packet.Ack("/", 1, List.of(N.textNode("ok"), N.numberNode(2))));
        assertThat(decode("4312[]")).isEqualTo(new Packet.Ack("/", 12, List.of()));
        assertThat(PacketCodec.encode(new Packet.Ack("/", 1, List.of(N.textNode("ok"))))).isEqualTo("431[\"ok\"]");
    }

    @Test
    void connectErrorObjectAndBareString() throws Exception {
        Packet.ConnectError o = (Packet.ConnectError) decode("44{\"message\":\"Not authorized\",\"data\":{\"code\":401}}");
        assertThat(o.message()).isEqualTo("Not authorized");
        assertThat(o.data()).isEqualTo(json("{\"code\":401}"));
        assertThat(PacketCodec.encode(o)).isEqualTo("44{\"message\":\"Not authorized\",\"data\":{\"code\":401}}");

        Packet.ConnectError s = (Packet.ConnectError) decode("44\"Not authorized\"");
        assertThat(s.message()).isEqualTo("Not authorized");
        assertThat(s.data()).isNull();

        Packet.ConnectError ns = (Packet.ConnectError) decode("44/ws/realtime,{\"message\":\"Invalid namespace\"}");
        assertThat(ns.namespace()).isEqualTo("/ws/realtime");
        assertThat(ns.message()).isEqualTo("Invalid namespace");

        assertThat(((Packet.ConnectError) decode("44")).message()).isEmpty();
        assertThat(((Packet.ConnectError) decode("44{}")).message()).isEmpty();
    }

    @Test
    void binaryEventWithPlaceholder() throws Exception {
        String frame = "451-[\"upload\",{\"_placeholder\":true,\"num\":0}]";
        Packet.BinaryEvent b = (Packet.BinaryEvent) decode(frame);
        assertThat(b.ack()).isFalse();
        assertThat(b.attachments()).isEqualTo(1);
        assertThat(b.name()).isEqualTo("upload");
        assertThat(b.ackId()).isNull();
        assertThat(b.args()).containsExactly(json("{\"_placeholder\":true,\"num\":0}"));
        assertThat(PacketCodec.encode(b)).isEqualTo(frame);

        Packet.BinaryEvent withAck = (Packet.BinaryEvent) decode("452-/nsp,9[\"x\",{\"_placeholder\":true,\"num\":0},"
                                                                 + "{\"_placeholder\":true,\"num\":1}]");
        assertThat(withAck.attachments()).isEqualTo(2);
        assertThat(withAck.namespace()).isEqualTo("/nsp");
        assertThat(withAck.ackId()).isEqualTo(9L);
    }

    @Test
    void binaryAck() throws Exception {
        String frame = "461-5[{\"_placeholder\":true,\"num\":0}]";
        Packet.BinaryEvent b = (Packet.BinaryEvent) decode(frame);
        assertThat(b.ack()).isTrue();
        assertThat(b.attachments()).isEqualTo(1);
        assertThat(b.ackId()).isEqualTo(5L);
        assertThat(b.args()).hasSize(1);
        assertThat(PacketCodec.encode(b)).isEqualTo(frame);
    }

    // ------------------------------------------------------------------ malformed

    @ParameterizedTest
    @ValueSource(strings = {
            "", "7", "9", "x", " ", "{", "4", "47", "4x", "42", "42{", "42[]", "42[1]", "42[null]", "42{\"a\":1}",
            "42[\"x\"", "42[\"x\"]]", "42[\"x\"]x", "42[\"x\"][]", "42\"x\"",
            "40[1]", "40\"s\"", "401{}", "41x", "43", "43[1]", "431", "431{}", "44[1]",
            "45", "45-[\"x\"]", "451[\"x\"]", "45a-[\"x\"]", "451-", "451-[]", "4512345678901-[\"x\"]",
            "46", "461-[]", "461-5", "461-5{}",
            "4212345678901234567890[\"x\"]", "42123456789012345678901234567890123456789[\"x\"]",
            "0", "0{", "0[]", "0{}", "0{\"sid\":1}", "0{\"sid\":null}", "0{\"pingInterval\":1}",
            "0{\"sid\":\"a\",\"pingInterval\":-1}", "0{\"sid\":\"a\",\"pingInterval\":0}",
            "0{\"sid\":\"a\",\"pingTimeout\":-5}", "0{\"sid\":\"a\",\"maxPayload\":-5}", "0{\"sid\":\"a\",\"pingInterval\":\"25000\"}",
            "0{\"sid\":\"a\"}x"
    })
    void malformedFramesAreProtocolErrors(String frame) {
        SocketIoProtocolException e = catchThrowableOfType(SocketIoProtocolException.class, () -> decode(frame));
        assertThat(e).as("decode(%s)", frame).isNotNull();
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void nullFrameIsAProtocolError() {
        assertThatThrownBy(() -> decode(null)).isInstanceOf(SocketIoProtocolException.class);
    }

    @Test
    void messagesNameTheProblem() {
        assertThat(catchThrowableOfType(SocketIoProtocolException.class, () -> decode("")).getMessage()).contains("Empty");
        assertThat(catchThrowableOfType(SocketIoProtocolException.class, () -> decode("0{\"pingInterval\":1}")).getMessage())
                .contains("sid");
        assertThat(catchThrowableOfType(SocketIoProtocolException.class, () -> decode("0{\"sid\":\"a\",\"pingInterval\":-1}"))
                .getMessage()).contains("pingInterval");
        assertThat(catchThrowableOfType(SocketIoProtocolException.class, () -> decode("4212345678901234567890[\"x\"]"))
                .getMessage()).contains("Ack id");
        assertThat(catchThrowableOfType(SocketIoProtocolException.class, () -> decode("45-[\"x\"]")).getMessage())
                .contains("attachment");
        assertThat(catchThrowableOfType(SocketIoProtocolException.class, () -> decode("7abc")).getMessage())
                .contains("'7'");
    }

    /** Whatever is wrong with a long frame, the message quotes at most EXCERPT_LENGTH characters of it. */
    @ParameterizedTest
    @ValueSource(strings = {
            "42[\"x\",%s]", "42[\"%s\"", "42[\"x\"]%s", "0{\"sid\":\"%s\",\"pingInterval\":-1}", "7%s", "42[%s]",
            "42[\"x\",{\"%s\":}]", "42[\"x\",tru%s]", "45-%s", "0{\"x\":\"%s\"}", "44[\"%s\"]"
    })
    void longMalformedFramesAreQuotedOnlyInPart(String template) {
        String filler = "a".repeat(200) + "b".repeat(200) + "c".repeat(5000);
        String frame = template.formatted(filler);
        SocketIoProtocolException e = catchThrowableOfType(SocketIoProtocolException.class, () -> decode(frame));
        assertThat(e).as(frame).isNotNull();
        String longest = "a".repeat(SocketIoProtocolException.EXCERPT_LENGTH + 1);
        assertThat(e.getMessage()).doesNotContain(longest).doesNotContain("b".repeat(SocketIoProtocolException.EXCERPT_LENGTH))
                .doesNotContain("c".repeat(SocketIoProtocolException.EXCERPT_LENGTH));
        assertThat(e.getMessage().length()).isLessThan(SocketIoProtocolException.EXCERPT_LENGTH + 400);
    }

    @Test
    void excerpt() {
        assertThat(SocketIoProtocolException.excerpt(null)).isEqualTo("<null>");
        assertThat(SocketIoProtocolException.excerpt("42")).isEqualTo("'42'");
        String exact = "x".repeat(SocketIoProtocolException.EXCERPT_LENGTH);
        assertThat(SocketIoProtocolException.excerpt(exact)).isEqualTo("'" + exact + "'");
        assertThat(SocketIoProtocolException.excerpt(exact + "yz"))
                .isEqualTo("'" + exact + "...' (" + (SocketIoProtocolException.EXCERPT_LENGTH + 2) + " chars)");
    }

    // ------------------------------------------------------------------ size and text

    @Test
    void oneMebibyteTextRoundTrips() throws Exception {
        StringBuilder sb = new StringBuilder(1 << 20);
        for (int i = 0; sb.length() < (1 << 20); i++) {
            sb.append("word").append(i % 97).append(' ');
        }
        String text = sb.substring(0, 1 << 20);
        String frame = "42[\"transcription.broadcast\",{\"chunk_id\":\"c\",\"text\":\"" + text + "\"}]";
        Packet.Event e = (Packet.Event) decode(frame);
        assertThat(e.firstArg().get("text").textValue()).isEqualTo(text);
        assertThat(PacketCodec.encode(e)).isEqualTo(frame);
    }

    @Test
    void emojiRtlAndEscapesRoundTripExactly() throws Exception {
        String text = "héllo 👋🏽 👨‍👩‍👧 שלום עולם مرحبا \u200f\u202e tab\t nl\n quote\" back\\ \u0000 \uD834\uDD1E";
        Packet.Event e = new Packet.Event("/", null, "ünïcødé ✓ 🎉", List.of(N.textNode(text), N.objectNode().put("ключ", text)));
        String frame = PacketCodec.encode(e);
        Packet.Event back = (Packet.Event) decode(frame);
        assertThat(back).isEqualTo(e);
        assertThat(back.firstArg().textValue()).isEqualTo(text);
        assertThat(PacketCodec.encode(back)).isEqualTo(frame);

        String raw = "42[\"x\",\"👋 שלום مرحبا\"]";
        assertThat(PacketCodec.encode(decode(raw))).isEqualTo(raw);
    }

    @Test
    void numbersAreReadAsNumbers() throws Exception {
        Packet.Event e = (Packet.Event) decode("42[\"x\",{\"a\":0,\"b\":1.5,\"c\":12345678901234,\"d\":-0.0}]");
        JsonNode arg = e.firstArg();
        assertThat(arg.get("a").isNumber()).isTrue();
        assertThat(arg.get("a").doubleValue()).isEqualTo(0.0);
        assertThat(arg.get("b").doubleValue()).isEqualTo(1.5);
        assertThat(arg.get("c").longValue()).isEqualTo(12345678901234L);
    }
}
