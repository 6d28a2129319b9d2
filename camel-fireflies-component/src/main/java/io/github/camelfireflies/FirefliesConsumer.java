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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
import javax.net.ssl.SSLContext;

import jakarta.websocket.WebSocketContainer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.glassfish.tyrus.client.ClientManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one meeting's live transcript. The WebSocket I/O thread only decodes frames and answers pings; events are
 * handed to an {@link OrderedLane} and routed on the component's worker pool, one at a time, in arrival order.
 */
@ManagedResource(description = "Managed Fireflies live consumer")
public class FirefliesConsumer extends DefaultConsumer implements Suspendable, HealthCheckAware {

    private static final Logger LOG = LoggerFactory.getLogger(FirefliesConsumer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long STOP_DRAIN_MILLIS = 10_000;

    private final FirefliesConfiguration configuration;
    private volatile FirefliesRealtimeClient client;
    private OrderedLane<Object> lane;
    private volatile FirefliesConsumerHealthCheck healthCheck;
    private WritableHealthCheckRepository healthCheckRepository;
    private ClientManager ownContainer;

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropsToReport = new AtomicLong();
    private volatile long lastEventMillis;
    private volatile FirefliesException fatal;
    private volatile long suspendedAtNanos;

    // revision tracking (#4): the tracker is used on the lane's worker thread only; the timer only enqueues TICK
    private static final Object TICK = new Object();
    private static final Object FLUSH = new Object();
    private ChunkTracker tracker;
    private ScheduledFuture<?> finalizeTicker;
    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private volatile int openChunks;
    private long pendingGapMillis = -1; // a reconnect seen on an event that emitted nothing (worker thread only)

    public FirefliesConsumer(FirefliesEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    public FirefliesEndpoint getEndpoint() {
        return (FirefliesEndpoint) super.getEndpoint();
    }

    // ------------------------------------------------------------------------------------ lifecycle

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        lane = new OrderedLane<>(getEndpoint().getComponent().workerPool(), configuration.getQueueSize(),
                configuration.getOverflowPolicy(), this::handle, this::onDropped);
        startTracking();

        // Camel 4's consumers repository asks each route's consumer for its check (HealthCheckAware below); the
        // writable "components" repository is looked up as well, in case a runtime provides one
        healthCheck = new FirefliesConsumerHealthCheck(this, getRouteId());
        healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckConsumerEnabled());
        healthCheckRepository = HealthCheckHelper.getHealthCheckRepository(getEndpoint().getCamelContext(), "components",
                WritableHealthCheckRepository.class);
        if (healthCheckRepository != null) {
            healthCheckRepository.addHealthCheck(healthCheck);
        }
        connect();
    }

