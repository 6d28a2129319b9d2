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
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns the raw body of a webhook delivery into a {@link WebhookEvent}. Call it only on a body whose signature was
 * verified ({@link WebhookSignature}).
 * <ul>
 * <li>V2: {@code {"event":"meeting.transcribed","timestamp":1731000000000,"meeting_id":"...","client_reference_id":"..."}}.
 * {@code event} and {@code meeting_id} are required non-blank strings; event names this component does not know are
 * accepted (the caller decides whether to route them).</li>
 * <li>V1 (legacy): {@code {"meetingId":"...","eventType":"Transcription completed","clientReferenceId":"..."}}, told apart
 * by the absence of {@code event}. "Transcription completed" (any case) becomes {@value WebhookEvent#MEETING_TRANSCRIBED};
 * another {@code eventType} is kept as it came, so that the caller ignores it as unknown.</li>
 * </ul>
 * Strict where it matters: the body must be one JSON object (no trailing data, no duplicate field), the meeting id a
 * non-blank string without control characters and at most {@value #MAX_ID_LENGTH} characters. Lenient where it is safe:
 * unknown fields are ignored; the timestamp may be a JSON number, a numeric string or an ISO-8601 instant, and is null
 * when it is none of them; the client reference id may be a string or a number.
 */
public final class WebhookEventParser {

    /** The longest meeting id, event name or client reference id accepted. */
    public static final int MAX_ID_LENGTH = 256;

    /** V1's only event type. */
    public static final String V1_TRANSCRIPTION_COMPLETED = "Transcription completed";

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private WebhookEventParser() {
    }

    /**
     * @param  body                   the raw body, as received
     * @throws InvalidWebhookException when it is no webhook event; the message says why and may be sent to the client
     */
    public static WebhookEvent parse(byte[] body) throws InvalidWebhookException {
        if (body == null || body.length == 0) {
            throw new InvalidWebhookException("Webhook body is empty");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidWebhookException("Webhook body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidWebhookException("Webhook body is not JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidWebhookException("Webhook body is empty");
        }
        if (!root.isObject()) {
            throw new InvalidWebhookException("Webhook body is not a JSON object but " + root.getNodeType());
        }
        if (root.hasNonNull("event")) {
            return new WebhookEvent(
                    requiredText(root, "event"),
                    timestamp(root.get("timestamp")),
                    requiredText(root, "meeting_id"),
                    optionalText(root, "client_reference_id"),
                    2);
        }
        if (root.hasNonNull("eventType") || root.hasNonNull("meetingId")) {
            String type = requiredText(root, "eventType");
            return new WebhookEvent(
                    V1_TRANSCRIPTION_COMPLETED.equalsIgnoreCase(type.trim()) ? WebhookEvent.MEETING_TRANSCRIBED : type,
                    null,
                    requiredText(root, "meetingId"),
                    optionalText(root, "clientReferenceId"),
                    1);
        }
        throw new InvalidWebhookException("Webhook body has no event (fields: " + fieldNames(root) + ")");
    }

    private static String requiredText(JsonNode o, String field) throws InvalidWebhookException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw new InvalidWebhookException("Webhook body has no " + field);
        }
        if (!n.isTextual()) {
            throw new InvalidWebhookException("Webhook field " + field + " is not a string but " + n.getNodeType());
        }
        String s = n.textValue();
        if (s.isBlank()) {
            throw new InvalidWebhookException("Webhook field " + field + " is blank");
        }
        checkId(field, s);
        return s;
    }

    private static String optionalText(JsonNode o, String field) throws InvalidWebhookException {
        JsonNode n = o.get(field);
        if (n == null || n.isNull() || n.isContainerNode()) {
            return null;
        }
        String s = n.asText();
        checkId(field, s);
        return s;
    }

    private static void checkId(String field, String s) throws InvalidWebhookException {
        if (s.length() > MAX_ID_LENGTH) {
            throw new InvalidWebhookException("Webhook field " + field + " is longer than " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new InvalidWebhookException("Webhook field " + field + " holds a control character");
            }
        }
    }

    /** Epoch millis from a number, a numeric string or an ISO-8601 instant; null when absent or none of those. */
    static Long timestamp(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? n.longValue() : null;
        }
        if (n.isNumber()) {
            return millis(n.doubleValue());
        }
        if (n.isTextual()) {
            String s = n.textValue().trim();
            if (PLAIN_NUMBER.matcher(s).matches()) {
                // at most 19 digits before the point and no exponent: cheap to parse whatever it holds
                if (s.indexOf('.') < 0) {
                    try {
                        return Long.parseLong(s);
                    } catch (NumberFormatException e) {
                        return null; // beyond a long
                    }
                }
                return millis(Double.parseDouble(s));
            }
            if (s.length() <= 40) {
                try {
                    return Instant.parse(s).toEpochMilli();
                } catch (DateTimeParseException | ArithmeticException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?[0-9]{1,19}(\\.[0-9]{0,9})?");

    private static Long millis(double d) {
        // a double holds every epoch millisecond of the next 285,000 years exactly
        return Double.isFinite(d) && Math.abs(d) < 9.0e18 ? (long) d : null;
    }

    private static String fieldNames(JsonNode o) {
        StringBuilder sb = new StringBuilder();
        for (Iterator<String> it = o.fieldNames(); it.hasNext() && sb.length() <= 80;) {
            sb.append(sb.length() == 0 ? "" : ",").append(it.next());
        }
        return sb.length() <= 80 ? sb.toString() : sb.substring(0, 80) + "...";
    }
}
