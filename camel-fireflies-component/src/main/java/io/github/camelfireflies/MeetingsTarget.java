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
import org.apache.camel.CamelContext;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code webhook:fireflies:meetings}: hands each delivery to the discovery consumer it owns, and answers on receipt.
 * {@code meeting.bot_joined} follows the meeting, {@code meeting.transcribed} ends it; both only enqueue the work, so
 * the answer (200) never waits for a cluster view or a socket. The live exchanges come from the meeting's stream, not
 * from the HTTP exchange. A webhook event that the endpoint's {@code events} option names is also routed, as
 * {@link WebhookRouting} does (then the answer follows that route). While the consumer is not running the answer is
 * 503, so that the sender may try again.
 * <p>
 * Started and stopped with the webhook handler (and so with the route's REST consumer): it starts and stops the
 * consumer, naming it after the route.
 */
public final class MeetingsTarget extends ServiceSupport implements WebhookHandler.Target {

    private static final Logger LOG = LoggerFactory.getLogger(MeetingsTarget.class);

    private final MeetingsConsumer consumer;
    private final WebhookRouting routing;
    private final Set<String> routed;
    private final CamelContext context;
    private final Endpoint endpoint;

    /**
     * @param consumer the discovery consumer (not started)
     * @param routing  routes the webhook events named in {@code routed}; null when none is
     * @param routed   the webhook events routed as exchanges besides their effect on the meetings
     */
    public MeetingsTarget(MeetingsConsumer consumer, WebhookRouting routing, Set<String> routed) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.routing = routing;
        this.routed = routing == null ? Set.of() : Set.copyOf(routed);
        this.endpoint = consumer.getEndpoint();
        this.context = endpoint.getCamelContext();
    }

    public MeetingsConsumer consumer() {
        return consumer;
    }

    @Override
    protected void doStart() throws Exception {
        // the route's consumer is the REST consumer: take its route id and exception handler for the streams' exchanges
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof DelegateEndpoint d && d.getEndpoint() == endpoint) {
                consumer.setRouteId(route.getRouteId());
                if (route.getEndpoint() instanceof DefaultEndpoint e && e.getExceptionHandler() != null) {
                    consumer.setExceptionHandler(e.getExceptionHandler());
                }
                break;
            }
        }
        ServiceHelper.startService(consumer);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(consumer);
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
                accepted = true;
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
