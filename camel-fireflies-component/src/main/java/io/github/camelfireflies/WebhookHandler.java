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
package io.github.camelfireflies;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import io.github.camelfireflies.internal.webhook.BodyLimit;
import io.github.camelfireflies.internal.webhook.BodyTooLargeException;
import io.github.camelfireflies.api.WebhookEvent;
import io.github.camelfireflies.internal.webhook.WebhookGate;
import io.github.camelfireflies.internal.webhook.WebhookSignature;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code from("webhook:fireflies:events?...")} and {@code from("fireflies:meetings?webhookPath=...")} (or the deprecated
 * {@code webhook:fireflies:meetings}): the processor behind the REST consumer. For each POST, in this order: the body is read within its limit
 * (413), the signature is checked over the raw bytes (401), the body is parsed (400), events not asked for and exact
 * repeats are answered 200 and not routed; the rest goes to the endpoint's {@link Target}, which answers:
 * {@link WebhookRouting} routes one exchange on the HTTP exchange itself (200 when the route succeeded, 500 when it
 * failed, with a fixed text: the error stays in the log); {@link MeetingsTarget} hands the meeting to the discovery
 * consumer and answers on receipt.
 * <p>
 * An answer that follows the route waits for it: Fireflies expects it within 10 s, so a slow route should hand its work
 * off (e.g. {@code to("seda:...")}).
 */
