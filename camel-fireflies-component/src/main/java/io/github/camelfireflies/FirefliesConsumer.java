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
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.event.ChunkTracker;
import io.github.camelfireflies.realtime.FirefliesException;
import io.github.camelfireflies.realtime.FirefliesRealtimeClient;
import io.github.camelfireflies.realtime.RealtimeEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.support.DefaultConsumer;

/**
 * Follows one meeting's live transcript through a {@link LiveSubscription}: the WebSocket I/O thread only decodes
 * frames and answers pings; events are routed on the component's worker pool, one at a time, in arrival order.
 */
@ManagedResource(description = "Managed Fireflies live consumer")
public class FirefliesConsumer extends DefaultConsumer implements Suspendable, HealthCheckAware {

    private static final long STOP_DRAIN_MILLIS = 10_000;

    private volatile LiveSubscription subscription;
    private volatile FirefliesConsumerHealthCheck healthCheck;

    public FirefliesConsumer(FirefliesEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public FirefliesEndpoint getEndpoint() {
        return (FirefliesEndpoint) super.getEndpoint();
    }

    // ------------------------------------------------------------------------------------ lifecycle

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // Camel's consumers health repository asks each route's consumer for its check (HealthCheckAware below)
        healthCheck = new FirefliesConsumerHealthCheck(this, getRouteId());
        healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckConsumerEnabled());
        LiveSubscription s = new LiveSubscription(getEndpoint(), getEndpoint().clientOptions(), this::getExceptionHandler,
                this::route);
        subscription = s;
        s.start();
    }

    @Override
    protected void doStop() throws Exception {
        LiveSubscription s = subscription;
        if (s != null) {
            // open segments are emitted final after what waits, while the route still takes exchanges
            s.stopReceiving();
            s.drainAndRelease(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_DRAIN_MILLIS));
        }
        super.doStop();
    }

    @Override
    protected void doSuspend() throws Exception {
        LiveSubscription s = subscription;
        if (s != null) {
            s.suspend();
        }
        super.doSuspend();
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        LiveSubscription s = subscription;
        if (s != null) {
            s.resume();
        }
    }

    /** On the worker thread: one event becomes one exchange. */
    private void route(RealtimeEvent event, ChunkTracker.Emission emission) {
        Exchange exchange = createExchange(false);
        try {
            LiveSubscription.fill(exchange.getMessage(), event, emission);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing exchange", exchange, exchange.getException());
            }
            releaseExchange(exchange, false);
        }
    }

    // ------------------------------------------------------------------------------------ observation (JMX, health)

    /** The readiness check of this consumer, or null when {@code healthCheckConsumerEnabled=false}. */
    @Override
    public HealthCheck getHealthCheck() {
        FirefliesConsumerHealthCheck check = healthCheck;
        return check != null && check.isEnabled() ? check : null;
    }

    LiveSubscription subscription() {
        return subscription;
    }

    FirefliesRealtimeClient client() {
        LiveSubscription s = subscription;
        return s == null ? null : s.client();
    }

    /** The failure that stopped this consumer for good, or null. */
    public FirefliesException getFatalError() {
        LiveSubscription s = subscription;
        return s == null ? null : s.fatalError();
    }

    @ManagedAttribute(description = "Transcript id of the meeting")
    public String getTranscriptId() {
        return getEndpoint().getTranscriptId();
    }

    @ManagedAttribute(description = "Connection state: NEW, CONNECTING, CONNECTED, RECONNECT_WAIT, STOPPED, ENDED, FAILED")
    public String getConnectionState() {
        LiveSubscription s = subscription;
        return s == null ? "NEW" : s.state().name();
    }

    @ManagedAttribute(description = "Socket.IO events received from the server")
    public long getEventsReceived() {
        LiveSubscription s = subscription;
        return s == null ? 0 : s.eventsReceived();
    }

    @ManagedAttribute(description = "Exchanges routed")
    public long getEventsDelivered() {
        LiveSubscription s = subscription;
        return s == null ? 0 : s.delivered();
    }

    @ManagedAttribute(description = "Events dropped because the queue was full")
    public long getEventsDropped() {
        LiveSubscription s = subscription;
        return s == null ? 0 : s.dropped();
    }

    @ManagedAttribute(description = "Events waiting for the route")
    public int getQueuedEvents() {
        LiveSubscription s = subscription;
        return s == null ? 0 : s.queued();
    }

    @ManagedAttribute(description = "Segments not yet emitted as final (emit=final)")
    public int getOpenChunks() {
        LiveSubscription s = subscription;
        return s == null ? 0 : s.openChunks();
    }

    @ManagedAttribute(description = "Successful reconnects")
    public long getReconnects() {
        LiveSubscription s = subscription;
        return s == null ? 0 : s.reconnects();
    }

    @ManagedAttribute(description = "Failed connect attempts in a row")
    public int getFailedAttempts() {
        LiveSubscription s = subscription;
        return s == null ? 0 : s.failedAttempts();
    }

    @ManagedAttribute(description = "The last connection error, if any")
    public String getLastError() {
        LiveSubscription s = subscription;
        return s == null ? null : s.lastError();
    }

    @ManagedAttribute(description = "When the last event was received (ISO-8601), or null")
    public String getLastEventTime() {
        long t = lastEventMillis();
        return t == 0 ? null : Instant.ofEpochMilli(t).toString();
    }

    long lastEventMillis() {
        LiveSubscription s = subscription;
        return s == null ? 0 : s.lastEventMillis();
    }
}
