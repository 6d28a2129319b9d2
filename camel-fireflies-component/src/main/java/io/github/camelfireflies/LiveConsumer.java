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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.metrics.FirefliesMetrics;
import io.github.camelfireflies.api.FirefliesException;
import io.github.camelfireflies.internal.stream.RealtimeEvent;
import io.github.camelfireflies.internal.stream.StreamStats;
import io.github.camelfireflies.internal.stream.TranscriptStream;
import org.apache.camel.Endpoint;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.HealthCheckComponent;

/**
 * {@code from("fireflies:live?transcriptId=...")}: follows one meeting's live transcript through a
 * {@link TranscriptStream}. The WebSocket I/O thread decodes frames and answers pings; events are routed one at a
 * time, in arrival order, through the route's asynchronous processor: on the reader itself while nothing waits and the
 * route is quick ({@code routeOnReader}, the default), else on the component's worker pool.
 * <p>
 * Stopping: the connection is closed first (Camel suspends the consumer), the events already received are still
 * routed while Camel's shutdown strategy waits for them ({@link #getPendingExchangesSize()}), then open segments are
 * emitted final ({@code emit=final}) while the route still runs ({@link #prepareShutdown}), and the consumer stops. A
 * forced shutdown drops what still waits, with a warning. A consumer stopped directly (not through the shutdown
 * strategy) does the same in {@code doStop}, waiting at most 10 s.
 */
@ManagedResource(description = "Managed Fireflies live consumer")
public class LiveConsumer extends DefaultConsumer implements Suspendable, ShutdownAware {

    /** How long a stop waits for what the route has not taken yet when Camel's shutdown strategy did not wait. */
    private static final long STOP_DRAIN_MILLIS = 10_000;

    private final TranscriptStream.Factory streams;
    private final String transcriptId;
    private volatile TranscriptStream stream;
    private volatile FirefliesMetrics metrics = FirefliesMetrics.NONE;
    /** With {@code idempotentRepository} and {@code emit=final}: which final segments were emitted; else null. */
    private volatile EmittedSegments emittedSegments;

    public LiveConsumer(Endpoint endpoint, Processor processor, TranscriptStream.Factory streams, String transcriptId) {
        super(endpoint, processor);
        this.streams = Objects.requireNonNull(streams, "streams");
        this.transcriptId = Objects.requireNonNull(transcriptId, "transcriptId");
    }

    // ------------------------------------------------------------------------------------ lifecycle

    @Override
    protected void doBuild() throws Exception {
        // Camel's consumers health repository asks each route's consumer for its check (getHealthCheck below)
        if (super.getHealthCheck() == null) {
            LiveHealthCheck check = new LiveHealthCheck(getRouteId(), this::stats);
            if (getEndpoint() instanceof FirefliesEndpoint e) {
                check.budget(e.clients()::budgetSnapshot);
            }
            setHealthCheck(check);
        }
        super.doBuild();
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (getEndpoint().getComponent() instanceof HealthCheckComponent c) {
            super.getHealthCheck().setEnabled(c.isHealthCheckConsumerEnabled());
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        emittedSegments = EmittedSegments.forConsumer(this);
        TranscriptStream s = streams.open(transcriptId, new Sink());
        stream = s;
        metrics = FirefliesMetrics.bind(getEndpoint().getCamelContext(), new FirefliesMetrics.Source("live",
                getRouteId(), () -> List.of(s.stats()), null, null,
                Map.of("backfill", () -> s.stats().backfillCalls())));
        s.start();
    }

    @Override
    protected void doStop() throws Exception {
        TranscriptStream s = stream;
        if (s != null) {
            // open segments are emitted final after what waits, while the route still takes exchanges
            s.stopReceiving();
            s.awaitDrained(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_DRAIN_MILLIS));
        }
        metrics.close();
        metrics = FirefliesMetrics.NONE;
        super.doStop();
    }

    @Override
    protected void doSuspend() throws Exception {
        TranscriptStream s = stream;
        if (s != null) {
            s.suspend();
        }
        super.doSuspend();
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        TranscriptStream s = stream;
        if (s != null) {
            s.resume();
        }
    }

    // ------------------------------------------------------------------------------------ ShutdownAware

