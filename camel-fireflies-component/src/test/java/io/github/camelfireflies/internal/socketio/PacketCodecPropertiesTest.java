package io.github.camelfireflies.internal.socketio;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class PacketCodecPropertiesTest {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;
    private static final Duration PER_TRY = Duration.ofSeconds(2);

    private static final List<String> VALID = List.of(
            "0{\"sid\":\"NwjRggrFSIUzenmNAAAA\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
            "1", "2", "2probe", "3", "6", "40", "40{\"sid\":\"x\"}", "40/nsp,{\"sid\":\"x\"}", "41",
            "42[\"transcription.broadcast\",{\"transcript_id\":\"t\",\"chunk_id\":\"c\",\"text\":\"héllo 👋\",\"start_time\":0,"
            + "\"end_time\":1.39}]",
            "421[\"x\"]", "431[\"ok\"]", "44{\"message\":\"no\",\"data\":{\"a\":[1,2]}}", "44\"no\"",
            "451-[\"b\",{\"_placeholder\":true,\"num\":0}]", "461-5[{\"_placeholder\":true,\"num\":0}]");

    /** decode never throws anything but SocketIoProtocolException, and returns promptly. */
    private static void decodeSafely(String frame) {
        assertTimeoutPreemptively(PER_TRY, () -> {
            try {
                Packet p = PacketCodec.decode(frame);
                assertThat(p).isNotNull();
            } catch (SocketIoProtocolException e) {
                assertThat(e.getMessage()).isNotNull();
            }
        }, () -> "decode took too long: " + SocketIoProtocolException.excerpt(frame));
    }

    @Property(tries = 2000)
    void randomStringsOnlyGiveProtocolErrors(@ForAll String frame) {
        decodeSafely(frame);
    }

    @Property(tries = 1000)
    void randomFramesWithAValidPrefix(@ForAll("prefixes") String prefix, @ForAll String rest) {
        decodeSafely(prefix + rest);
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("0", "0{", "4", "40", "42", "42[", "42[\"", "421", "43", "44", "45", "451-", "46", "461-5", "42/");
    }

    @Property(tries = 3000)
    void mutationsOfValidFramesOnlyGiveProtocolErrors(@ForAll("mutated") String frame) {
        decodeSafely(frame);
    }

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> base = Arbitraries.of(VALID);
        Arbitrary<Character> chars = Arbitraries.oneOf(Arbitraries.of('[', ']', '{', '}', '"', ',', ':', '-', '/', '\\', '0', '9', '\u0000',
                '\uD83D', 'e', '.'), Arbitraries.chars());
        return Combinators.combine(base, Arbitraries.integers().between(1, 5), Arbitraries.randoms(), chars.list().ofSize(5))
                .as((frame, edits, random, cs) -> {
                    StringBuilder sb = new StringBuilder(frame);
                    for (int k = 0; k < edits; k++) {
                        int pos = sb.isEmpty() ? 0 : random.nextInt(sb.length() + 1);
                        switch (random.nextInt(3)) {
                            case 0 -> sb.insert(pos, cs.get(k).charValue());
                            case 1 -> {
                                if (pos < sb.length()) {
                                    sb.deleteCharAt(pos);
                                }
                            }
                            default -> {
                                if (pos < sb.length()) {
                                    sb.setCharAt(pos, cs.get(k));
                                }
                            }
                        }
                    }
                    return sb.toString();
                });
    }

    @Property(tries = 20)
    void deepNestingAndLongNumbersAreHandled(@ForAll @IntRange(min = 500, max = 5000) int depth) {
        decodeSafely("42[\"x\"," + "[".repeat(depth) + "]".repeat(depth) + "]");
        decodeSafely("42[\"x\"," + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "]");
        decodeSafely("42[\"x\"," + "9".repeat(depth) + "]");
        decodeSafely("42[\"x\",0." + "9".repeat(depth) + "e99999999]");
    }

    // ---------------------------------------------------------------- round trip

    @Property(tries = 1000)
    void validEventsRoundTrip(@ForAll("events") Packet.Event event) throws Exception {
        String frame = PacketCodec.encode(event);
        Packet decoded = PacketCodec.decode(frame);
        assertThat(PacketCodec.encode(decoded)).isEqualTo(frame);
        Packet.Event e = (Packet.Event) decoded;
        assertThat(e.name()).isEqualTo(event.name());
        assertThat(e.ackId()).isEqualTo(event.ackId());
        assertThat(e.namespace()).isEqualTo(event.namespace());
        assertThat(e.args()).hasSameSizeAs(event.args());
    }

    @Provide
    Arbitrary<Packet.Event> events() {
        Arbitrary<String> names = Arbitraries.strings().ofMinLength(0).ofMaxLength(30);
        Arbitrary<String> namespaces = Arbitraries.oneOf(Arbitraries.just("/"),
                Arbitraries.strings().alpha().numeric().withChars('.', '_', '/').ofMinLength(1).ofMaxLength(10).map(s -> "/" + s));
        Arbitrary<Long> ackIds = Arbitraries.longs().between(0, 999_999_999_999_999_999L).injectNull(0.5);
        return Combinators.combine(namespaces, ackIds, names, json(3).list().ofMaxSize(5))
                .as((ns, ack, name, args) -> new Packet.Event(ns, ack, name, args));
    }

    private Arbitrary<JsonNode> json(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(N::textNode),
                Arbitraries.strings().withCharRange('\u0590', '\u06FF').withChars('👋', '🎉').ofMaxLength(10).map(N::textNode),
                Arbitraries.integers().map(N::numberNode),
                Arbitraries.longs().map(N::numberNode),
                Arbitraries.doubles().map(N::numberNode),
                Arbitraries.of(true, false).map(N::booleanNode),
                Arbitraries.just(N.nullNode()));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> array = json(depth - 1).list().ofMaxSize(4).map(items -> {
            ArrayNode a = N.arrayNode();
            items.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Combinators.combine(Arbitraries.strings().ofMaxLength(8), json(depth - 1)).as((k, v) -> {
            ObjectNode o = N.objectNode();
            o.set(k, v);
            return (JsonNode) o;
        }).list().ofMaxSize(4).map(objs -> {
            ObjectNode o = N.objectNode();
            objs.forEach(x -> o.setAll((ObjectNode) x));
            return o;
        });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, leaf), net.jqwik.api.Tuple.of(1, array),
                net.jqwik.api.Tuple.of(1, object));
    }
}
