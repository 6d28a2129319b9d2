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

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.event.ChunkTracker;
import io.github.camelfireflies.event.TranscriptionEvent;
import io.github.camelfireflies.realtime.FirefliesEvents;
import io.github.camelfireflies.realtime.FirefliesException;
import io.github.camelfireflies.realtime.FirefliesRealtimeClient;
import io.github.camelfireflies.realtime.OrderedLane;
import io.github.camelfireflies.realtime.RealtimeEvent;
import io.github.camelfireflies.socketio.JakartaWebSocketTransport;
import io.github.camelfireflies.socketio.SocketIoSession;
import io.github.camelfireflies.socketio.WebSocketTransport;
import jakarta.websocket.WebSocketContainer;
import org.apache.camel.Message;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.glassfish.tyrus.client.ClientManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One meeting followed live by a consumer: its realtime client, the ordered lane from the WebSocket I/O thread to the
 * worker pool, revision tracking ({@code emit} modes), drop reporting, and the container it connects with.
 * {@link FirefliesConsumer} owns one; {@link MeetingsConsumer} one per meeting it streams. What becomes an exchange is
 * the {@link Sink}'s business; everything here runs either on the I/O thread (offer only) or on the lane.
 */
final class LiveSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSubscription.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Object TICK = new Object();
    private static final Object FLUSH = new Object();

    /** Routes what the subscription hands over, on the lane's worker thread, one item at a time. */
    interface Sink {

        /** A Socket.IO event, with its revision bookkeeping when it is a transcription (else null). */
        void route(RealtimeEvent event, ChunkTracker.Emission emission);

        /** An item the owner offered itself (e.g. a meeting lifecycle record). */
        default void routeOther(Object item) {
        }
    }

    private final FirefliesEndpoint endpoint;
    private final FirefliesConfiguration configuration;
    private final FirefliesRealtimeClient.Options options;
    private final Supplier<ExceptionHandler> exceptionHandler;
    private final Sink sink;
    private final OrderedLane<Object> lane;
    private final ChunkTracker tracker;
    private ClientManager ownContainer;
    private volatile FirefliesRealtimeClient client;
    private ScheduledFuture<?> finalizeTicker;

    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private final AtomicLong dropsToReport = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private volatile long lastEventMillis;
    private volatile FirefliesException fatal;
    private volatile int openChunks;
    private volatile long suspendedAtNanos;
    // worker thread only: a reconnect seen on an event that emitted nothing is reported on the next exchange
    private long pendingGapMillis = -1;

    LiveSubscription(FirefliesEndpoint endpoint, FirefliesRealtimeClient.Options options,
                     Supplier<ExceptionHandler> exceptionHandler, Sink sink) {
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
        this.options = options;
        this.exceptionHandler = exceptionHandler;
        this.sink = sink;
        this.lane = new OrderedLane<>(endpoint.getComponent().workerPool(), configuration.getQueueSize(),
                configuration.getOverflowPolicy(), this::handle, this::onDropped);
        this.tracker = new ChunkTracker(endpoint.emitMode(), configuration.getFinalizeAfter());
    }

    // ------------------------------------------------------------------------------------ lifecycle

    /** Starts the finality timer (emit=final) and connects. */
    void start() {
        if (tracker.mode() == ChunkTracker.Mode.FINAL && finalizeTicker == null) {
            long period = Math.max(20, Math.min(1000, configuration.getFinalizeAfter() / 5));
            finalizeTicker = endpoint.getComponent().timer().scheduleWithFixedDelay(this::offerTick, period, period,
                    TimeUnit.MILLISECONDS);
        }
        connect();
    }

    private void connect() {
        fatal = null;
        FirefliesRealtimeClient c = new FirefliesRealtimeClient(options, transport(), endpoint.getComponent().timer(),
                endpoint.getComponent().ioPool(), new ClientListener());
        client = c;
        LOG.info("Subscribing to {}", c.description());
        c.start();
    }

    /** Disconnects until {@link #resume()}; the first exchange after it is marked as after a gap. */
    void suspend() {
        FirefliesRealtimeClient c = client;
        if (c != null) {
            suspendedAtNanos = System.nanoTime();
            c.stop();
        }
    }

    void resume() {
        connect();
    }

    /** Subscribes again after the server ended the session (discovery, when the meeting is still listed). */
    void reconnectIfEnded() {
        FirefliesRealtimeClient c = client;
        if (c != null && c.session().state() == SocketIoSession.State.ENDED) {
            c.stop();
            connect();
        }
    }

    /** Stops receiving; what already waits is still routed, then open segments are emitted final. */
    void stopReceiving() {
        stopReceiving(null);
    }

    /** As {@link #stopReceiving()}, with an owner's item routed last (after the open segments), or null. */
    void stopReceiving(Object last) {
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
        if (last != null) {
            lane.offer(last);
        }
        lane.close();
    }

    /** Offers an owner's item into the lane, in order with the events (e.g. a meeting lifecycle record). */
    void offer(Object item) {
        lane.offer(item);
    }

    /**
     * Waits (bounded) for what waits to be routed, then releases the container of its own, if any.
     *
     * @return false when the deadline passed and what still waited was dropped
     */
    boolean drainAndRelease(long deadlineNanos) throws InterruptedException {
        boolean drained = lane.awaitIdle(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (drained) {
            flush(); // in case FLUSH did not fit into a full lane; the lane is idle, so nothing overlaps
        } else {
            int lost = lane.clear();
            LOG.warn("Stopped {} with {} events still waiting for the route; they were dropped", description(), lost);
        }
        if (ownContainer != null) {
            ownContainer.shutdown();
            ownContainer = null;
        }
        return drained;
    }

    /**
     * The endpoint's container if it has one; else the component's shared one, unless this endpoint needs TLS
     * settings or a larger frame limit than the shared one has: then a container of its own, closed on stop.
     */
    private WebSocketTransport transport() {
        Map<String, Object> props = new HashMap<>();
        SSLContext sslContext = null;
        SSLContextParameters ssl = configuration.getSslContextParameters();
        if (ssl != null) {
            try {
                sslContext = ssl.createSSLContext(endpoint.getCamelContext());
            } catch (Exception e) {
                throw new IllegalStateException("Cannot create the SSLContext from sslContextParameters: " + e.getMessage(),
                        e);
            }
            DefaultContainers.addTlsUserProperties(sslContext, props);
        }
        FirefliesComponent component = endpoint.getComponent();
        WebSocketContainer container = configuration.getWebSocketContainer();
        if (container == null) {
            if (sslContext == null
                    && configuration.getMaxMessageSize() <= component.getConfiguration().getMaxMessageSize()) {
                container = component.defaultContainer();
            } else {
                if (ownContainer == null) {
                    ownContainer = DefaultContainers.tyrus(configuration.getMaxMessageSize(), sslContext);
                }
                container = ownContainer;
            }
        }
        return new JakartaWebSocketTransport(container, configuration.getMaxMessageSize(), props);
    }

    // ------------------------------------------------------------------------------------ I/O thread: offer only

    private final class ClientListener implements FirefliesRealtimeClient.Listener {

        @Override
        public void onEvent(RealtimeEvent event) {
            lastEventMillis = System.currentTimeMillis();
            lane.offer(event);
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
        }
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
        } else if (item != FLUSH) {
            dropsToReport.incrementAndGet();
        }
    }

    // ------------------------------------------------------------------------------------ worker thread

    private void handle(Object item) {
        if (item == TICK) {
            tickQueued.set(false);
            routeAll(tracker.tick(nowMillis()));
        } else if (item == FLUSH) {
            flush();
        } else if (item instanceof RealtimeEvent event && event.transcription() != null) {
            if (event.reconnected()) {
                pendingGapMillis = event.gapMillis();
            }
            routeAll(tracker.accept(event.transcription(), nowMillis()));
        } else if (item instanceof RealtimeEvent event) {
            deliver(event, null);
        } else if (item instanceof FirefliesException error) {
            exceptionHandler.get().handleException(error.getMessage(), error);
        } else {
            sink.routeOther(item);
        }
        long drops = dropsToReport.getAndSet(0);
        if (drops > 0) {
            String msg = "Dropped " + drops + " event(s) of transcript " + options.transcriptId()
                         + " because the route is slower than the meeting (queueSize=" + configuration.getQueueSize()
                         + ", overflowPolicy=" + configuration.getOverflowPolicy() + "); " + lane.dropped()
                         + " dropped in all";
            exceptionHandler.get().handleException(msg,
                    new FirefliesException.BufferOverflowException(options.transcriptId(), msg));
        }
    }

    private void flush() {
        routeAll(tracker.flushAll());
    }

    private void routeAll(List<ChunkTracker.Emission> emissions) {
        for (ChunkTracker.Emission e : emissions) {
            long gap = pendingGapMillis;
            pendingGapMillis = -1;
            deliver(new RealtimeEvent(FirefliesEvents.TRANSCRIPTION, options.transcriptId(), e.event(), null, gap >= 0,
                    Math.max(0, gap)), e);
        }
        openChunks = tracker.openChunks();
    }

    /** Marks the first exchange after a suspension as after a gap, then hands it to the sink. */
    private void deliver(RealtimeEvent event, ChunkTracker.Emission emission) {
        long resumed = suspendedAtNanos;
        if (!event.reconnected() && resumed != 0) {
            suspendedAtNanos = 0;
            event = new RealtimeEvent(event.name(), event.transcriptId(), event.transcription(), event.argument(), true,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumed));
        }
        try {
            sink.route(event, emission);
        } finally {
            delivered.incrementAndGet();
        }
    }

    private static long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    /**
     * Sets the body and the headers of an exchange for one event: the one place that knows the header contract of a
     * live event.
     */
    static void fill(Message message, RealtimeEvent event, ChunkTracker.Emission emission) {
        TranscriptionEvent te = event.transcription();
        message.setHeader(FirefliesConstants.EVENT, event.name());
        message.setHeader(FirefliesConstants.TRANSCRIPT_ID,
                te != null && te.transcriptId() != null ? te.transcriptId() : event.transcriptId());
        if (te != null) {
            message.setHeader(FirefliesConstants.CHUNK_ID, te.chunkId());
            if (te.speakerName() != null) {
                message.setHeader(FirefliesConstants.SPEAKER_NAME, te.speakerName());
            }
            if (te.startTime() != null) {
                message.setHeader(FirefliesConstants.START_TIME, te.startTime());
            }
            if (te.endTime() != null) {
                message.setHeader(FirefliesConstants.END_TIME, te.endTime());
            }
            if (emission != null) {
                message.setHeader(FirefliesConstants.CHUNK_REVISION, emission.revision());
                message.setHeader(FirefliesConstants.CHUNK_FINAL, emission.last());
                message.setHeader(FirefliesConstants.CORRECTION, emission.correction());
            }
            message.setBody(te);
        } else {
            message.setBody(toPlain(event.argument()));
        }
        if (event.reconnected()) {
            message.setHeader(FirefliesConstants.RECONNECTED, Boolean.TRUE);
            message.setHeader(FirefliesConstants.GAP_MILLIS, event.gapMillis());
        }
    }

    private static Object toPlain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return MAPPER.convertValue(node, Object.class);
    }

    // ------------------------------------------------------------------------------------ observation

    FirefliesRealtimeClient client() {
        return client;
    }

    String description() {
        FirefliesRealtimeClient c = client;
        return c == null ? "transcript " + options.transcriptId() : c.description();
    }

    SocketIoSession.State state() {
        FirefliesRealtimeClient c = client;
        return c == null ? SocketIoSession.State.NEW : c.session().state();
    }

    FirefliesException fatalError() {
        return fatal;
    }

    long eventsReceived() {
        FirefliesRealtimeClient c = client;
        return c == null ? 0 : c.session().eventsReceived();
    }

    long delivered() {
        return delivered.get();
    }

    long dropped() {
        return lane.dropped();
    }

    int queued() {
        return lane.size();
    }

    int openChunks() {
        return openChunks;
    }

    long reconnects() {
        FirefliesRealtimeClient c = client;
        return c == null ? 0 : c.session().reconnects();
    }

    int failedAttempts() {
        FirefliesRealtimeClient c = client;
        return c == null ? 0 : c.session().failedAttempts();
    }

    String lastError() {
        FirefliesException f = fatal;
        if (f != null) {
            return f.getMessage();
        }
        FirefliesRealtimeClient c = client;
        return c == null ? null : c.session().lastError();
    }

    long lastEventMillis() {
        return lastEventMillis;
    }
}
