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

import java.util.Objects;
import java.util.Set;

import io.github.camelfireflies.api.WebhookEvent;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meetings' webhook target: hands each delivery to the discovery consumer, and answers on receipt.
 * {@code meeting.bot_joined} follows the meeting, {@code meeting.transcribed} ends it; both only enqueue the work, so
 * the answer (200) never waits for a cluster view or a socket. The live exchanges come from the meeting's stream, not
 * from the HTTP exchange. A webhook event that the endpoint's {@code events} option names is also routed, as
 * {@link WebhookRouting} does (then the answer follows that route). While the consumer is not running, or suspended,
 * the answer is 503, so that the sender may try again.
 * <p>
 * With {@code fireflies:meetings?webhookPath=...} the consumer is the route's and starts this target's REST consumer
 * itself. Only behind the deprecated {@code webhook:fireflies:meetings} does this target own the consumer: it starts and
 * stops it with the webhook handler (and so with camel-webhook's REST consumer, the route's consumer there).
 */
public final class MeetingsTarget extends ServiceSupport implements WebhookHandler.Target {

    private static final Logger LOG = LoggerFactory.getLogger(MeetingsTarget.class);

    private final MeetingsConsumer consumer;
    private final WebhookRouting routing;
    private final Set<String> routed;
    private final boolean owner;

    /**
     * @param consumer the discovery consumer
     * @param routing  routes the webhook events named in {@code routed}; null when none is
     * @param routed   the webhook events routed as exchanges besides their effect on the meetings
     * @param owner    whether this target starts and stops the consumer ({@code webhook:fireflies:meetings} only)
     */
    public MeetingsTarget(MeetingsConsumer consumer, WebhookRouting routing, Set<String> routed, boolean owner) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.routing = routing;
        this.routed = routing == null ? Set.of() : Set.copyOf(routed);
        this.owner = owner;
    }

    public MeetingsConsumer consumer() {
        return consumer;
    }

    @Override
    protected void doStart() throws Exception {
        if (owner) {
            ServiceHelper.startService(consumer);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (owner) {
            ServiceHelper.stopService(consumer);
        }
    }

    /**
     * A repeat of a delivery: with a shared idempotent repository, also the copy a fan-out sent to this instance after
     * another one took it. It is not routed again, but it tells this instance of the meeting, so that it can take the
     * meeting over if its owner dies ({@link MeetingsConsumer#heardAgain}).
     */
    @Override
    public void duplicate(WebhookEvent event) {
        String id = event.transcriptId();
        if (id == null) {
            return;
        }
        if (WebhookEvent.MEETING_BOT_JOINED.equals(event.event())) {
            consumer.heardAgain(id, false);
        } else if (WebhookEvent.MEETING_TRANSCRIBED.equals(event.event())) {
            consumer.heardAgain(id, true);
        }
    }

    @Override
    public boolean deliver(Exchange exchange, WebhookEvent event, Runnable forget, AsyncCallback callback) {
        String id = event.transcriptId();
        String answer;
        boolean accepted;
        switch (event.event()) {
            case WebhookEvent.MEETING_BOT_JOINED:
                accepted = consumer.follow(id);
                answer = "Following meeting " + id;
                break;
            case WebhookEvent.MEETING_TRANSCRIBED:
                accepted = consumer.ended(id);
                answer = "Meeting " + id + " is over";
                break;
            default:
                accepted = consumer.isRunAllowed() && !consumer.isSuspendingOrSuspended();
                answer = "OK";
        }
        if (!accepted) {
            forget.run();
            LOG.debug("{} for transcript {} while the meetings consumer is not running: answered 503", event.event(),
                    id);
            return WebhookHandler.answer(exchange, 503, "Not running", callback);
        }
        if (routed.contains(event.event())) {
            return routing.deliver(exchange, event, forget, callback);
        }
        return WebhookHandler.answer(exchange, 200, answer, callback);
    }
}
