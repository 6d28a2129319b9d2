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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.internal.stream.OrderedLane;
import io.github.camelfireflies.api.OverflowPolicy;
import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.internal.graphql.FirefliesGraphQLClient;
import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.LiveTranscript;
import io.github.camelfireflies.metrics.FirefliesMetrics;
import io.github.camelfireflies.api.BackfillMode;
import io.github.camelfireflies.api.FirefliesEvents;
import io.github.camelfireflies.internal.stream.RealtimeEvent;
import io.github.camelfireflies.internal.stream.TranscriptStream;
import org.apache.camel.Endpoint;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Service;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code from("fireflies:meetings")}: polls the GraphQL {@code active_meetings} query every {@code delay} (a
 * {@link ScheduledPollConsumer} on a thread of its own, scheduled by {@link PollSchedule}) and hands the list to a
 * {@link MeetingRoster}, which streams
 * each meeting (one owner per meeting across instances when the context has a {@link CamelClusterService}). Its
 * exchanges carry headers naming the meeting. With a cluster service and an {@code idempotentRepository}, owners record
 * each meeting's completion there, and a meeting that ends while nobody owns it is completed by the instance that leads
 * its view ({@link MeetingCompletion}).
 * <p>
 * Rate limits: HTTP 429 or a {@code too_many_requests} error skips the polls until the server's Retry-After has passed,
 * or, without one, doubles the wait with each limited poll in a row (up to 16 poll intervals). This is not Camel's
 * {@code backoffErrorThreshold}/{@code backoffMultiplier}: a rate limit is answered by waiting what the server asks (or
 * doubling), whatever those say, and a failed poll is reported here rather than thrown, so Camel's error backoff does
 * not count it ({@code backoffIdleThreshold} does apply: an idle poll is one that found no meeting). A refused key
 * stops polling until the route is restarted.
 * <p>
 * With {@code webhookPath} ({@link Settings#webhooks()}) this consumer also takes the Fireflies webhooks: it starts a
 * REST consumer of its own ({@link WebhookReceiver}) after itself and stops it first; {@link #follow(String)} on
 * {@code meeting.bot_joined} and {@link #ended(String)} on {@code meeting.transcribed} only enqueue the work (the HTTP
 * answer never waits for a socket), polling is the safety net ({@code delay}, off with {@code startScheduler=false}),
 * and a timer does the roster's housekeeping between polls. While it is suspended, the deliveries are answered 503. The
 * deprecated {@code from("webhook:fireflies:meetings?...")} runs the same consumer behind camel-webhook's REST consumer
 * ({@link MeetingsTarget} starts and stops it there).
 * <p>
 * Long because it is the poll, the router of the roster's meetings and their JMX attributes at once, as Camel consumers
 * are.
 */
@ManagedResource(description = "Managed Fireflies meetings (discovery) consumer")
public class MeetingsConsumer extends ScheduledPollConsumer implements ShutdownAware {

    private static final Logger LOG = LoggerFactory.getLogger(MeetingsConsumer.class);
    private static final long STOP_DRAIN_MILLIS = 10_000;
    /** At most this many doublings of the poll interval while rate limited. */
    private static final int MAX_BACKOFF_DOUBLINGS = 4;
    /**
     * With webhooks: how long an ended meeting keeps its cluster view (and is remembered) when polling is off, or at
     * most when it is on. Long enough for {@code meeting.transcribed} to reach the other instances (Fireflies sends it
     * minutes after the end), so that none of them takes over a meeting that is over.
     */
    public static final long WEBHOOK_RETIRE_MILLIS = 10 * 60_000L;
    /** With webhooks: how often the roster releases ended meetings (and checks leadership) between polls. */
    static final long HOUSEKEEPING_MILLIS = 15_000;
    /** With a cluster service: how often leadership is checked between polls (milliseconds). */
    static final long LEADERSHIP_CHECK_MILLIS = 1000;

    /**
     * What a meetings consumer is given by its endpoint.
     *
     * @param graphql      the GraphQL client (made when the consumer starts)
     * @param streams      opens the live stream of one meeting
     * @param email        whose meetings; null for the key's own user
     * @param states       the meeting states to follow
     * @param pollInterval how often to poll (milliseconds)
     * @param events       the selected event names; empty means every event
     * @param backfill     what the streams fetch besides the socket (for the log; the streams apply it)
     * @param backfillCalls the GraphQL calls the streams' backfill made so far
     * @param webhooks     whether webhooks drive it ({@code webhookPath}, or {@code webhook:fireflies:meetings}); then
     *                     {@code pollInterval} 0 turns polling off
     * @param control      the pool the roster's work between polls is serialized onto (with webhooks the HTTP thread
     *                     only enqueues)
     * @param timer        for the housekeeping between polls
     * @param transcripts  registers a listener of the {@code transcript(id)} answers the streams' backfill gets (they
     *                     name the meetings known only by id); returns what unregisters it; null for none
     */
    public record Settings(
            Supplier<FirefliesGraphQLClient> graphql,
            TranscriptStream.Factory streams,
            String email,
            List<String> states,
            long pollInterval,
            Set<String> events,
            BackfillMode backfill,
            LongSupplier backfillCalls,
            boolean webhooks,
            Executor control,
            ScheduledExecutorService timer,
            Function<Consumer<LiveTranscript>, Runnable> transcripts) {

        public Settings {
            Objects.requireNonNull(graphql, "graphql");
            Objects.requireNonNull(streams, "streams");
            Objects.requireNonNull(backfill, "backfill");
            Objects.requireNonNull(backfillCalls, "backfillCalls");
            states = List.copyOf(states);
            events = Set.copyOf(events);
            if (pollInterval < 0 || pollInterval == 0 && !webhooks) {
                throw new IllegalArgumentException("pollInterval must be positive" + (webhooks ? " or 0" : "")
                                                   + ", was " + pollInterval);
            }
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(timer, "timer");
        }

        /** Whether it polls at all. */
        public boolean polling() {
            return pollInterval > 0;
        }
    }

    private final Settings settings;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong failedPolls = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong backfilled = new AtomicLong();
    private volatile FirefliesGraphQLClient graphql;
    private volatile MeetingRoster roster;
    private volatile FirefliesMetrics metrics = FirefliesMetrics.NONE;
    private volatile boolean clustered;
    /** With {@code idempotentRepository} and {@code emit=final}: which final segments were emitted; else null. */
    private volatile EmittedSegments emittedSegments;
    /** With a cluster service and {@link #emittedSegments}: who finished which meeting; else null. */
    private volatile MeetingCompletion completion;
    private volatile String lastPollError;
    private volatile GraphQLException lastPollFailure;
    private volatile long notBeforeNanos;
    private volatile long nextPollDelayMillis;
    private int rateLimitedInARow;
    /** Set when the GraphQL API refused the key: no more polls until the route is restarted. */
    private volatile boolean pollingStopped;
    private final AtomicLong followed = new AtomicLong();
    private final AtomicLong endedByWebhook = new AtomicLong();
    // the roster's work, one task at a time in the order given, on the control pool (never holding a thread while idle)
    private volatile OrderedLane<Runnable> control;
    private ScheduledFuture<?> housekeeping; // guarded by this
    private volatile Runnable stopListening;
    /** With {@code webhookPath}: the REST consumer that takes the webhooks, started and stopped with this one. */
    private volatile Service webhookReceiver;

    public MeetingsConsumer(Endpoint endpoint, Processor processor, Settings settings) {
        super(endpoint, processor);
        this.settings = Objects.requireNonNull(settings, "settings");
        setDelay(Math.max(1, settings.pollInterval()));
        setInitialDelay(0);
        setUseFixedDelay(true);
        setTimeUnit(TimeUnit.MILLISECONDS);
        if (!settings.polling()) {
            setStartScheduler(false); // webhooks only: no poll ever runs
        }
    }

    Settings settings() {
        return settings;
    }

    /** With {@code webhookPath}: the service that takes the webhooks; started last, stopped first. */
    void webhookReceiver(Service receiver) {
        this.webhookReceiver = receiver;
    }

    // ------------------------------------------------------------------------------------ lifecycle

    @Override
    protected void doBuild() throws Exception {
        // our readiness check instead of ScheduledPollConsumer's default one (which enables it per component in doInit)
        if (super.getHealthCheck() == null) {
            MeetingsHealthCheck check = new MeetingsHealthCheck(getRouteId(), this::stats);
            if (getEndpoint() instanceof FirefliesEndpoint e) {
                check.budget(e.clients()::budgetSnapshot);
            }
            setHealthCheck(check);
        }
        super.doBuild();
    }

    @Override
    protected void doStart() throws Exception {
        graphql = settings.graphql().get();
        emittedSegments = EmittedSegments.forConsumer(this);
        CamelClusterService cluster = ClusterServiceHelper.lookupService(getEndpoint().getCamelContext()).orElse(null);
        OrderedLane<Runnable> c = new OrderedLane<>(settings.control(), Integer.MAX_VALUE, OverflowPolicy.BLOCK,
                MeetingsConsumer::runTask, task -> { });
        control = c;
        Router router = new Router();
        EmittedSegments e = emittedSegments;
        MeetingCompletion done = cluster == null || e == null ? null
                : new MeetingCompletion(this, e, router, graphql::liveTranscriptAsync,
                        settings.events().isEmpty() || settings.events().contains(FirefliesEvents.MEETING_ENDED),
                        settings.control(), settings.timer());
        completion = done;
        MeetingRoster r = new MeetingRoster(settings.streams(), cluster, router, settings.events(),
                new MeetingRoster.Options(retireMillis(settings), settings.webhooks(), task -> submit(c, task), done));
        roster = r;
        if (settings.transcripts() != null) {
            stopListening = settings.transcripts().apply(t -> r.named(t.id(), t.title(), t.organizerEmail()));
        }
        pollingStopped = false;
        lastPollError = null;
        lastPollFailure = null;
        notBeforeNanos = 0;
        rateLimitedInARow = 0;
        nextPollDelayMillis = 0;
        metrics = FirefliesMetrics.bind(getEndpoint().getCamelContext(), new FirefliesMetrics.Source("meetings",
                getRouteId(), roster::streamStats, delivered::get, backfilled::get,
                Map.of("poll", () -> polls.get() + failedPolls.get(), "backfill", settings.backfillCalls())));
        String owner = cluster == null ? "" : ", one owner per meeting through cluster service " + cluster.getId();
        String whose = settings.email() == null ? "the API key's user" : settings.email();
        if (settings.webhooks()) {
            LOG.info("Following every meeting from meeting.bot_joined webhooks ({}), backfill={}; {}{}", whose,
                    settings.backfill(), settings.polling()
                            ? "safety-net poll of " + graphql.url() + " every " + settings.pollInterval() + " ms"
                            : "polling off",
                    owner);
        } else {
            LOG.info("Following every meeting in progress ({}, states {}) from {} every {} ms, backfill={}{}", whose,
                    settings.states(), graphql.url(), settings.pollInterval(), settings.backfill(), owner);
        }
        super.doStart();
        clustered = cluster != null;
        scheduleHousekeeping();
        ServiceHelper.startService(webhookReceiver); // deliveries only once the roster is there
    }

    /**
     * Between polls, on the component's timer (the work itself serialized with the webhooks' on the connect pool): with
     * a cluster service every second, so that a stream does not outlive a leadership lost without an event; with
     * webhooks only, every 15 s, to release the views of ended meetings.
     */
    private synchronized void scheduleHousekeeping() {
        if (housekeeping == null && roster != null && (clustered || settings.webhooks())) {
            long period = clustered ? LEADERSHIP_CHECK_MILLIS : HOUSEKEEPING_MILLIS;
            housekeeping = settings.timer().scheduleWithFixedDelay(this::housekeep, period, period,
                    TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void cancelHousekeeping() {
        ScheduledFuture<?> h = housekeeping;
        housekeeping = null;
        if (h != null) {
            h.cancel(false);
        }
    }

    /** How long an ended meeting keeps its view: two polls; with webhooks, {@link #WEBHOOK_RETIRE_MILLIS} at most. */
    static long retireMillis(Settings s) {
        if (!s.webhooks()) {
            return 2 * s.pollInterval();
        }
        return s.polling() ? Math.min(2 * s.pollInterval(), WEBHOOK_RETIRE_MILLIS) : WEBHOOK_RETIRE_MILLIS;
    }

    private void housekeep() {
        MeetingRoster r = roster;
        OrderedLane<Runnable> c = control;
        if (r != null && c != null && isRunAllowed()) {
            try {
                submit(c, r::housekeeping);
            } catch (RejectedExecutionException e) {
                LOG.debug("Meetings housekeeping skipped: {}", e.toString());
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(webhookReceiver); // no delivery arrives any more
        cancelHousekeeping();
        Runnable unlisten = stopListening;
        if (unlisten != null) {
            unlisten.run();
            stopListening = null;
        }
        // what waits is routed before DefaultConsumer stops the processor: behind webhook: nobody suspends this
        // consumer first, and the processor is the route's own
        MeetingRoster r = roster;
        if (r != null) {
            r.stopAll(); // a poll that runs meanwhile changes nothing
            r.awaitDrained(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_DRAIN_MILLIS));
        }
        metrics.close();
        metrics = FirefliesMetrics.NONE;
        super.doStop(); // no poll runs after this
    }

    @Override
    protected void doSuspend() throws Exception {
        cancelHousekeeping();
        super.doSuspend(); // polls pause
        MeetingRoster r = roster;
        if (r != null) {
            r.stopAll();
        }
    }

    @Override
    protected void doResume() throws Exception {
        MeetingRoster r = roster;
        if (r != null) {
            r.restart();
        }
        super.doResume(); // the next poll opens the meetings again
        scheduleHousekeeping();
    }

    // ------------------------------------------------------------------------------------ ShutdownAware

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        return false;
    }

    @Override
    public int getPendingExchangesSize() {
        MeetingRoster r = roster;
        return r == null ? 0 : r.queued();
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        MeetingRoster r = roster;
        if (forced && r != null) {
            r.dropWaiting();
        }
    }

    // ------------------------------------------------------------------------------------ webhooks

    /**
     * {@code meeting.bot_joined}: follow this meeting (known only by its id until a poll or the backfill names it).
     * Only enqueues the work: never waits for the cluster view or the socket.
     *
     * @return false when the consumer is not running (nothing was enqueued)
     */
    public boolean follow(String transcriptId) {
        return follow(new ActiveMeeting(transcriptId, null, null, null, null, null, null, null));
    }

    /** As {@link #follow(String)}, with what is known of the meeting. */
    public boolean follow(ActiveMeeting meeting) {
        Objects.requireNonNull(meeting, "meeting");
        return enqueue(r -> r.follow(meeting), followed);
    }

    /**
     * {@code meeting.transcribed}: the meeting is over; stop following it. Only enqueues the work.
     *
     * @return false when the consumer is not running (nothing was enqueued)
     */
    public boolean ended(String transcriptId) {
        Objects.requireNonNull(transcriptId, "transcriptId");
        return enqueue(r -> r.ended(transcriptId, MeetingRoster.EndReason.TRANSCRIBED), endedByWebhook);
    }

    /**
     * A {@code meeting.bot_joined} or {@code meeting.transcribed} delivery the duplicate check refused: with a shared
     * {@code idempotentRepository} that check spans every instance, so behind a fan-out only the first instance takes
     * the delivery. The others still learn of the meeting here (without counting it): a meeting they do not know is
     * followed (they join its view, ready to take it over), and one that is over ends as for the first delivery.
     * Only enqueues the work.
     *
     * @param  transcribed true for {@code meeting.transcribed}, false for {@code meeting.bot_joined}
     * @return             false when the consumer is not running (nothing was enqueued)
     */
    public boolean heardAgain(String transcriptId, boolean transcribed) {
        Objects.requireNonNull(transcriptId, "transcriptId");
        return transcribed
                ? enqueue(r -> r.ended(transcriptId, MeetingRoster.EndReason.TRANSCRIBED), null)
                : enqueue(r -> r.followIfUnknown(new ActiveMeeting(transcriptId, null, null, null, null, null, null,
                        null)), null);
    }

    /** What is known of a meeting this consumer follows or remembers, or null. */
    public ActiveMeeting knownMeeting(String transcriptId) {
        MeetingRoster r = roster;
        return r == null ? null : r.meeting(transcriptId);
    }

    private boolean enqueue(Consumer<MeetingRoster> work, AtomicLong counter) {
        MeetingRoster r = roster;
        OrderedLane<Runnable> c = control;
        if (r == null || c == null || !isRunAllowed() || isSuspendingOrSuspended()) {
            return false;
        }
        try {
            submit(c, () -> work.accept(r));
        } catch (RejectedExecutionException e) {
            return false;
        }
        if (counter != null) {
            counter.incrementAndGet();
        }
        return true;
    }

    /**
     * Queues a task of the roster's: a {@code meeting.bot_joined} is never overtaken by the {@code meeting.transcribed}
     * that follows it, and the HTTP thread only adds the task.
     *
     * @throws RejectedExecutionException when the control pool refused to run the queue (it is shut down)
     */
    private static void submit(OrderedLane<Runnable> lane, Runnable task) {
        if (!lane.offer(task) || lane.isClosed()) {
            throw new RejectedExecutionException("the meetings control pool is shut down");
        }
    }

    private static void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("A meetings task failed: {}", e.toString(), e);
        }
    }

    // ------------------------------------------------------------------------------------ polling

    @Override
    protected boolean isPollAllowed() {
        return super.isPollAllowed() && !pollingStopped && System.nanoTime() - notBeforeNanos >= 0;
    }

    @Override
    protected int poll() throws Exception {
        long interval = settings.pollInterval();
        try {
            List<ActiveMeeting> list = graphql.activeMeetings(settings.email(), settings.states());
            polls.incrementAndGet();
            rateLimitedInARow = 0;
            lastPollError = null;
            lastPollFailure = null;
            nextPollDelayMillis = interval;
            roster.reconcile(list);
            return list.size();
        } catch (GraphQLException.AuthenticationException e) {
            // the same key will not be accepted on the next poll either: stop until the route is restarted
            failedPolls.incrementAndGet();
            failed(e);
            pollingStopped = true;
            getExceptionHandler().handleException("Polling the meetings in progress failed: " + e.getMessage()
                                                  + "; no more polls until the route is restarted", e);
        } catch (GraphQLException.RateLimitedException e) {
            failedPolls.incrementAndGet();
            rateLimitedInARow++;
            Duration retryAfter = e.getRetryAfter();
            long wait = retryAfter == null
                    ? interval * ((1L << Math.min(rateLimitedInARow, MAX_BACKOFF_DOUBLINGS)) - 1)
                    : retryAfter.toMillis();
            notBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
            nextPollDelayMillis = Math.max(wait, interval);
            failed(e);
            getExceptionHandler().handleException("Polling the meetings in progress: " + e.getMessage()
                                                  + "; next poll in " + nextPollDelayMillis + " ms or more", e);
        } catch (GraphQLException e) {
            failedPolls.incrementAndGet();
            failed(e);
            nextPollDelayMillis = interval;
            getExceptionHandler().handleException("Polling the meetings in progress failed: " + e.getMessage()
                                                  + "; next poll in " + interval + " ms", e);
        }
        return 0;
    }

    private void failed(GraphQLException e) {
        lastPollError = e.getMessage();
        lastPollFailure = e;
    }

    // ------------------------------------------------------------------------------------ routing (lane threads)

    private final class Router implements MeetingRoster.Router {

        @Override
        public boolean route(ActiveMeeting meeting, RealtimeEvent event, ChunkTracker.Emission emission, Runnable done) {
            Consumer<Message> bind = m -> {
                delivered.incrementAndGet(); // here: a segment skipped as emitted before is not delivered
                metrics.eventRouted(event.receivedNanos());
                if (emission != null && emission.backfill()) {
                    backfilled.incrementAndGet();
                }
                FirefliesBinding.bindEvent(m, event, emission, meeting);
            };
            EmittedSegments emitted = emittedSegments;
            return emitted == null ? FirefliesBinding.route(MeetingsConsumer.this, bind, done)
                    : emitted.route(MeetingsConsumer.this, event, emission, bind, done);
        }

        @Override
        public boolean routeLifecycle(String name, ActiveMeeting meeting, Runnable done) {
            delivered.incrementAndGet();
            return FirefliesBinding.route(MeetingsConsumer.this, m -> FirefliesBinding.bindLifecycle(m, name, meeting),
                    done);
        }

        @Override
        public void report(String message, Throwable error) {
            getExceptionHandler().handleException(message, error);
        }
    }

    // ------------------------------------------------------------------------------------ observation (JMX, health)

    /** The readiness check of this consumer, or null when {@code healthCheckConsumerEnabled=false}. */
    @Override
    public HealthCheck getHealthCheck() {
        HealthCheck check = super.getHealthCheck();
        return check != null && check.isEnabled() ? check : null;
    }

    MeetingsStats stats() {
        EmittedSegments e = emittedSegments;
        return new MeetingsStats(getMeetingsTracked(), getMeetingsStreaming(), polls.get(), failedPolls.get(),
                delivered.get(), pollingStopped, nextPollDelayMillis, lastPollError, getBackfillCalls(),
                backfilled.get(), lastPollFailure, e == null ? null : e.lastError(), getSegmentsHeld(),
                getMeetingsUnfinished(), getMeetingsGivenUp());
    }

    @ManagedAttribute(description = "Polls of the meetings in progress that failed")
    public long getFailedPolls() {
        return failedPolls.get();
    }

    @ManagedAttribute(description = "Whether polling stopped because the GraphQL API refused the API key (until the route is restarted)")
    public boolean isPollingStopped() {
        return pollingStopped;
    }

    @ManagedAttribute(description = "Meetings in progress known from the last poll (ended ones whose cluster view is not yet released included)")
    public int getMeetingsTracked() {
        MeetingRoster r = roster;
        return r == null ? 0 : r.tracked();
    }

    @ManagedAttribute(description = "Meetings this instance is streaming now")
    public int getMeetingsStreaming() {
        return streamingMeetingIds().size();
    }

    /** The ids of the meetings this instance is streaming now. */
    public Set<String> streamingMeetingIds() {
        MeetingRoster r = roster;
        return r == null ? Set.of() : r.streamingIds();
    }

    @ManagedAttribute(description = "Successful polls of the meetings in progress")
    public long getPolls() {
        return polls.get();
    }

    @ManagedAttribute(description = "Exchanges routed")
    public long getEventsDelivered() {
        return delivered.get();
    }

    @ManagedAttribute(description = "GraphQL calls the meetings' streams made to fetch what their sockets missed (backfill)")
    public long getBackfillCalls() {
        return settings.backfillCalls().getAsLong();
    }

    @ManagedAttribute(description = "Transcription exchanges whose text came from the backfill (CamelFirefliesBackfill)")
    public long getBackfilledEvents() {
        return backfilled.get();
    }

    @ManagedAttribute(description = "Final segments not emitted because the idempotentRepository says they were emitted"
                                    + " before (by another instance, or an earlier run)")
    public long getDuplicateSegmentsSkipped() {
        EmittedSegments e = emittedSegments;
        return e == null ? 0 : e.skipped();
    }

    @ManagedAttribute(description = "Checks and records in the idempotentRepository that failed")
    public long getIdempotentRepositoryFailures() {
        EmittedSegments e = emittedSegments;
        return e == null ? 0 : e.failures();
    }

    @ManagedAttribute(description = "Meetings that ended unfinished and that this instance completed from transcript(id)"
                                    + " for an owner that did not")
    public long getMeetingsTakenOver() {
        MeetingCompletion c = completion;
        return c == null ? 0 : c.takenOver();
    }

    @ManagedAttribute(description = "Meetings given up: nobody recorded that it emitted their last segment in time")
    public long getMeetingsGivenUp() {
        MeetingCompletion c = completion;
        return c == null ? 0 : c.gaveUp();
    }

    @ManagedAttribute(description = "GraphQL transcript(id) calls made to complete meetings that ended unfinished")
    public long getCompletionCalls() {
        MeetingCompletion c = completion;
        return c == null ? 0 : c.calls();
    }

    @ManagedAttribute(description = "Ended meetings whose completion this instance waits for, or makes, now")
    public int getMeetingsUnfinished() {
        MeetingRoster r = roster;
        return r == null ? 0 : r.unfinishedIds().size();
    }

    @ManagedAttribute(description = "Final segments whose meeting waits for the idempotent repository now (it fails)")
    public long getSegmentsHeld() {
        EmittedSegments e = emittedSegments;
        return e == null ? 0 : e.held();
    }

    @ManagedAttribute(description = "The error of the last poll, or null when it succeeded")
    public String getLastPollError() {
        return lastPollError;
    }

    @ManagedAttribute(description = "The delay before the next poll (milliseconds)")
    public long getNextPollDelay() {
        return nextPollDelayMillis;
    }

    @ManagedAttribute(description = "Meetings asked to be followed by a meeting.bot_joined webhook (webhookPath)")
    public long getFollowedByWebhook() {
        return followed.get();
    }

    @ManagedAttribute(description = "Meetings said to be over by a meeting.transcribed webhook (webhookPath)")
    public long getEndedByWebhook() {
        return endedByWebhook.get();
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
