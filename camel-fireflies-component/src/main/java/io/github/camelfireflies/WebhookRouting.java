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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.internal.graphql.TranscriptFetcher;
import io.github.camelfireflies.api.WebhookEvent;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a verified delivery as one exchange, on the HTTP exchange itself, and answers it after the route: 200 when the
 * route succeeded, 500 (with a fixed text; the error stays in the log, and the delivery is forgotten by the duplicate
 * check so that a retry is routed) when it failed.
 * <p>
 * The body is the {@link WebhookEvent}, with the headers {@code CamelFirefliesEvent}, {@code CamelFirefliesTranscriptId}
 * and {@code CamelFirefliesWebhookVersion} (and the meeting's title and organizer when the meetings consumer knows them).
 * With a {@link TranscriptFetcher} ({@code fetchTranscript=true}), a {@code meeting.transcribed} first waits (bounded)
 * for the finished transcript: the body becomes the {@link io.github.camelfireflies.api.Transcript} and the
 * webhook event moves to the {@code CamelFirefliesWebhookEvent} header; when there is no transcript (rate limited, not
 * found, failed, too slow) the body stays the webhook event and {@code CamelFirefliesTranscriptError} says why
 * ({@code CamelFirefliesRetryAfter}: how long the API refuses calls, when rate limited). Either way the exchange is
 * routed: the delivery is not lost.
 */
public final class WebhookRouting implements WebhookHandler.Target {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRouting.class);

    private final AsyncProcessor next;
    private final TranscriptFetcher fetcher;
    private final Executor routingPool;
    private final Function<String, ActiveMeeting> meetings;
    private final String name;

    /**
     * @param next        the route
     * @param fetcher     fetches the transcript of {@code meeting.transcribed}; null: no fetch
     * @param routingPool where the route runs once a fetch completed (never the fetch's or the timer's thread); needed
     *                    with a fetcher
     * @param meetings    what the meetings consumer knows of a meeting (its headers); null for none
     * @param name        how logs name the endpoint (no secret)
     */
    public WebhookRouting(Processor next, TranscriptFetcher fetcher, Executor routingPool,
                          Function<String, ActiveMeeting> meetings, String name) {
        this.next = AsyncProcessorConverterHelper.convert(Objects.requireNonNull(next, "next"));
        this.fetcher = fetcher;
        this.routingPool = routingPool;
        this.meetings = meetings;
        this.name = name;
        if (fetcher != null) {
            Objects.requireNonNull(routingPool, "routingPool");
        }
    }

    @Override
    public boolean deliver(Exchange exchange, WebhookEvent event, Runnable forget, AsyncCallback callback) {
        Message in = exchange.getMessage();
        in.removeHeaders("*");
        in.setBody(event);
        in.setHeader(FirefliesConstants.EVENT, event.event());
        in.setHeader(FirefliesConstants.TRANSCRIPT_ID, event.transcriptId());
        in.setHeader(FirefliesConstants.WEBHOOK_VERSION, event.version());
        ActiveMeeting meeting = meetings == null ? null : meetings.apply(event.transcriptId());
        if (meeting != null) {
            if (meeting.title() != null) {
                in.setHeader(FirefliesConstants.MEETING_TITLE, meeting.title());
            }
            if (meeting.organizerEmail() != null) {
                in.setHeader(FirefliesConstants.ORGANIZER_EMAIL, meeting.organizerEmail());
            }
        }
        if (fetcher == null || !WebhookEvent.MEETING_TRANSCRIBED.equals(event.event())) {
            return route(exchange, event, forget, callback);
        }
        in.setHeader(FirefliesConstants.WEBHOOK_EVENT, event);
        fetcher.fetch(event.transcriptId()).whenComplete((result, error) -> {
            if (result != null && result.ok()) {
                in.setBody(result.transcript());
            } else {
                String why = result != null ? result.error() : String.valueOf(error);
                in.setHeader(FirefliesConstants.TRANSCRIPT_ERROR, why);
                if (result != null && result.retryAfter() != null) {
                    in.setHeader(FirefliesConstants.RETRY_AFTER, result.retryAfter().toMillis());
                }
                LOG.warn("{}: no transcript for {} of {}: {}; routed with the webhook event as the body", name,
                        event.event(), event.transcriptId(), why);
            }
            try {
                // the answer was promised asynchronously: whatever the route does, the callback says so once
                routingPool.execute(() -> route(exchange, event, forget, doneSync -> callback.done(false)));
            } catch (RejectedExecutionException e) {
                forget.run();
                WebhookHandler.answer(exchange, 503, "Stopping", null);
                callback.done(false);
            }
        });
        return false;
    }

    /** Routes the exchange and answers it after the route; the contract of {@link AsyncProcessor#process}. */
    private boolean route(Exchange exchange, WebhookEvent event, Runnable forget, AsyncCallback callback) {
        return next.process(exchange, doneSync -> {
            Exception failure = exchange.getException();
            if (failure != null) {
                forget.run();
                LOG.warn("{}: the route failed on {} for transcript {}; answered 500 so that it may be sent again",
                        name, event.event(), event.transcriptId(), failure);
                exchange.setException(null);
                WebhookHandler.answer(exchange, 500, "Processing failed", null);
            } else {
                WebhookHandler.answer(exchange, 200, "OK", null);
            }
            callback.done(doneSync);
        });
    }
}
