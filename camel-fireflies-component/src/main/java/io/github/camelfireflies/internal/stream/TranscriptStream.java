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
package io.github.camelfireflies.internal.stream;

import io.github.camelfireflies.api.FirefliesEvents;
import io.github.camelfireflies.api.BackfillMode;
import io.github.camelfireflies.api.FirefliesException;
import io.github.camelfireflies.api.OverflowPolicy;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.camelfireflies.api.EmitMode;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.internal.backfill.BackfillHost;
import io.github.camelfireflies.internal.backfill.BackfillMarkers;
import io.github.camelfireflies.internal.backfill.BackfillSource;
import io.github.camelfireflies.internal.backfill.Backfiller;
import io.github.camelfireflies.internal.backfill.SentenceMerge;
import io.github.camelfireflies.internal.socketio.SocketIoSession;
import io.github.camelfireflies.internal.websocket.WebSocketTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One meeting followed live, from the socket to whoever routes its events: a {@link FirefliesRealtimeClient}, the
 * {@link OrderedLane} from the WebSocket I/O thread to the worker pool, and the {@link ChunkTracker} that applies the
 * emit mode. Knows nothing of Camel: what an event becomes is the {@link Sink}'s business. The I/O thread offers into
 * the lane; everything else runs on the lane, one item at a time, in arrival order: on the worker pool, or, with
 * {@code routeOnReader} and {@code BLOCK}, on the I/O thread itself when nothing waits and the route has been quick
 * ({@link OrderedLane#putOrHandle}).
 * <p>
 * Long because it owns one meeting's stream end to end (lane, emit mode, backfill host, stall guard), whose state
 * changes on one lane only.
 */
public final class TranscriptStream {

    private static final Logger LOG = LoggerFactory.getLogger(TranscriptStream.class);
    private static final Object TICK = new Object();
    private static final Object FLUSH = new Object();
    /** How long live events wait behind a backfill at most (milliseconds). */
    static final long BACKFILL_HOLD_MILLIS = 10_000;

    /**
     * What a stream does with its events.
     *
     * @param client         the realtime subscription
     * @param emit           which transcription events are emitted
     * @param finalizeAfter  with {@code FINAL}: quiet time after which a segment is final (milliseconds)
     * @param queueSize      how many events may wait for the sink
     * @param overflowPolicy what a full queue drops
     * @param backfill       what is fetched from GraphQL besides the socket (needs {@link Resources#backfill()})
     * @param routeOnReader  with {@code BLOCK}: whether an event may be routed on the I/O thread while the route is quick
     */
    public record Settings(
            FirefliesRealtimeClient.Options client,
            EmitMode emit,
            long finalizeAfter,
            int queueSize,
            OverflowPolicy overflowPolicy,
            BackfillMode backfill,
            boolean routeOnReader) {

        public Settings {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(emit, "emit");
            Objects.requireNonNull(overflowPolicy, "overflowPolicy");
            Objects.requireNonNull(backfill, "backfill");
        }

        /** Routing on the reader while the route is quick ({@link OrderedLane#putOrHandle}), with BLOCK. */
        public Settings(FirefliesRealtimeClient.Options client, EmitMode emit, long finalizeAfter, int queueSize,
                        OverflowPolicy overflowPolicy, BackfillMode backfill) {
            this(client, emit, finalizeAfter, queueSize, overflowPolicy, backfill, true);
        }

        /** Without backfill. */
        public Settings(FirefliesRealtimeClient.Options client, EmitMode emit, long finalizeAfter, int queueSize,
                        OverflowPolicy overflowPolicy) {
            this(client, emit, finalizeAfter, queueSize, overflowPolicy, BackfillMode.NONE);
        }
    }

    /**
     * What a stream runs on; owned by the caller and shared by many streams.
     *
     * @param transport the WebSocket transport to connect with
     * @param timer     timeouts, heartbeats and the finality ticks
     * @param connector blocking connects and closes
     * @param workers   where the sink is called, one item at a time per stream
     * @param backfill  where the backfill fetches a meeting's sentences, or null for none
     */
    public record Resources(
            WebSocketTransport transport,
            ScheduledExecutorService timer,
            Executor connector,
            Executor workers,
            BackfillSource backfill) {

        public Resources {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(timer, "timer");
            Objects.requireNonNull(connector, "connector");
            Objects.requireNonNull(workers, "workers");
        }

        /** Without a backfill source. */
        public Resources(WebSocketTransport transport, ScheduledExecutorService timer, Executor connector,
                         Executor workers) {
            this(transport, timer, connector, workers, null);
        }
    }

    /** Opens streams: what a consumer is given instead of the resources themselves. */
    @FunctionalInterface
    public interface Factory {

        TranscriptStream open(String transcriptId, Sink sink);
    }

    /** Where a stream's events go: on a worker (or the I/O thread, see routeOnReader), one at a time, in order. */
    public interface Sink {

        /**
         * Routes one event.
         *
         * @param  event    the event (for {@code transcription.broadcast}, as the emit mode emits it)
         * @param  emission its revision bookkeeping when it is a transcription event, else null
         * @param  done     to call once when routing finished asynchronously; never when this returns true
         * @return          true when routing finished before returning
         */
        boolean route(RealtimeEvent event, ChunkTracker.Emission emission, Runnable done);

        /** An item the owner offered itself ({@link #offer}), in order with the events; same contract as route. */
        default boolean routeOther(Object item, Runnable done) {
            return true;
        }

        /**
         * A failure the stream survives (a skipped event, a drop) or that stopped it; never holds the key. Called on the
         * lane in order with the events, except a route stall, reported at once on the reader's thread.
         */
        void report(FirefliesException error);

        /**
         * The server ended the session (a Socket.IO DISCONNECT, usually the end of the meeting), after the stream
         * asked its lane to emit the open segments. Called on the I/O thread: hand off anything more than a flag.
         */
        default void sessionEnded() {
        }
    }

    /** One thing to route: an event with its emission, or an owner's item. */
    private record Routing(RealtimeEvent event, ChunkTracker.Emission emission, Object other) {
    }

    private final Settings settings;
    private final Resources resources;
    private final Sink sink;
    private final OrderedLane<Object> lane;
    private final ChunkTracker tracker;
    private final Backfiller backfill;
    private final String url;
    private volatile FirefliesRealtimeClient client;
    private ScheduledFuture<?> finalizeTicker;

    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private final AtomicLong dropsToReport = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong stalls = new AtomicLong();
    /** routeOnReader: whether the reader's watchdog is pending on the timer. */
    private final AtomicBoolean watchdogArmed = new AtomicBoolean();
    /** routeOnReader: the start of the exchange last reported as a stall (timer thread only). */
    private long stallReportedFor;
    private volatile long lastEventMillis;
    private volatile FirefliesException fatal;
    private volatile int openChunks;
    private volatile long suspendedAtNanos;
    // lane only: what one item asked to route, not yet routed (an asynchronous route holds the rest back)
    private final ArrayDeque<Routing> toRoute = new ArrayDeque<>();
    // lane only: a reconnect seen on an event that emitted nothing is reported on the next delivery
    private long pendingGapMillis = -1;
    // lane only: the backfill already marked the current reconnect on the first segment it healed
    private boolean gapMarkedByBackfill;
    private final AtomicLong backfilled = new AtomicLong();
    // lane only: when the event being accepted was received, for the age of what it emits (0: none being accepted)
    private long sourceReceivedNanos;

    public TranscriptStream(Settings settings, Resources resources, Sink sink) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.resources = Objects.requireNonNull(resources, "resources");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.lane = OrderedLane.async(resources.workers(), settings.queueSize(), settings.overflowPolicy(), this::handle,
                this::onDropped);
        this.tracker = new ChunkTracker(settings.emit(), settings.finalizeAfter());
        this.url = settings.client().uri().toString();
        this.backfill = settings.backfill() == BackfillMode.NONE || resources.backfill() == null ? null
                : new Backfiller(settings.backfill(), resources.backfill(), settings.client().transcriptId(),
                        resources.timer(), resources.connector(), settings.finalizeAfter(), BACKFILL_HOLD_MILLIS,
                        settings.queueSize(), item -> item != TICK && item != FLUSH, TranscriptStream::nowMillis,
                        new StreamBackfillHost());
    }

    // ------------------------------------------------------------------------------------ lifecycle

    /** Starts the finality timer (emit=final) and connects in the background. */
    public void start() {
        if (tracker.mode() == EmitMode.FINAL && finalizeTicker == null) {
            long period = Math.max(20, Math.min(1000, settings.finalizeAfter() / 5));
            finalizeTicker = resources.timer().scheduleWithFixedDelay(this::offerTick, period, period,
                    TimeUnit.MILLISECONDS);
        }
        connect();
    }

    private void connect() {
        fatal = null;
        FirefliesRealtimeClient c = new FirefliesRealtimeClient(settings.client(), resources.transport(),
                resources.timer(), resources.connector(), new ClientListener());
        client = c;
        LOG.info("Subscribing to {}", c.description());
        c.start();
    }

    /** Disconnects until {@link #resume()}; the first delivery after it is marked as after a gap. */
    public void suspend() {
        FirefliesRealtimeClient c = client;
        if (c != null) {
            suspendedAtNanos = System.nanoTime();
            c.stop();
            if (backfill != null) {
                lane.offer(BackfillMarkers.GAP_OPENED); // what is said until the resume is a gap
            }
        }
    }

    public void resume() {
        connect();
    }

    /** Subscribes again after the server ended the session (the meeting is still listed as in progress). */
    public void reconnectIfEnded() {
        FirefliesRealtimeClient c = client;
        if (c != null && c.state() == SocketIoSession.State.ENDED) {
            c.stop();
            if (backfill != null) {
                lane.offer(BackfillMarkers.GAP_OPENED); // what was said since the server ended the session is a gap
            }
            connect();
        }
    }

    /** Stops receiving; what already waits is still routed, then open segments are emitted final. */
    public void stopReceiving() {
        stopReceiving(java.util.List.of());
    }

    /** As {@link #stopReceiving()}, with an owner's item routed last (after the open segments), or null. */
    public void stopReceiving(Object last) {
        stopReceiving(last == null ? java.util.List.<Object> of() : java.util.List.of(last));
    }

    /** As {@link #stopReceiving()}, with an owner's items routed last (after the open segments), in order. */
    public void stopReceiving(java.util.List<?> last) {
        FirefliesRealtimeClient c = client;
        if (c != null) {
            c.stop();
        }
        ScheduledFuture<?> t = finalizeTicker;
        if (t != null) {
            t.cancel(false);
            finalizeTicker = null;
        }
        lane.offer(FLUSH);
        for (Object item : last) {
            lane.offer(item);
        }
        lane.close();
    }

    /** Offers an owner's item into the lane, in order with the events (e.g. a meeting lifecycle record). */
    public void offer(Object item) {
        lane.offer(item);
    }

    /**
     * Waits (bounded) until what waits has been routed; on the deadline, drops what still waits, with a warning.
     *
     * @return false when the deadline passed and what still waited was dropped
     */
    public boolean awaitDrained(long deadlineNanos) throws InterruptedException {
        boolean drained = lane.awaitIdle(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (!drained) {
            dropWaiting();
        }
        return drained;
    }

    /** Drops what waits for the route (a forced stop), with a warning; returns how many events were dropped. */
    public int dropWaiting() {
        int lost = lane.clear();
        if (lost > 0) {
            LOG.warn("Stopped {} with {} events still waiting for the route; they were dropped", description(), lost);
        }
        return lost;
    }

    // ------------------------------------------------------------------------------------ I/O thread: offer (or route)

    private final class ClientListener implements FirefliesRealtimeClient.Listener {

        @Override
        public void onEvent(RealtimeEvent event) {
            lastEventMillis = System.currentTimeMillis();
            if (settings.overflowPolicy() != OverflowPolicy.BLOCK) {
                lane.offer(event);
                return;
            }
            // backpressure: while the lane is full this I/O thread reads nothing more, so the WebSocket and TCP
            // windows fill and the server slows down; bounded below the server's heartbeat deadline
            FirefliesRealtimeClient c = client;
            long limit = stallLimitMillis(c);
            boolean inTime;
            try {
                if (settings.routeOnReader()) {
                    // a quick route runs here when nothing waits for it: no hand-off, no wake-up of a worker per
                    // event; the watchdog bounds an exchange that keeps the reader as a full queue is bounded
                    if (!watchdogArmed.get() && watchdogArmed.compareAndSet(false, true)) {
                        armWatchdog(limit);
                    }
                    inTime = lane.putOrHandle(event, TimeUnit.MILLISECONDS.toNanos(limit));
                } else {
                    inTime = lane.put(event, TimeUnit.MILLISECONDS.toNanos(limit));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lane.offer(event);
                return;
            }
            if (!inTime && !lane.isClosed() && c != null) {
                stalled(c, limit);
            }
        }

        @Override
        public void onError(FirefliesException error) {
            lane.offer(error);
        }

        @Override
        public void onFatal(FirefliesException error) {
            fatal = error;
            lane.offer(error);
            lane.offer(FLUSH); // nothing more will come: open segments are final
        }

        @Override
        public void onSessionEnded() {
            lane.offer(FLUSH); // the meeting is over: open segments are final
            sink.sessionEnded();
        }

        @Override
        public void onConnected(boolean reconnected, long gapMillis) {
            if (backfill != null) {
                lane.offer(new BackfillMarkers.Connected(reconnected, gapMillis)); // before the connection's first event
            }
        }

        @Override
        public void onConnectionLost(String reason, int attempt, long delayMillis) {
            if (backfill != null) {
                lane.offer(BackfillMarkers.GAP_OPENED);
            }
        }
    }

    /**
     * How long the reader may wait for room: half the server's {@code pingTimeout}. While it waits it reads no PING, so
     * a longer wait risks the server dropping the connection (after {@code pingInterval + pingTimeout}) at a moment of
     * its choosing, with the frames it had sent lost; letting go at half of it is our choice, and the reconnect can heal.
     */
    static long stallLimitMillis(FirefliesRealtimeClient c) {
        return Math.max(100, (c == null ? 20_000 : c.pingTimeoutMillis()) / 2);
    }

    private void armWatchdog(long delayMillis) {
        try {
            resources.timer().schedule(this::watchReader, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            watchdogArmed.set(false); // the timer is shut down: the stream is stopping
        }
    }

    /**
     * On the timer thread, armed by the reader (at most one pending): whether an exchange routed on the reader
     * ({@code routeOnReader}) has kept it past the stall limit. If so, the same as a full queue past the limit: counted,
     * said, and the connection let go. Goes on watching while that exchange runs; otherwise the next event arms it. So
     * an exchange that holds the reader is reported between one and two stall limits after it started.
     */
    private void watchReader() {
        FirefliesRealtimeClient c = client;
        long limit = stallLimitMillis(c);
        long since = lane.inlineSince();
        if (since == 0 || lane.isClosed() || c == null) {
            watchdogArmed.set(false);
            // an exchange that started just now, while the reader still saw this armed, is watched all the same
            if (c != null && lane.inlineSince() != 0 && !lane.isClosed() && watchdogArmed.compareAndSet(false, true)) {
                armWatchdog(limit);
            }
            return;
        }
        long ran = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        if (ran >= limit && since != stallReportedFor) {
            stallReportedFor = since;
            stalled(c, limit, "busy more than " + limit + " ms with one event (routeOnReader=true, overflowPolicy=BLOCK,"
                              + " queueSize=" + settings.queueSize() + "); the connection is let go",
                    "; the next events wait for the route");
        }
        armWatchdog(Math.max(1, ran >= limit ? limit : limit - ran));
    }

    /** The route kept the reader waiting past the limit: count it, say so, and let the connection go. */
    private void stalled(FirefliesRealtimeClient c, long limit) {
        stalled(c, limit, "waiting more than " + limit + " ms for room in the queue (queueSize=" + settings.queueSize()
                          + ", overflowPolicy=BLOCK); the waiting event was kept and the connection is let go", "");
    }

    /** A stall of either kind: counted, the connection let go, and said at once (not behind the stuck route). */
    private void stalled(FirefliesRealtimeClient c, long limit, String what, String after) {
        long n = stalls.incrementAndGet();
        String msg = "The route kept the reader of transcript " + settings.client().transcriptId() + " " + what
                     + " before the server drops it for a missed heartbeat; reconnecting" + after + " (" + n
                     + " stall(s) so far)";
        c.abandonConnection("the route stalled the reader for " + limit + " ms");
        // at once, not behind the route that is stuck
        sink.report(new FirefliesException.RouteStalledException(settings.client().transcriptId(), msg));
    }

    /** On the timer thread: asks the lane for a finality check, at most one waiting at a time. */
    private void offerTick() {
        if (openChunks > 0 && lane.size() < lane.capacity() && tickQueued.compareAndSet(false, true)) {
            lane.offer(TICK);
        }
    }

    private void onDropped(Object item) {
        if (item == TICK) {
            tickQueued.set(false);
        } else if (backfill != null && BackfillMarkers.isMarker(item)) {
            backfill.markerLost(item);
        } else if (item != FLUSH) {
            dropsToReport.incrementAndGet();
        }
    }

    // ------------------------------------------------------------------------------------ on the lane (one thread at a time)

    private boolean handle(Object item, Runnable resume) {
        if (backfill == null || !backfill.intercept(item)) {
            process(item);
        }
        reportDrops();
        return routeWaiting(resume);
    }

    /** One item, on the lane: through the emit mode, or straight to the sink. */
    private void process(Object item) {
        if (item == TICK) {
            tickQueued.set(false);
            if (backfill == null || !backfill.freezesFinality()) {
                emitted(tracker.tick(nowMillis()));
            }
        } else if (item == FLUSH) {
            if (backfill != null) {
                backfill.abandon();
            }
            emitted(tracker.flushAll());
        } else if (item instanceof RealtimeEvent event && event.transcription() != null) {
            if (event.reconnected()) {
                if (gapMarkedByBackfill) {
                    gapMarkedByBackfill = false; // the first healed segment carried it
                } else {
                    pendingGapMillis = event.gapMillis();
                }
            }
            sourceReceivedNanos = event.receivedNanos();
            emitted(tracker.accept(event.transcription(), nowMillis()));
            sourceReceivedNanos = 0;
        } else if (item instanceof RealtimeEvent event) {
            toRoute.add(new Routing(event, null, null));
        } else if (item instanceof FirefliesException error) {
            sink.report(error);
        } else {
            toRoute.add(new Routing(null, null, item));
        }
    }

    /** What the backfill asks of this stream, on the lane. */
    private final class StreamBackfillHost implements BackfillHost {

        @Override
        public boolean offer(Object item) {
            return lane.offer(item);
        }

        @Override
        public void process(Object item) {
            TranscriptStream.this.process(item);
        }

        @Override
        public TranscriptionEvent transcription(Object item) {
            return item instanceof RealtimeEvent e ? e.transcription() : null;
        }

        @Override
        public Double firstLiveStart() {
            return tracker.firstLiveStart();
        }

        @Override
        public long merge(SentenceMerge.Backfill sentences, long gapMillis) {
            List<ChunkTracker.Emission> out = tracker.acceptBackfill(sentences, nowMillis());
            if (!out.isEmpty() && gapMillis >= 0) {
                pendingGapMillis = gapMillis; // the first healed segment carries the gap
                gapMarkedByBackfill = true;
            }
            emitted(out);
            return out.stream().filter(ChunkTracker.Emission::backfill).count();
        }

        @Override
        public void gapOpened() {
            gapMarkedByBackfill = false;
        }

        @Override
        public void report(FirefliesException error) {
            sink.report(error);
        }
    }

    private void reportDrops() {
        long drops = dropsToReport.getAndSet(0);
        if (drops > 0) {
            String msg = "Dropped " + drops + " event(s) of transcript " + settings.client().transcriptId()
                         + " because the route is slower than the meeting (queueSize=" + settings.queueSize()
                         + ", overflowPolicy=" + settings.overflowPolicy() + "); " + lane.dropped() + " dropped in all";
            sink.report(new FirefliesException.BufferOverflowException(settings.client().transcriptId(), msg));
        }
    }

    private void emitted(List<ChunkTracker.Emission> emissions) {
        for (ChunkTracker.Emission e : emissions) {
            if (e.backfill()) {
                backfilled.incrementAndGet();
            }
            long gap = pendingGapMillis;
            pendingGapMillis = -1;
            toRoute.add(new Routing(new RealtimeEvent(FirefliesEvents.TRANSCRIPTION, settings.client().transcriptId(),
                    e.event(), null, gap >= 0, Math.max(0, gap),
                    sourceReceivedNanos != 0 ? sourceReceivedNanos : System.nanoTime()), e, null));
        }
        openChunks = tracker.openChunks();
    }

    /**
     * Routes what waits, in order. An asynchronous route holds the rest back until it is done; then routing goes on
     * from its callback and the lane is resumed once nothing waits.
     */
    private boolean routeWaiting(Runnable resume) {
        Routing r;
        while ((r = toRoute.poll()) != null) {
            Runnable next = () -> {
                delivered.incrementAndGet();
                if (routeWaiting(resume)) {
                    resume.run();
                }
            };
            boolean sync = r.other() != null ? sink.routeOther(r.other(), next) : deliver(r.event(), r.emission(), next);
            if (!sync) {
                return false;
            }
            delivered.incrementAndGet();
        }
        return true;
    }

    /** Marks the first delivery after a suspension as after a gap, then hands it to the sink. */
    private boolean deliver(RealtimeEvent event, ChunkTracker.Emission emission, Runnable done) {
        long resumed = suspendedAtNanos;
        if (!event.reconnected() && resumed != 0) {
            suspendedAtNanos = 0;
            event = new RealtimeEvent(event.name(), event.transcriptId(), event.transcription(), event.argument(), true,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumed), event.receivedNanos());
        }
        return sink.route(event, emission, done);
    }

    private static long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    // ------------------------------------------------------------------------------------ observation

    /** How logs name this stream (no secret in it). */
    public String description() {
        FirefliesRealtimeClient c = client;
        return c == null ? "transcript " + settings.client().transcriptId() : c.description();
    }

    public String transcriptId() {
        return settings.client().transcriptId();
    }

    public Settings settings() {
        return settings;
    }

    /** Where the connection is now. */
    public SocketIoSession.State state() {
        FirefliesRealtimeClient c = client;
        return c == null ? SocketIoSession.State.NEW : c.state();
    }

    /**
     * Whether the stream stopped before its backfill brought what the socket missed (a fetch in flight or waiting,
     * or, with {@code backfill=all}, no connect at all): then its owner cannot tell that every segment was emitted.
     * False without a backfill.
     */
    public boolean backfillAbandoned() {
        return backfill != null && backfill.abandonedFetch();
    }

    /** The failure that stopped this stream for good, or null. */
    public FirefliesException fatalError() {
        return fatal;
    }

    /** A snapshot of the counters, for health checks, JMX and consoles. Never holds the key. */
    public StreamStats stats() {
        FirefliesRealtimeClient c = client;
        FirefliesException f = fatal;
        return new StreamStats(
                settings.client().transcriptId(),
                url,
                c == null ? SocketIoSession.State.NEW : c.stats().state(),
                c == null ? 0 : c.stats().eventsReceived(),
                delivered.get(),
                lane.dropped(),
                lane.size(),
                openChunks,
                c == null ? 0 : c.stats().reconnects(),
                c == null ? 0 : c.stats().failedAttempts(),
                f != null ? f.getMessage() : c == null ? null : c.stats().lastError(),
                lastEventMillis,
                f,
                backfill == null ? 0 : backfill.calls(),
                backfilled.get(),
                backfill == null ? 0 : backfill.pending(),
                stalls.get());
    }
}
