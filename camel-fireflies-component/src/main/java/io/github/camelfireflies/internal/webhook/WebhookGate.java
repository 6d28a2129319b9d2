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
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The decision about one delivery whose body was read within its limit, in the order that keeps it safe: the
 * signature over the raw bytes first (nothing is parsed before it holds), then the JSON, then the event name, then
 * duplicates. It only decides; the caller routes and answers. Thread-safe when its parts are.
 * <ol>
 * <li>A secret is configured and the signature is missing or wrong: {@link Outcome#UNAUTHORIZED} (401).</li>
 * <li>The body is no webhook event: {@link Outcome#INVALID} (400), with a reason fit for the client.</li>
 * <li>The event is not among those to route (an event Fireflies added, say): {@link Outcome#IGNORED} (200).</li>
 * <li>The same bytes were routed within the duplicate window: {@link Outcome#DUPLICATE} (200).</li>
 * <li>Otherwise {@link Outcome#ROUTE}: the caller routes the event, and answers 200 when that went well.</li>
 * </ol>
 * A body over the limit never gets here: {@link BodyLimit} refuses it while reading (413).
 */
public final class WebhookGate {

    /** What to do with a delivery, and the HTTP status that says it. */
    public enum Outcome {
        ROUTE(200),
        UNAUTHORIZED(401),
        INVALID(400),
        IGNORED(200),
        DUPLICATE(200);

        private final int status;

        Outcome(int status) {
            this.status = status;
        }

        /** The HTTP status to answer (for {@link #ROUTE}: the one to answer when routing went well). */
        public int status() {
            return status;
        }
    }

    /**
     * @param outcome what to do
     * @param event   the parsed event; null for {@link Outcome#UNAUTHORIZED} and {@link Outcome#INVALID}
     * @param reason  a short reason fit for the HTTP answer and a log line (no secret, bounded)
     */
    public record Verdict(Outcome outcome, WebhookEvent event, String reason) {

        public Verdict {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(reason, "reason");
        }

        public int status() {
            return outcome.status();
        }
    }

    private final WebhookSignature signature;
    private final Set<String> events;
    private final Predicate<byte[]> firstDelivery;

    /**
     * @param signature     the verifier of the configured secret, or null when unsigned deliveries are allowed (the
     *                      caller made sure the user asked for that)
     * @param events        the event names to route; empty routes every event
     * @param firstDelivery true when a body was not seen before (and remembers it), e.g. {@link DuplicateFilter#firstSeen};
     *                      null to route repeats too
     */
    public WebhookGate(WebhookSignature signature, Set<String> events, Predicate<byte[]> firstDelivery) {
        this.signature = signature;
        this.events = Set.copyOf(Objects.requireNonNull(events, "events"));
        this.firstDelivery = firstDelivery;
    }

    /**
     * @param body            the raw body, read within its limit
     * @param signatureHeader the value of {@value WebhookSignature#HEADER}, or null when there is none
     */
    public Verdict check(byte[] body, String signatureHeader) {
        if (signature != null && !signature.isValid(body, signatureHeader)) {
            return new Verdict(Outcome.UNAUTHORIZED, null,
                    signatureHeader == null || signatureHeader.isBlank() ? "Missing signature" : "Invalid signature");
        }
        WebhookEvent event;
        try {
            event = WebhookEventParser.parse(body);
        } catch (InvalidWebhookException e) {
            return new Verdict(Outcome.INVALID, null, e.getMessage());
        }
        if (!events.isEmpty() && !events.contains(event.event())) {
            return new Verdict(Outcome.IGNORED, event,
                    InvalidWebhookException.safe("Event not routed: " + event.event()));
        }
        if (firstDelivery != null && !firstDelivery.test(body)) {
            return new Verdict(Outcome.DUPLICATE, event, "Duplicate delivery");
        }
        return new Verdict(Outcome.ROUTE, event, "OK");
    }

    @Override
    public String toString() {
        return "WebhookGate[signed=" + (signature != null) + ", events=" + events + ", deduplicated="
               + (firstDelivery != null) + "]";
    }
}