public final class WebhookHandler extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);

    /** What has been delivered already: the duplicate filter, or an idempotent repository. */
    public interface Deliveries {

        /** True when these bytes were not delivered before; remembers them. */
        boolean firstSeen(byte[] body);

        /** Forgets a delivery whose routing failed, so that a retry is routed. */
        void forget(byte[] body);
    }

    /** What a verified delivery, seen for the first time, becomes. */
    public interface Target {

        /**
         * Handles one delivery and answers it ({@link WebhookHandler#answer}) before calling {@code callback}, as an
         * {@link org.apache.camel.AsyncProcessor} does.
         *
         * @param  forget forgets the delivery in the duplicate check (its routing failed), so that a retry is taken
         * @return        true when done before returning
         */
        boolean deliver(Exchange exchange, WebhookEvent event, Runnable forget, AsyncCallback callback);

        /**
         * A verified delivery the duplicate check refused (answered 200 and not routed): by default nothing. Must not
         * block.
         */
        default void duplicate(WebhookEvent event) {
        }
    }

    private final Target target;
    private final WebhookGate gate;
    private final BodyLimit limit;
    private final Deliveries deliveries;
    private final String name;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /**
     * Routes each delivery ({@code webhook:fireflies:events} without {@code fetchTranscript}).
     *
     * @param next       the route
     * @param gate       what is routed (its duplicate check must be {@code deliveries})
     * @param limit      the largest body accepted
     * @param deliveries the duplicate check, to forget failed deliveries; null when repeats are routed
     * @param name       how logs name the endpoint (no secret)
     */
    public WebhookHandler(org.apache.camel.Processor next, WebhookGate gate, BodyLimit limit, Deliveries deliveries,
                          String name) {
        this(gate, limit, deliveries, name, new WebhookRouting(next, null, null, null, name));
    }

    /**
     * @param gate       what reaches the target (its duplicate check must be {@code deliveries})
     * @param limit      the largest body accepted
     * @param deliveries the duplicate check, to forget failed deliveries; null when repeats are taken
     * @param name       how logs name the endpoint (no secret)
     * @param target     what a delivery becomes; started and stopped with this handler when it is a Service
     */
    public WebhookHandler(WebhookGate gate, BodyLimit limit, Deliveries deliveries, String name, Target target) {
        this.gate = Objects.requireNonNull(gate, "gate");
        this.limit = Objects.requireNonNull(limit, "limit");
        this.deliveries = deliveries;
        this.name = name;
        this.target = Objects.requireNonNull(target, "target");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ServiceHelper.startService(target);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(target);
        super.doStop();
    }

    public Target target() {
        return target;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        received.incrementAndGet();
        Message in = exchange.getMessage();
        byte[] body;
        try {
            body = readBody(in);
        } catch (BodyTooLargeException e) {
            return refuse(exchange, 413, "Payload too large: the limit is " + limit.limit() + " bytes", callback);
        } catch (UnsupportedBody e) {
            return refuse(exchange, 415, e.getMessage(), callback);
        } catch (IOException e) {
            return refuse(exchange, 400, "Cannot read the body: " + e.getMessage(), callback);
        }
        WebhookGate.Verdict verdict = gate.check(body, in.getHeader(WebhookSignature.HEADER, String.class));
        switch (verdict.outcome()) {
            case ROUTE:
                break;
            case DUPLICATE:
                try {
                    target.duplicate(verdict.event());
                } catch (RuntimeException e) {
                    LOG.debug("{}: a duplicate {} for transcript {} was not taken note of: {}", name,
                            verdict.event().event(), verdict.event().transcriptId(), e.toString());
                }
                LOG.debug("{}: {} ({} for transcript {}), answered 200", name, verdict.reason(),
                        verdict.event().event(), verdict.event().transcriptId());
                return answer(exchange, 200, verdict.reason(), callback);
            case IGNORED:
                LOG.debug("{}: {} ({} for transcript {}), answered 200", name, verdict.reason(),
                        verdict.event().event(), verdict.event().transcriptId());
                return answer(exchange, 200, verdict.reason(), callback);
            default:
                return refuse(exchange, verdict.status(), verdict.reason(), callback);
        }
        routed.incrementAndGet();
        Runnable forget = deliveries == null ? () -> {
        } : () -> deliveries.forget(body); // Fireflies may send it again
        try {
            return target.deliver(exchange, verdict.event(), forget, callback);
        } catch (RuntimeException e) {
            forget.run();
            LOG.warn("{}: handling {} for transcript {} failed; answered 500", name, verdict.event().event(),
                    verdict.event().transcriptId(), e);
            return answer(exchange, 500, "Processing failed", callback);
        }
    }

    /** The raw body within the limit; the REST consumer may hand it over as bytes, a buffer or a stream. */
    private byte[] readBody(Message in) throws IOException {
        long declared = BodyLimit.parseContentLength(in.getHeader(Exchange.CONTENT_LENGTH, String.class));
        limit.checkDeclared(declared);
        Object raw = in.getBody();
        if (raw == null) {
            return new byte[0];
        }
        if (raw instanceof Map<?, ?>) {
            // a form content type: the consumer parsed it, the bytes the signature covers are gone
            throw new UnsupportedBody("The webhook takes application/json");
        }
        if (raw instanceof InputStream stream) {
            return limit.read(stream, declared);
        }
        byte[] bytes = in.getBody(byte[].class);
        if (bytes == null) {
            throw new UnsupportedBody("The webhook takes application/json");
        }
        if (bytes.length > limit.limit()) {
            throw new BodyTooLargeException(limit.limit(), bytes.length);
        }
        return bytes;
    }

    private boolean refuse(Exchange exchange, int status, String reason, AsyncCallback callback) {
        refused.incrementAndGet();
        LOG.debug("{}: answered {}: {}", name, status, reason);
        return answer(exchange, status, reason, callback);
    }

    /** Answers the delivery: no request header echoes back, a status always (an empty body would be a 204). */
    static boolean answer(Exchange exchange, int status, String text, AsyncCallback callback) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        out.setBody(text);
        if (callback != null) {
            callback.done(true);
        }
        return true;
    }

    /** Deliveries received, handed to the target, and refused (401, 400, 413, 415). */
    public long received() {
        return received.get();
    }

    public long routed() {
        return routed.get();
    }

    public long refused() {
        return refused.get();
    }

    private static final class UnsupportedBody extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedBody(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "WebhookHandler[" + name + ", " + gate + "]";
    }
}
