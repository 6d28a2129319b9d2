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
package io.github.camelfireflies.internal.webhook;

import io.github.camelfireflies.api.WebhookEvent;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookEventParserTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static WebhookEvent parse(String s) throws InvalidWebhookException {
        return WebhookEventParser.parse(utf8(s));
    }

    @Test
    void v2() throws Exception {
        WebhookEvent e = WebhookEventParser.parse(WebhookSignatureTest.V2_BODY);
        assertThat(e).isEqualTo(new WebhookEvent("meeting.transcribed", 1731000000000L, "01JCX8T1RZ6W3V9GQK5YB2N4PA",
                "crm-42", 2));
        assertThat(e.isKnownEvent()).isTrue();
    }

    @Test
    void v2KnownEventsAndOptionalFields() throws Exception {
        for (String name : new String[] { WebhookEvent.MEETING_BOT_JOINED, WebhookEvent.MEETING_TRANSCRIBED,
                WebhookEvent.MEETING_SUMMARIZED }) {
            WebhookEvent e = parse("{\"event\":\"" + name + "\",\"meeting_id\":\"m1\"}");
            assertThat(e).isEqualTo(new WebhookEvent(name, null, "m1", null, 2));
            assertThat(e.isKnownEvent()).isTrue();
        }
        assertThat(parse("{\"event\":\"meeting.bot_joined\",\"meeting_id\":\"m1\",\"timestamp\":null,"
                         + "\"client_reference_id\":null,\"extra\":{\"a\":[1,2]}}"))
                .isEqualTo(new WebhookEvent("meeting.bot_joined", null, "m1", null, 2));
    }

    @Test
    void unknownV2EventParses() throws Exception {
        WebhookEvent e = parse("{\"event\":\"meeting.exploded\",\"meeting_id\":\"m1\",\"timestamp\":5}");
        assertThat(e).isEqualTo(new WebhookEvent("meeting.exploded", 5L, "m1", null, 2));
        assertThat(e.isKnownEvent()).isFalse();
    }

    @Test
    void v1MapsToTranscribed() throws Exception {
        WebhookEvent e = WebhookEventParser.parse(WebhookSignatureTest.V1_BODY);
        assertThat(e).isEqualTo(new WebhookEvent("meeting.transcribed", null, "01JCX8T1RZ6W3V9GQK5YB2N4PA", "crm-42", 1));
        assertThat(e.version()).isEqualTo(1);
        assertThat(parse("{\"meetingId\":\"m1\",\"eventType\":\" transcription COMPLETED \"}"))
                .isEqualTo(new WebhookEvent("meeting.transcribed", null, "m1", null, 1));
    }

    @Test
    void v1OtherEventTypeIsKeptAsUnknown() throws Exception {
        WebhookEvent e = parse("{\"meetingId\":\"m1\",\"eventType\":\"Summary completed\"}");
        assertThat(e).isEqualTo(new WebhookEvent("Summary completed", null, "m1", null, 1));
        assertThat(e.isKnownEvent()).isFalse();
    }

    @Test
    void v1BadInputs() {
        assertThatThrownBy(() -> parse("{\"meetingId\":\"m1\"}")).isInstanceOf(InvalidWebhookException.class)
                .hasMessage("Webhook body has no eventType");
        assertThatThrownBy(() -> parse("{\"eventType\":\"Transcription completed\"}"))
                .isInstanceOf(InvalidWebhookException.class).hasMessage("Webhook body has no meetingId");
        assertThatThrownBy(() -> parse("{\"eventType\":\"Transcription completed\",\"meetingId\":42}"))
                .isInstanceOf(InvalidWebhookException.class).hasMessage("Webhook field meetingId is not a string but NUMBER");
    }

    @Test
    void timestampIsLenient() throws Exception {
        String head = "{\"event\":\"meeting.transcribed\",\"meeting_id\":\"m1\",\"timestamp\":";
        assertThat(parse(head + "1731000000000}").timestamp()).isEqualTo(1731000000000L);
        assertThat(parse(head + "\"1731000000000\"}").timestamp()).isEqualTo(1731000000000L);
        assertThat(parse(head + "\" 1731000000000 \"}").timestamp()).isEqualTo(1731000000000L);
        assertThat(parse(head + "1731000000000.0}").timestamp()).isEqualTo(1731000000000L);
        assertThat(parse(head + "\"1731000000000.9\"}").timestamp()).isEqualTo(1731000000000L);
        assertThat(parse(head + "\"2024-11-07T17:20:00Z\"}").timestamp()).isEqualTo(1731000000000L);
        // unusable timestamps are dropped, not fatal: the event still matters
        for (String bad : new String[] { "\"yesterday\"", "\"\"", "true", "[1]", "{}", "1e400", "1e30",
                "99999999999999999999999", "\"1e999999999\"", "\"99999999999999999999\"", "\"NaN\"" }) {
            assertThat(parse(head + bad + "}").timestamp()).as(bad).isNull();
        }
    }

    @Test
    void clientReferenceIdMayBeANumber() throws Exception {
        assertThat(parse("{\"event\":\"meeting.transcribed\",\"meeting_id\":\"m1\",\"client_reference_id\":42}")
                .clientReferenceId()).isEqualTo("42");
        assertThat(parse("{\"event\":\"meeting.transcribed\",\"meeting_id\":\"m1\",\"client_reference_id\":[\"x\"]}")
                .clientReferenceId()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "   ", "not json", "{\"event\":", "{'event':'x'}", "\u00ff\u00fe" })
    void notJson(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(InvalidWebhookException.class)
                .hasMessageStartingWith("Webhook body is ");
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "[{\"event\":\"meeting.transcribed\",\"meeting_id\":\"m1\"}]", "\"meeting.transcribed\"",
            "42", "null", "true" })
    void notAnObject(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(InvalidWebhookException.class)
                .hasMessageStartingWith("Webhook body is not a JSON object but ");
    }

    @Test
    void missingFields() {
        assertThatThrownBy(() -> parse("{}")).isInstanceOf(InvalidWebhookException.class)
                .hasMessage("Webhook body has no event (fields: )");
        assertThatThrownBy(() -> parse("{\"meeting_id\":\"m1\",\"timestamp\":1}"))
                .isInstanceOf(InvalidWebhookException.class).hasMessage("Webhook body has no event (fields: meeting_id,timestamp)");
        assertThatThrownBy(() -> parse("{\"event\":\"meeting.transcribed\"}")).isInstanceOf(InvalidWebhookException.class)
                .hasMessage("Webhook body has no meeting_id");
        assertThatThrownBy(() -> parse("{\"event\":\"meeting.transcribed\",\"meeting_id\":null}"))
                .isInstanceOf(InvalidWebhookException.class).hasMessage("Webhook body has no meeting_id");
        assertThatThrownBy(() -> parse("{\"event\":null,\"meeting_id\":\"m1\"}")).isInstanceOf(InvalidWebhookException.class)
                .hasMessageStartingWith("Webhook body has no event");
    }

    @Test
    void meetingIdIsStrict() {
        String head = "{\"event\":\"meeting.transcribed\",\"meeting_id\":";
        assertThatThrownBy(() -> parse(head + "42}")).hasMessage("Webhook field meeting_id is not a string but NUMBER");
        assertThatThrownBy(() -> parse(head + "{\"id\":\"m1\"}}")).hasMessage("Webhook field meeting_id is not a string but OBJECT");
        assertThatThrownBy(() -> parse(head + "\"\"}")).hasMessage("Webhook field meeting_id is blank");
        assertThatThrownBy(() -> parse(head + "\"  \"}")).hasMessage("Webhook field meeting_id is blank");
        assertThatThrownBy(() -> parse(head + "\"m1\\nFAKE LOG LINE\"}"))
                .hasMessage("Webhook field meeting_id holds a control character");
        assertThatThrownBy(() -> parse(head + "\"" + "m".repeat(257) + "\"}"))
                .hasMessage("Webhook field meeting_id is longer than 256 characters");
        assertThatThrownBy(() -> parse("{\"event\":7,\"meeting_id\":\"m1\"}"))
                .hasMessage("Webhook field event is not a string but NUMBER");
    }

    @Test
    void oneObjectOnlyAndNoAmbiguity() {
        assertThatThrownBy(() -> parse("{\"event\":\"meeting.transcribed\",\"meeting_id\":\"m1\"} {}"))
                .isInstanceOf(InvalidWebhookException.class).hasMessageStartingWith("Webhook body is not JSON");
        assertThatThrownBy(() -> parse("{\"event\":\"meeting.transcribed\",\"meeting_id\":\"m1\",\"meeting_id\":\"m2\"}"))
                .isInstanceOf(InvalidWebhookException.class).hasMessageContaining("Duplicate field 'meeting_id'");
    }

    @Test
    void messagesAreBoundedAndPrintable() {
        String manyFields = "{" + "\"f\u0007".repeat(1) + "\":1," + "\"" + "x".repeat(5000) + "\":2}";
        assertThatThrownBy(() -> parse(manyFields)).isInstanceOf(InvalidWebhookException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThanOrEqualTo(InvalidWebhookException.MAX_MESSAGE_LENGTH)
                        .doesNotContain("\u0007"));
        String longToken = "tru" + "e".repeat(10_000);
        assertThatThrownBy(() -> parse(longToken)).isInstanceOf(InvalidWebhookException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThanOrEqualTo(InvalidWebhookException.MAX_MESSAGE_LENGTH));
        assertThat(InvalidWebhookException.safe("a\r\nb")).isEqualTo("a??b");
        assertThat(InvalidWebhookException.safe("y".repeat(500))).hasSize(200).endsWith("...");
        assertThat(InvalidWebhookException.safe(null)).isEqualTo("Invalid webhook body");
    }

    @Test
    void deeplyNestedBodyIsRefusedNotOverflowing() {
        String deep = "{\"event\":\"meeting.transcribed\",\"meeting_id\":\"m1\",\"x\":" + "[".repeat(100_000)
                      + "]".repeat(100_000) + "}";
        assertThatThrownBy(() -> parse(deep)).isInstanceOf(InvalidWebhookException.class);
    }

    @Test
    void toJsonUsesTheV2NamesAndRoundTrips() throws Exception {
        WebhookEvent v1 = WebhookEventParser.parse(WebhookSignatureTest.V1_BODY);
        String json = v1.toJson();
        assertThat(json).isEqualTo("{\"event\":\"meeting.transcribed\",\"timestamp\":null,"
                                   + "\"meeting_id\":\"01JCX8T1RZ6W3V9GQK5YB2N4PA\",\"client_reference_id\":\"crm-42\"}");
        JsonNode tree = new ObjectMapper().readTree(json);
        assertThat(tree.has("version")).isFalse();
        assertThat(tree.has("transcriptId")).isFalse();
        WebhookEvent v2 = WebhookEventParser.parse(WebhookSignatureTest.V2_BODY);
        assertThat(v2.toJson()).isEqualTo(new String(WebhookSignatureTest.V2_BODY, StandardCharsets.UTF_8));
        assertThat(WebhookEventParser.parse(utf8(v2.toJson()))).isEqualTo(v2);
    }

    @Test
    void eventInvariants() {
        assertThatThrownBy(() -> new WebhookEvent(null, null, "m1", null, 2)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new WebhookEvent("e", null, null, null, 2)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new WebhookEvent("e", null, "m1", null, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
