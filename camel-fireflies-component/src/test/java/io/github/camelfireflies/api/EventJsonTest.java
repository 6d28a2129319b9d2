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
package io.github.camelfireflies.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TranscriptionEvent#toJson()} is written by hand ({@link EventJson}); it must stay the text Jackson writes for
 * the record, character for character, for any event.
 */
class EventJsonTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void theDocumentedEventIsWrittenWithItsNamesInOrder() throws Exception {
        TranscriptionEvent e = new TranscriptionEvent("t1", "c7", "Hello \"you\" \u00e9\n", null, 0.0, 1.39);
        assertThat(e.toJson()).isEqualTo("{\"transcript_id\":\"t1\",\"chunk_id\":\"c7\",\"text\":\"Hello \\\"you\\\" \u00e9\\n\","
                                         + "\"speaker_name\":null,\"start_time\":0.0,\"end_time\":1.39}")
                .isEqualTo(JACKSON.writeValueAsString(e));
    }

    @Test
    void timesThatAreNotFiniteAreWrittenAsJacksonDoes() throws Exception {
        TranscriptionEvent e = new TranscriptionEvent("t1", "c7", "x", "A", Double.NaN, Double.POSITIVE_INFINITY);
        assertThat(e.toJson()).isEqualTo(JACKSON.writeValueAsString(e)).contains("\"NaN\"");
    }

    @Property(tries = 5000)
    void handWrittenJsonEqualsJacksons(@ForAll("events") TranscriptionEvent e) throws Exception {
        assertThat(e.toJson()).isEqualTo(JACKSON.writeValueAsString(e));
    }

    @Provide
    Arbitrary<TranscriptionEvent> events() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40), // any char: controls, quotes, backslashes, surrogates
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80),
                Arbitraries.strings().withChars('"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '\ud83d', 'a')
                        .ofMaxLength(20));
        Arbitrary<Double> time = Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.of(0.0, -0.0, 1e-7, 1e7, 1.0E22, 12345.0, 0.1, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
                        Double.NEGATIVE_INFINITY));
        return Combinators.combine(text.injectNull(0.1), text, text, text.injectNull(0.3), time.injectNull(0.2),
                time.injectNull(0.2)).as(TranscriptionEvent::new);
    }
}