    /** Not deferred: Camel suspends this consumer first (the connection closes), then waits for what is queued. */
    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        return false;
    }

    /** The events received but not routed yet: Camel's shutdown strategy waits for them. */
    @Override
    public int getPendingExchangesSize() {
        TranscriptStream s = stream;
        if (s == null) {
            return 0;
        }
        StreamStats st = s.stats();
        return st.queued() + st.backfillPending(); // what waits behind a backfill is pending too
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        TranscriptStream s = stream;
        if (s == null) {
            return;
        }
        if (forced) {
            s.dropWaiting(); // the shutdown timeout passed
        } else if (!suspendOnly) {
            // the route still takes exchanges here (not later, in doStop): emit open segments final now
            s.stopReceiving();
            try {
                s.awaitDrained(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_DRAIN_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------------------------ routing (on the stream's lane)

    private final class Sink implements TranscriptStream.Sink {

        @Override
        public boolean route(RealtimeEvent event, ChunkTracker.Emission emission, Runnable done) {
            EmittedSegments emitted = emittedSegments;
            Consumer<Message> bind = m -> {
                metrics.eventRouted(event.receivedNanos()); // here: a segment skipped as emitted before is not routed
                FirefliesBinding.bindEvent(m, event, emission);
            };
            return emitted == null ? FirefliesBinding.route(LiveConsumer.this, bind, done)
                    : emitted.route(LiveConsumer.this, event, emission, bind, done);
        }

        @Override
        public void report(FirefliesException error) {
            getExceptionHandler().handleException(error.getMessage(), error);
        }
    }

    // ------------------------------------------------------------------------------------ observation (JMX, health)

    /** The readiness check of this consumer, or null when {@code healthCheckConsumerEnabled=false}. */
    @Override
    public HealthCheck getHealthCheck() {
        HealthCheck check = super.getHealthCheck();
        return check != null && check.isEnabled() ? check : null;
    }

    /** A snapshot of this consumer's counters, or null before it started. */
    public StreamStats stats() {
        TranscriptStream s = stream;
        return s == null ? null : s.stats();
    }

    /** The failure that stopped this consumer for good, or null. */
    public FirefliesException getFatalError() {
        TranscriptStream s = stream;
        return s == null ? null : s.fatalError();
    }

    @ManagedAttribute(description = "Transcript id of the meeting")
    public String getTranscriptId() {
        return transcriptId;
    }

    @ManagedAttribute(description = "Connection state: NEW, CONNECTING, CONNECTED, RECONNECT_WAIT, STOPPED, ENDED, FAILED")
    public String getConnectionState() {
        StreamStats s = stats();
        return s == null ? "NEW" : s.state().name();
    }

    @ManagedAttribute(description = "Socket.IO events received from the server")
    public long getEventsReceived() {
        StreamStats s = stats();
        return s == null ? 0 : s.eventsReceived();
    }

    @ManagedAttribute(description = "Exchanges routed")
    public long getEventsDelivered() {
        StreamStats s = stats();
        return s == null ? 0 : s.delivered();
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

    @ManagedAttribute(description = "Events dropped because the queue was full")
    public long getEventsDropped() {
        StreamStats s = stats();
        return s == null ? 0 : s.dropped();
    }

    @ManagedAttribute(description = "Times the route kept the reader waiting past the stall limit (overflowPolicy=BLOCK):"
                                    + " each time the connection was let go and a reconnect followed")
    public long getRouteStalls() {
        StreamStats s = stats();
        return s == null ? 0 : s.stalls();
    }

    @ManagedAttribute(description = "Events waiting for the route")
    public int getQueuedEvents() {
        StreamStats s = stats();
        return s == null ? 0 : s.queued();
    }

    @ManagedAttribute(description = "GraphQL calls made to fetch what the socket missed (backfill)")
    public long getBackfillCalls() {
        StreamStats s = stats();
        return s == null ? 0 : s.backfillCalls();
    }

    @ManagedAttribute(description = "Transcription exchanges whose text came from the backfill (CamelFirefliesBackfill)")
    public long getBackfilledEvents() {
        StreamStats s = stats();
        return s == null ? 0 : s.backfilled();
    }

    @ManagedAttribute(description = "Segments not yet emitted as final (emit=final)")
    public int getOpenChunks() {
        StreamStats s = stats();
        return s == null ? 0 : s.openChunks();
    }

    @ManagedAttribute(description = "Successful reconnects")
    public long getReconnects() {
        StreamStats s = stats();
        return s == null ? 0 : s.reconnects();
    }

    @ManagedAttribute(description = "Failed connect attempts in a row")
    public int getFailedAttempts() {
        StreamStats s = stats();
        return s == null ? 0 : s.failedAttempts();
    }

    @ManagedAttribute(description = "The last connection error, if any")
    public String getLastError() {
        StreamStats s = stats();
        return s == null ? null : s.lastError();
    }

    @ManagedAttribute(description = "When the last event was received (ISO-8601), or null")
    public String getLastEventTime() {
        StreamStats s = stats();
        return s == null || s.lastEventMillis() == 0 ? null : Instant.ofEpochMilli(s.lastEventMillis()).toString();
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
