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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.event.TranscriptionEvent;
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
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
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
public class FirefliesConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(FirefliesConsumer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long STOP_DRAIN_MILLIS = 10_000;

    private final FirefliesConfiguration configuration;
    private volatile FirefliesRealtimeClient client;
    private OrderedLane<Object> lane;
    private FirefliesConsumerHealthCheck healthCheck;
    private WritableHealthCheckRepository healthCheckRepository;
    private ClientManager ownContainer;

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropsToReport = new AtomicLong();
    private volatile long lastEventMillis;
    private volatile FirefliesException fatal;
    private volatile long suspendedAtNanos;

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
                configuration.getOverflowPolicy(), this::handle, dropped -> dropsToReport.incrementAndGet());

        healthCheck = new FirefliesConsumerHealthCheck(this, getRouteId());
        healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckConsumerEnabled());
        // Camel 4's consumer:<routeId> check (camel-health's consumers repository, what Spring Boot Actuator and
        // Quarkus show) asks the consumer for its HealthCheck; a "components" repository usually does not exist
        setHealthCheck(healthCheck);
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
        if (lane != null) {
            lane.close();
            if (!lane.awaitIdle(STOP_DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                int lost = lane.clear();
                LOG.warn("Stopped {} with {} events still waiting for the route; they were dropped",
                        c == null ? getEndpoint() : c.description(), lost);
            }
        }
        if (ownContainer != null) {
            ownContainer.shutdown();
            ownContainer = null;
        }
        if (healthCheckRepository != null && healthCheck != null) {
            healthCheckRepository.removeHealthCheck(healthCheck);
            healthCheck = null;
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
        if (item instanceof RealtimeEvent event) {
            route(event);
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

    private void route(RealtimeEvent event) {
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
        }
    }

    // ------------------------------------------------------------------------------------ observation (JMX, health)

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