    private void connect() {
        fatal = null;
        FirefliesRealtimeClient c = new FirefliesRealtimeClient(getEndpoint().clientOptions(), transport(),
                getEndpoint().getComponent().timer(), getEndpoint().getComponent().ioPool(), new ClientListener());
        client = c;
        LOG.info("Subscribing to {}", c.description());
        c.start();
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
                sslContext = ssl.createSSLContext(getEndpoint().getCamelContext());
            } catch (Exception e) {
                throw new IllegalStateException("Cannot create the SSLContext from sslContextParameters: " + e.getMessage(),
                        e);
            }
            DefaultContainers.addTlsUserProperties(sslContext, props);
        }
        FirefliesComponent component = getEndpoint().getComponent();
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

    @Override
    protected void doStop() throws Exception {
        FirefliesRealtimeClient c = client;
        if (c != null) {
            c.stop();
        }
        stopTicker();
        if (lane != null) {
            lane.offer(FLUSH); // open chunks are emitted final after what waits, while the route still takes exchanges
            lane.close();
            if (!lane.awaitIdle(STOP_DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                int lost = lane.clear();
                LOG.warn("Stopped {} with {} events still waiting for the route; they were dropped",
                        c == null ? getEndpoint() : c.description(), lost);
            } else {
                flush(); // in case FLUSH itself did not fit into a full lane; the lane is idle, so no overlap
            }
        }
        if (ownContainer != null) {
            ownContainer.shutdown();
            ownContainer = null;
        }
        if (healthCheckRepository != null && healthCheck != null) {
            healthCheckRepository.removeHealthCheck(healthCheck);
            healthCheckRepository = null;
        }
        super.doStop();
    }

    @Override
    protected void doSuspend() throws Exception {
        FirefliesRealtimeClient c = client;
        if (c != null) {
            suspendedAtNanos = System.nanoTime();
            c.stop();
        }
        super.doSuspend();
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        connect();
    }

    // ------------------------------------------------------------------------------------ routing (worker thread)

    private void handle(Object item) {
        if (item == TICK) {
            tickQueued.set(false);
            routeAll(tracker.tick(nowMillis()));
        } else if (item == FLUSH) {
            flush();
        } else if (item instanceof RealtimeEvent event && event.transcription() != null && tracker != null) {
            track(event);
        } else if (item instanceof RealtimeEvent event) {
            route(event, null);
        } else if (item instanceof FirefliesException error) {
            getExceptionHandler().handleException(error.getMessage(), error);
        }
        long drops = dropsToReport.getAndSet(0);
        if (drops > 0) {
            String msg = "Dropped " + drops + " event(s) of transcript " + getEndpoint().getTranscriptId()
                         + " because the route is slower than the meeting (queueSize=" + configuration.getQueueSize()
                         + ", overflowPolicy=" + configuration.getOverflowPolicy() + "); " + lane.dropped()
                         + " dropped in all";
            getExceptionHandler().handleException(msg,
                    new FirefliesException.BufferOverflowException(getEndpoint().getTranscriptId(), msg));
        }
    }

    // ------------------------------------------------------------------------------------ revisions (worker thread)

    private void startTracking() {
        tracker = new ChunkTracker(getEndpoint().emitMode(), configuration.getFinalizeAfter());
        openChunks = 0;
        if (tracker.mode() == ChunkTracker.Mode.FINAL) {
            long period = Math.max(20, Math.min(1000, configuration.getFinalizeAfter() / 5));
            finalizeTicker = getEndpoint().getComponent().timer().scheduleWithFixedDelay(this::offerTick, period, period,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void stopTicker() {
        ScheduledFuture<?> t = finalizeTicker;
        if (t != null) {
            t.cancel(false);
            finalizeTicker = null;
        }
    }

    /** On the timer thread: asks the lane for a finality check, at most one waiting at a time. */
    private void offerTick() {
        OrderedLane<Object> l = lane;
        if (l != null && openChunks > 0 && l.size() < l.capacity() && tickQueued.compareAndSet(false, true)) {
            l.offer(TICK);
        }
    }

    private void onDropped(Object item) {
        if (item == TICK) {
            tickQueued.set(false);
        } else if (item != FLUSH) {
            dropsToReport.incrementAndGet();
        }
    }

    private static long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    private void track(RealtimeEvent event) {
        if (event.reconnected()) {
            pendingGapMillis = event.gapMillis();
        }
        routeAll(tracker.accept(event.transcription(), nowMillis()));
    }

    private void flush() {
        if (tracker != null) {
            routeAll(tracker.flushAll());
        }
    }

    private void routeAll(List<ChunkTracker.Emission> emissions) {
        for (ChunkTracker.Emission e : emissions) {
            long gap = pendingGapMillis;
            pendingGapMillis = -1;
            route(new RealtimeEvent(FirefliesEvents.TRANSCRIPTION, getEndpoint().getTranscriptId(), e.event(), null,
                    gap >= 0, Math.max(0, gap)), e);
        }
        openChunks = tracker.openChunks();
    }

    private void route(RealtimeEvent event, ChunkTracker.Emission emission) {
        Exchange exchange = createExchange(false);
        try {
            Message message = exchange.getMessage();
            message.setHeader(FirefliesConstants.EVENT, event.name());
            message.setHeader(FirefliesConstants.TRANSCRIPT_ID, event.transcriptId());
            TranscriptionEvent te = event.transcription();
            if (te != null) {
                message.setHeader(FirefliesConstants.TRANSCRIPT_ID, te.transcriptId());
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
            long resumed = suspendedAtNanos;
            if (event.reconnected()) {
                message.setHeader(FirefliesConstants.RECONNECTED, Boolean.TRUE);
                message.setHeader(FirefliesConstants.GAP_MILLIS, event.gapMillis());
            } else if (resumed != 0) {
                suspendedAtNanos = 0;
                message.setHeader(FirefliesConstants.RECONNECTED, Boolean.TRUE);
                message.setHeader(FirefliesConstants.GAP_MILLIS,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumed));
            }
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            delivered.incrementAndGet();
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing exchange", exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }

    private static Object toPlain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return MAPPER.convertValue(node, Object.class);
    }

    /** Runs on the WebSocket I/O thread: hands everything to the lane, never routes here. */
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
            LOG.warn("{}", error.getMessage());
            lane.offer(error);
            lane.offer(FLUSH); // nothing more will come: open chunks are final
        }

        @Override
        public void onSessionEnded() {
            lane.offer(FLUSH); // the meeting is over: open chunks are final
        }
    }

    // ------------------------------------------------------------------------------------ observation (JMX, health)

    /** The readiness check of this consumer, or null when {@code healthCheckConsumerEnabled=false}. */
    @Override
    public HealthCheck getHealthCheck() {
        FirefliesConsumerHealthCheck check = healthCheck;
        return check != null && check.isEnabled() ? check : null;
    }

    FirefliesRealtimeClient client() {
        return client;
    }

    /** The failure that stopped this consumer for good, or null. */
    public FirefliesException getFatalError() {
        return fatal;
    }

    @ManagedAttribute(description = "Transcript id of the meeting")
    public String getTranscriptId() {
        return getEndpoint().getTranscriptId();
    }

    @ManagedAttribute(description = "Connection state: NEW, CONNECTING, CONNECTED, RECONNECT_WAIT, STOPPED, ENDED, FAILED")
    public String getConnectionState() {
        FirefliesRealtimeClient c = client;
        return c == null ? SocketIoSession.State.NEW.name() : c.session().state().name();
    }

    @ManagedAttribute(description = "Socket.IO events received from the server")
    public long getEventsReceived() {
        FirefliesRealtimeClient c = client;
        return c == null ? 0 : c.session().eventsReceived();
    }

    @ManagedAttribute(description = "Exchanges routed")
    public long getEventsDelivered() {
        return delivered.get();
    }

    @ManagedAttribute(description = "Events dropped because the queue was full")
    public long getEventsDropped() {
        return lane == null ? 0 : lane.dropped();
    }

    @ManagedAttribute(description = "Events waiting for the route")
    public int getQueuedEvents() {
        return lane == null ? 0 : lane.size();
    }

    @ManagedAttribute(description = "Segments not yet emitted as final (emit=final)")
    public int getOpenChunks() {
        return openChunks;
    }

    @ManagedAttribute(description = "Successful reconnects")
    public long getReconnects() {
        FirefliesRealtimeClient c = client;
        return c == null ? 0 : c.session().reconnects();
    }

    @ManagedAttribute(description = "Failed connect attempts in a row")
    public int getFailedAttempts() {
        FirefliesRealtimeClient c = client;
        return c == null ? 0 : c.session().failedAttempts();
    }

    @ManagedAttribute(description = "The last connection error, if any")
    public String getLastError() {
        FirefliesException f = fatal;
        if (f != null) {
            return f.getMessage();
        }
        FirefliesRealtimeClient c = client;
        return c == null ? null : c.session().lastError();
    }

    @ManagedAttribute(description = "When the last event was received (ISO-8601), or null")
    public String getLastEventTime() {
        long t = lastEventMillis;
        return t == 0 ? null : Instant.ofEpochMilli(t).toString();
    }

    long lastEventMillis() {
        return lastEventMillis;
    }
}
