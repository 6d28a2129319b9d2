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

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.Transcript;
import io.github.camelfireflies.internal.graphql.FirefliesGraphQLClient;
import io.github.camelfireflies.internal.graphql.TranscriptWatermark;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code from("fireflies:transcripts")}: every finished transcript of the key's account once, as a {@link Transcript}
 * with its sentences and summary, found by polling GraphQL {@code transcripts} (the polling alternative to the
 * {@code meeting.transcribed} webhook). Each poll lists the transcripts whose meeting date is at or after the
 * {@link TranscriptWatermark}'s {@code fromDate}, page by page ({@code skip}/{@code limit}, one call of the key's rate
 * budget per page), and emits, oldest first, each finished one the idempotent repository has not seen; it records a
 * transcript there once its exchange completed. A transcript whose exchange fails is not recorded and is kept in the
 * window: the next poll emits it again.
 */
@ManagedResource(description = "Managed Fireflies transcripts (finished meetings) consumer")
public class TranscriptsConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TranscriptsConsumer.class);

    /** The prefix of this consumer's keys in the idempotent repository. */
    static final String KEY_PREFIX = "fireflies-transcript:";
    /** Transcripts remembered when no idempotentRepository is given (in memory: repeats come back after a restart). */
    static final int MEMORY_REPOSITORY_SIZE = 10_000;

    private final Supplier<FirefliesGraphQLClient> clients;
    private final TranscriptsConfiguration options;
    private final IdempotentRepository configuredRepository;

    private volatile FirefliesGraphQLClient client;
    private volatile IdempotentRepository repository;
    private volatile TranscriptWatermark watermark;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong failedPolls = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong failedExchanges = new AtomicLong();
    private volatile String lastPollError;
    private volatile long lastFromDate;
    /** After a rate-limit answer or a spent budget: no poll before this System.nanoTime() (0: none). */
    private volatile long notBeforeNanos;

    TranscriptsConsumer(FirefliesEndpoint endpoint, Processor processor, Supplier<FirefliesGraphQLClient> clients,
                        TranscriptsConfiguration options, IdempotentRepository repository) {
        super(endpoint, processor);
        this.clients = Objects.requireNonNull(clients, "clients");
        this.options = options;
        this.configuredRepository = repository;
        // the schedule (delay, initialDelay, backoff...) is the endpoint's: PollSchedule sets it
    }

    @Override
    protected void doStart() throws Exception {
        client = clients.get();
        if (configuredRepository != null) {
            ServiceHelper.startService(configuredRepository); // as the other consumers: started here, stopped by its owner
            repository = configuredRepository;
        } else {
            IdempotentRepository own = MemoryIdempotentRepository.memoryIdempotentRepository(MEMORY_REPOSITORY_SIZE);
            ServiceHelper.startService(own);
            repository = own;
        }
        watermark = new TranscriptWatermark(System.currentTimeMillis() - options.getLookback(), options.getOverlap());
        LOG.info("Polling finished transcripts from {} every {} ms, from {} on ({} back), overlap {} ms{}", client.url(),
                getTimeUnit().toMillis(getDelay()), Instant.ofEpochMilli(watermark.fromDate()), options.getLookback() + " ms",
                options.getOverlap(),
                configuredRepository == null ? "; no idempotentRepository: repeats are only filtered until a restart" : "");
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (configuredRepository == null && repository != null) {
            ServiceHelper.stopService(repository);
        }
    }

    @Override
    protected boolean isPollAllowed() {
        long notBefore = notBeforeNanos;
        return super.isPollAllowed() && (notBefore == 0 || System.nanoTime() - notBefore >= 0);
    }

    @Override
    protected int poll() throws Exception {
        TranscriptWatermark w = watermark;
        long from = w.fromDate();
        lastFromDate = from;
        int pageSize = options.getPageSize();
        List<FirefliesGraphQLClient.Listed> listed = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        boolean complete = false;
        GraphQLException failure = null;
        for (int page = 0; page < options.getMaxPages(); page++) {
            List<FirefliesGraphQLClient.Listed> items;
            try {
                calls.incrementAndGet();
                items = client.transcriptsPage(from, page * pageSize, pageSize);
            } catch (GraphQLException e) {
                failure = e;
                break;
            }
            for (FirefliesGraphQLClient.Listed l : items) {
                if (ids.add(l.transcript().id())) { // a page shifted by a new transcript lists one twice
                    listed.add(l);
                }
            }
            if (items.size() < pageSize) {
                complete = true;
                break;
            }
        }
        listed.sort(Comparator.comparing(l -> l.transcript().dateMillis(), Comparator.nullsFirst(Comparator.naturalOrder())));

        List<Long> handled = new ArrayList<>();
        Map<String, Long> open = new HashMap<>();
        int routed = 0;
        for (FirefliesGraphQLClient.Listed l : listed) {
            if (!isRunAllowed()) {
                complete = false;
                break;
            }
            Transcript t = l.transcript();
            if (!l.finished()) {
                keepOpen(open, t);
                continue;
            }
            String key = KEY_PREFIX + t.id();
            if (repository.contains(key)) {
                repeats.incrementAndGet();
                handled.add(t.dateMillis());
                continue;
            }
            // recorded once its exchange completed: a crash while routing emits it again after the restart
            if (route(t)) {
                repository.add(key);
                repository.confirm(key);
                handled.add(t.dateMillis());
                routed++;
            } else {
                keepOpen(open, t);
            }
        }
        w.polled(complete, ids, handled, open, from);
        notBeforeNanos = 0;
        if (failure != null) {
            failedPolls.incrementAndGet();
            lastPollError = failure.getMessage();
            if (failure instanceof GraphQLException.RateLimitedException r && r.getRetryAfter() != null) {
                // the server (or the key's budget) said when: no poll before then
                notBeforeNanos = System.nanoTime() + r.getRetryAfter().toNanos();
            }
            throw failure; // the scheduler counts it (backoffErrorThreshold) and the exception handler reports it
        }
        polls.incrementAndGet();
        lastPollError = null;
        if (!complete && listed.size() >= options.getMaxPages() * pageSize) {
            LOG.info("Listed {} pages of transcripts (maxPages) from {}; the rest comes in the next polls",
                    options.getMaxPages(), Instant.ofEpochMilli(from));
        }
        return routed;
    }

    private static void keepOpen(Map<String, Long> open, Transcript t) {
        if (t.dateMillis() != null) {
            open.put(t.id(), t.dateMillis());
        }
    }

    /** Routes one transcript; true when its exchange completed without an exception. */
    private boolean route(Transcript t) {
        Exchange exchange = createExchange(false);
        try {
            Message m = exchange.getMessage();
            m.setBody(t);
            m.setHeader(FirefliesConstants.TRANSCRIPT_ID, t.id());
            if (t.title() != null) {
                m.setHeader(FirefliesConstants.MEETING_TITLE, t.title());
            }
            if (t.organizerEmail() != null) {
                m.setHeader(FirefliesConstants.ORGANIZER_EMAIL, t.organizerEmail());
            }
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                failedExchanges.incrementAndGet();
                getExceptionHandler().handleException("Routing transcript " + t.id() + " failed; it is emitted again"
                                                      + " by the next poll",
                        exchange, exchange.getException());
                return false;
            }
            emitted.incrementAndGet();
            return true;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    // ------------------------------------------------------------------------------------ observation (JMX)

    @ManagedAttribute(description = "Polls that listed every page they needed")
    public long getPolls() {
        return polls.get();
    }

    @ManagedAttribute(description = "Polls that failed (a GraphQL error, or the key's rate budget spent)")
    public long getFailedPolls() {
        return failedPolls.get();
    }

    @ManagedAttribute(description = "GraphQL calls made (one per page of transcripts)")
    public long getGraphQLCalls() {
        return calls.get();
    }

    @ManagedAttribute(description = "Transcripts emitted")
    public long getTranscriptsEmitted() {
        return emitted.get();
    }

    @ManagedAttribute(description = "Finished transcripts listed again and not emitted: the idempotentRepository had them")
    public long getTranscriptsRepeated() {
        return repeats.get();
    }

    @ManagedAttribute(description = "Exchanges that failed (their transcript is emitted again by the next poll)")
    public long getFailedExchanges() {
        return failedExchanges.get();
    }

    @ManagedAttribute(description = "The fromDate of the last poll (ISO-8601)")
    public String getLastFromDate() {
        return lastFromDate == 0 ? null : Instant.ofEpochMilli(lastFromDate).toString();
    }

    @ManagedAttribute(description = "Transcripts listed but not finished yet (or whose exchange failed): they hold the"
                                    + " window back")
    public int getTranscriptsOpen() {
        TranscriptWatermark w = watermark;
        return w == null ? 0 : w.openCount();
    }

    @ManagedAttribute(description = "The error of the last poll, or null when it succeeded")
    public String getLastPollError() {
        return lastPollError;
    }

    @ManagedAttribute(description = "GraphQL calls the rate budget of the API key still allows in the plan's window now"
                                    + " (this instance's share); -1 without a plan limit or before the first call")
    public long getBudgetRemaining() {
        return getEndpoint() instanceof FirefliesEndpoint e ? e.clients().budgetRemaining() : -1;
    }

    @ManagedAttribute(description = "GraphQL calls of the API key that its rate budget refused (never sent)")
    public long getBudgetRefused() {
        return getEndpoint() instanceof FirefliesEndpoint e ? e.clients().budgetRefused() : 0;
    }
}
