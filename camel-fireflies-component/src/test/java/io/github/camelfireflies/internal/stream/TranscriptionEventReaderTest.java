package io.github.camelfireflies.internal.stream;

import io.github.camelfireflies.api.TranscriptionEvent;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.internal.socketio.Packet;
import io.github.camelfireflies.internal.socketio.EventReader;
import io.github.camelfireflies.internal.socketio.PacketCodec;
import io.github.camelfireflies.internal.socketio.SocketIoProtocolException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path ({@link TranscriptionEventReader} behind {@link EventReader}) and the general path
 * ({@link PacketCodec#decode} and {@link TranscriptionEventMapper}) must agree on every frame: where the fast path gives
 * an event, it is the mapper's event; where it declines, the general path decides.
 */
class TranscriptionEventReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final EventReader<TranscriptionEvent> FAST = EventReader.of(
            "transcription.broadcast", p -> TranscriptionEventReader.read(p, "subscribed"));

    /** The scanner alone: whatever it declines, nothing else reads. */
    private static final EventReader<TranscriptionEvent> SCAN = EventReader.of(
            "transcription.broadcast", (f, from) -> TranscriptionEventScanner.scan(f, from, "subscribed"), p -> null);

    /** What the general path makes of a frame: the event, or empty when it is no valid transcription event. */
    private static Optional<TranscriptionEvent> general(String frame) {
        try {
            Packet p = PacketCodec.decode(frame);
            if (!(p instanceof Packet.Event e) || !"transcription.broadcast".equals(e.name()) || !"/".equals(e.namespace())) {
                return Optional.empty();
            }
            return Optional.of(TranscriptionEventMapper.map(e.firstArg(), "subscribed"));
        } catch (SocketIoProtocolException | InvalidEventException e) {
            return Optional.empty();
        }
    }

    @Test
    void theDocumentedFlatEventTakesTheFastPathWithEveryFieldExact() {
        String frame = "42[\"transcription.broadcast\",{\"transcript_id\":\"t1\",\"chunk_id\":\"c7\",\"text\":\"Hello \\\"you\\\" \\u00e9\","
                       + "\"speaker_name\":\"Alice\",\"start_time\":0,\"end_time\":1.39,\"extra\":{\"a\":[1,2]}}]";
        TranscriptionEvent fast = FAST.read(frame);
        assertThat(fast).isEqualTo(new TranscriptionEvent("t1", "c7", "Hello \"you\" é", "Alice", 0.0, 1.39));
        assertThat(fast).isEqualTo(general(frame).orElseThrow());
    }

    @Test
    void wrappedShapesNumericStringsAndOtherEventsAreDeclined() {
        assertThat(FAST.read("42[\"transcription.broadcast\",{\"payload\":{\"chunk_id\":\"c1\",\"text\":\"x\"}}]")).isNull();
        assertThat(FAST.read("42[\"transcription.broadcast\",{\"data\":{\"chunk_id\":\"c1\",\"text\":\"x\"}}]")).isNull();
        assertThat(FAST.read("42[\"transcription.broadcast\",{\"chunk_id\":\"c1\",\"text\":\"x\",\"start_time\":\"1.5\"}]"))
                .isNull();
        assertThat(FAST.read("42[\"transcription.broadcast\",{\"chunk_id\":\"c1\",\"text\":\"x\"},2]")).isNull();
        assertThat(FAST.read("42[\"auth.success\",{}]")).isNull();
        assertThat(FAST.read("421[\"transcription.broadcast\",{\"chunk_id\":\"c1\",\"text\":\"x\"}]")).isNull();
        assertThat(FAST.read("42/other,[\"transcription.broadcast\",{\"chunk_id\":\"c1\",\"text\":\"x\"}]")).isNull();
        assertThat(FAST.read("42[\"transcription.broadcast\",{\"chunk_id\":\"c1\",\"text\":\"x\"}]garbage")).isNull();
        assertThat(FAST.read("42[\"transcription.broadcast\",{\"chunk_id\":\"c1\",\"text\":\"x\"")).isNull();
        // and the general path still takes the wrapped ones
        assertThat(general("42[\"transcription.broadcast\",{\"payload\":{\"chunk_id\":\"c1\",\"text\":\"x\"}}]"))
                .contains(new TranscriptionEvent("subscribed", "c1", "x", null, null, null));
    }

    @Property(tries = 3000)
    void bothPathsAgreeOnEveryFrame(@ForAll("frames") String frame) {
        TranscriptionEvent fast = FAST.read(frame);
        if (fast != null) {
            assertThat(general(frame)).as(frame).contains(fast);
        }
        TranscriptionEvent scanned = SCAN.read(frame);
        if (scanned != null) {
            assertThat(general(frame)).as(frame).contains(scanned);
        }
    }

    @Property(tries = 1000)
    void aWellFormedFlatEventIsNeverDeclined(@ForAll("flatEvents") ObjectNode event) {
        String frame = "42" + NODES.arrayNode().add("transcription.broadcast").add(event);
        assertThat(FAST.read(frame)).as(frame).isNotNull().isEqualTo(general(frame).orElseThrow());
        assertThat(SCAN.read(frame)).as(frame).isNotNull().isEqualTo(general(frame).orElseThrow());
        String pretty = "42[\"transcription.broadcast\", " + event.toPrettyString() + " ]\n";
        assertThat(SCAN.read(pretty)).as(pretty).isNotNull().isEqualTo(general(pretty).orElseThrow());
    }

    @Property(tries = 3000)
    void theScannersNumbersAreJacksons(@ForAll("numbers") String number) {
        String frame = "42[\"transcription.broadcast\",{\"chunk_id\":\"c\",\"text\":\"x\",\"start_time\":" + number
                       + ",\"end_time\":null}]";
        TranscriptionEvent scanned = SCAN.read(frame);
        Optional<TranscriptionEvent> general = general(frame);
        if (scanned != null) {
            assertThat(general).as(frame).contains(scanned);
        }
        if (number.length() <= 30 && general.isPresent() && number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
            assertThat(scanned).as("a JSON number is not declined: " + frame).isNotNull();
        }
    }

    @Provide
    Arbitrary<String> numbers() {
        Arbitrary<String> digits = Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(22);
        return net.jqwik.api.Combinators.combine(Arbitraries.of("", "-"), digits,
                Arbitraries.of("", ".", "e", "E-", "e+", ".5e"), digits.injectNull(0.3), Arbitraries.of("", "", "", "x", "."))
                .as((sign, whole, sep, more, tail) -> sign + whole + (more == null ? "" : sep + more) + tail);
    }

    @Test
    void theScannerReadsEscapesWhiteSpaceAndNumbersAsJacksonDoes() {
        String frame = "42[\"transcription.broadcast\", {\"chunk_id\" : \"c\\u00e9\\n\", \"text\":\"a\\\"b\\\\c\\/\\ud83d\\ude00\","
                       + "\"speaker_name\":null,\"start_time\":-0,\"end_time\":-0.0,\"other\":[1]} ]";
        assertThat(SCAN.read(frame)).as("a nested value of another field: declined").isNull();
        assertThat(FAST.read(frame)).isEqualTo(new TranscriptionEvent("subscribed", "c\u00e9\n", "a\"b\\c/\ud83d\ude00", null,
                0.0, -0.0));
        String flat = frame.replace(",\"other\":[1]", ",\"other\":true");
        assertThat(SCAN.read(flat)).isEqualTo(FAST.read(flat)).isEqualTo(general(flat).orElseThrow());
        String arabicDigit = "42[\"transcription.broadcast\",{\"chunk_id\":\"c\",\"text\":\"\\u00\u0663\u0663\"}]";
        // JSON allows only ASCII hex digits there; Jackson reads other characters by their low byte, so the scanner
        // declines and leaves the frame to the parser, whose result the general path shares
        assertThat(SCAN.read(arabicDigit)).isNull();
        assertThat(Optional.ofNullable(FAST.read(arabicDigit))).isEqualTo(general(arabicDigit)).isPresent();
        for (String n : new String[] { "0.1", "1e2", "1E-7", "123456789012345678901", "0.30000000000000004", "1.5e400",
                "01", "1.", "-", "1e", ".5", "9007199254740993", "-12.750" }) {
            String f = "42[\"transcription.broadcast\",{\"chunk_id\":\"c\",\"text\":\"x\",\"start_time\":" + n + "}]";
            TranscriptionEvent scanned = SCAN.read(f);
            assertThat(Optional.ofNullable(scanned)).as(n).isEqualTo(general(f));
        }
    }

    @Provide
    Arbitrary<ObjectNode> flatEvents() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<Double> time = Arbitraries.doubles().between(0, 100_000);
        return net.jqwik.api.Combinators.combine(text, text, text, time, time, Arbitraries.of(true, false))
                .as((chunk, words, speaker, start, end, withTid) -> {
                    ObjectNode o = NODES.objectNode();
                    if (withTid) {
                        o.put("transcript_id", "t-" + chunk.length());
                    }
                    o.put("chunk_id", chunk);
                    o.put("text", words);
                    o.put("speaker_name", speaker);
                    o.put("start_time", start);
                    o.put("end_time", end);
                    return o;
                });
    }

    @Provide
    Arbitrary<String> frames() {
        Arbitrary<JsonNode> value = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(8).map(NODES::textNode),
                Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of("1.5", " 2 ", "NaN", "Infinity", "1e400", "x").map(NODES::textNode),
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.just(NODES.booleanNode(true)),
                Arbitraries.just(NODES.objectNode().put("a", 1)),
                Arbitraries.just(NODES.arrayNode().add(1)));
        Arbitrary<String> field = Arbitraries.of("transcript_id", "chunk_id", "text", "speaker_name", "start_time",
                "end_time", "payload", "data", "other");
        Arbitrary<ObjectNode> object = Arbitraries.maps(field, value).ofMaxSize(8).map(m -> {
            ObjectNode o = NODES.objectNode();
            m.forEach(o::set);
            return o;
        });
        Arbitrary<JsonNode> argument = Arbitraries.oneOf(object.map(o -> (JsonNode) o),
                object.map(o -> (JsonNode) NODES.objectNode().set("payload", o)),
                object.map(o -> (JsonNode) NODES.objectNode().set("data", o)), value);
        Arbitrary<String> raw = Arbitraries.of("", "]", ",1]", "]x", "} ]", " ");
        return net.jqwik.api.Combinators.combine(argument, Arbitraries.of("transcription.broadcast", "other"), raw,
                Arbitraries.integers().between(0, 3)).as((arg, name, tail, form) -> {
                    ArrayNode a = NODES.arrayNode().add(name).add(arg);
                    String json = a.toString();
                    return switch (form) {
                        case 0 -> "42" + json;
                        case 1 -> "42" + json.substring(0, json.length() - 1) + tail;
                        case 2 -> "42" + json.replace("1.5", "1.5e400");
                        default -> "42" + json + tail;
                    };
                });
    }
}
