package io.github.camelfireflies.internal.stream;

import io.github.camelfireflies.api.TranscriptionEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranscriptionEventMapperTest {

    private static final ObjectMapper M = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return M.readTree(s);
    }

    private static final String FLAT = "{\"transcript_id\":\"t1\",\"chunk_id\":\"c1\",\"text\":\"Hello\",\"speaker_name\":\"Ann\","
                                       + "\"start_time\":0,\"end_time\":1.39}";
    private static final TranscriptionEvent EXPECTED = new TranscriptionEvent("t1", "c1", "Hello", "Ann", 0.0, 1.39);

    @Test
    void flat() throws Exception {
        assertThat(TranscriptionEventMapper.map(json(FLAT), "fallback")).isEqualTo(EXPECTED);
    }

    @Test
    void wrappedInPayloadOrData() throws Exception {
        assertThat(TranscriptionEventMapper.map(json("{\"payload\":" + FLAT + "}"), "fallback")).isEqualTo(EXPECTED);
        assertThat(TranscriptionEventMapper.map(json("{\"data\":" + FLAT + "}"), "fallback")).isEqualTo(EXPECTED);
        assertThat(TranscriptionEventMapper.map(json("{\"payload\":\"junk\",\"data\":" + FLAT + "}"), "fallback"))
                .isEqualTo(EXPECTED);
    }

    @Test
    void numbersAsZeroDecimalAndNumericStrings() throws Exception {
        TranscriptionEvent e = TranscriptionEventMapper.map(
                json("{\"chunk_id\":\"c\",\"text\":\"x\",\"start_time\":0,\"end_time\":0.0}"), "t");
        assertThat(e.startTime()).isEqualTo(0.0);
        assertThat(e.endTime()).isEqualTo(0.0);
        TranscriptionEvent s = TranscriptionEventMapper.map(
                json("{\"chunk_id\":\"c\",\"text\":\"x\",\"start_time\":\"1.5\",\"end_time\":\" 2 \"}"), "t");
        assertThat(s.startTime()).isEqualTo(1.5);
        assertThat(s.endTime()).isEqualTo(2.0);
        TranscriptionEvent missing = TranscriptionEventMapper.map(json("{\"chunk_id\":\"c\",\"text\":\"x\",\"start_time\":null}"), "t");
        assertThat(missing.startTime()).isNull();
        assertThat(missing.endTime()).isNull();
        assertThat(missing.speakerName()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"abc\"", "\"NaN\"", "\"Infinity\"", "true", "[1]", "{}", "\"\"" })
    void nonNumericTimesAreRefused(String value) throws Exception {
        JsonNode arg = json("{\"chunk_id\":\"c\",\"text\":\"x\",\"start_time\":" + value + "}");
        assertThatThrownBy(() -> TranscriptionEventMapper.map(arg, "t")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("start_time").hasMessageContaining("not a number");
    }

    @Test
    void nonFiniteNumericTimesAreRefused() throws Exception {
        // 1e400 parses to an infinite double; it must be refused like the string "Infinity"
        JsonNode arg = json("{\"chunk_id\":\"c\",\"text\":\"x\",\"end_time\":1e400}");
        assertThatThrownBy(() -> TranscriptionEventMapper.map(arg, "t")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("end_time");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        assertThat(TranscriptionEventMapper.map(json(FLAT.replace("}", ",\"confidence\":0.9,\"words\":[{\"w\":1}]}")), "f"))
                .isEqualTo(EXPECTED);
    }

    @Test
    void numericChunkId() throws Exception {
        assertThat(TranscriptionEventMapper.map(json("{\"chunk_id\":42,\"text\":\"x\"}"), "t").chunkId()).isEqualTo("42");
    }

    @Test
    void fallbackTranscriptId() throws Exception {
        assertThat(TranscriptionEventMapper.map(json("{\"chunk_id\":\"c\",\"text\":\"x\"}"), "sub").transcriptId()).isEqualTo("sub");
        assertThat(TranscriptionEventMapper.map(json("{\"chunk_id\":\"c\",\"text\":\"x\",\"transcript_id\":null}"), "sub")
                .transcriptId()).isEqualTo("sub");
        assertThat(TranscriptionEventMapper.map(json(FLAT), "sub").transcriptId()).isEqualTo("t1");
    }

    @Test
    void missingOrBadRequiredFieldsAreClear() throws Exception {
        assertThatThrownBy(() -> TranscriptionEventMapper.map(json("{\"text\":\"x\",\"foo\":1}"), "t"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("chunk_id").hasMessageContaining("text,foo");
        assertThatThrownBy(() -> TranscriptionEventMapper.map(json("{\"chunk_id\":\"c9\"}"), "t"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("c9").hasMessageContaining("no text");
        assertThatThrownBy(() -> TranscriptionEventMapper.map(json("{\"chunk_id\":\"c9\",\"text\":null}"), "t"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("no text");
        assertThatThrownBy(() -> TranscriptionEventMapper.map(json("{\"chunk_id\":\"c9\",\"text\":5}"), "t"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not a string");
        assertThatThrownBy(() -> TranscriptionEventMapper.map(json("{\"chunk_id\":true,\"text\":\"x\"}"), "t"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("chunk_id");
        assertThatThrownBy(() -> TranscriptionEventMapper.map(json("[1,2]"), "t"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not a JSON object").hasMessageContaining("ARRAY");
        assertThatThrownBy(() -> TranscriptionEventMapper.map(json("\"text\""), "t"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> TranscriptionEventMapper.map(null, "t"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("without a payload");
        assertThatThrownBy(() -> TranscriptionEventMapper.map(NullNode.getInstance(), "t"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("without a payload");
        assertThatThrownBy(() -> TranscriptionEventMapper.map(json("{\"payload\":{\"text\":\"x\"}}"), "t"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("chunk_id");
    }

    @Test
    void toJsonUsesSnakeCaseInTheDocumentedOrder() throws Exception {
        assertThat(EXPECTED.toJson()).isEqualTo(
                "{\"transcript_id\":\"t1\",\"chunk_id\":\"c1\",\"text\":\"Hello\",\"speaker_name\":\"Ann\",\"start_time\":0.0,"
                                                 + "\"end_time\":1.39}");
        TranscriptionEvent sparse = new TranscriptionEvent(null, "c", "x", null, null, null);
        assertThat(sparse.toJson()).isEqualTo(
                "{\"transcript_id\":null,\"chunk_id\":\"c\",\"text\":\"x\",\"speaker_name\":null,\"start_time\":null,\"end_time\":null}");
    }

    @Test
    void fromJsonOfToJsonIsIdentity() throws Exception {
        for (TranscriptionEvent e : new TranscriptionEvent[] {
                EXPECTED,
                new TranscriptionEvent(null, "c", "", null, null, null),
                new TranscriptionEvent("t", "c", "👋 שלום \"q\" \n", "Zoë", -0.0, 1e9),
                new TranscriptionEvent("t", "c", "x", "s", Double.MIN_VALUE, Double.MAX_VALUE) }) {
            assertThat(TranscriptionEventMapper.fromJson(e.toJson())).isEqualTo(e);
        }
    }

    @Test
    void fromJsonRefusesNonJson() {
        assertThatThrownBy(() -> TranscriptionEventMapper.fromJson("{nope")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("Not JSON");
    }

    @Test
    void requiredComponents() {
        assertThatThrownBy(() -> new TranscriptionEvent("t", null, "x", null, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TranscriptionEvent("t", "c", null, null, null, null)).isInstanceOf(NullPointerException.class);
    }
}
