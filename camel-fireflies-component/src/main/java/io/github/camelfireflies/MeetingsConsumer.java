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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;


import io.github.camelfireflies.event.ChunkTracker;
import io.github.camelfireflies.graphql.ActiveMeeting;
import io.github.camelfireflies.graphql.FirefliesGraphQLClient;
import io.github.camelfireflies.graphql.GraphQLException;
import io.github.camelfireflies.realtime.FirefliesEvents;
import io.github.camelfireflies.realtime.RealtimeEvent;
import io.github.camelfireflies.socketio.SocketIoSession;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckAware;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery ({@code fireflies:meetings}): polls the GraphQL {@code active_meetings} query on the component's timer (the
 * call itself runs on the connect pool), opens a live subscription for each meeting that appears and closes it when the
 * meeting leaves the list. Each meeting has its own {@link LiveSubscription}, as a {@code fireflies:live} consumer has
 * (same lane, emit modes and error reporting); its exchanges carry headers naming the meeting.
 * <p>
 * When the CamelContext has a {@link CamelClusterService}, each meeting is streamed only while this instance leads the
 * cluster view {@code fireflies-meeting-<id>}: every instance polls, one streams. When the leader stops or dies, the
 * view elects another member and that one opens the subscription. A meeting that ended keeps its view for two poll
 * intervals, so that instances which have not polled yet do not take it over.
 */
@ManagedResource(description = "Managed Fireflies meetings (discovery) consumer")
public class MeetingsConsumer extends DefaultConsumer implements HealthCheckAware {

    private static final Logger LOG = LoggerFactory.getLogger(MeetingsConsumer.class);
    private static final long STOP_DRAIN_MILLIS = 10_000;
    /** At most this many doublings of the poll interval while rate limited. */
    private static final int MAX_BACKOFF_DOUBLINGS = 4;
    /** The namespace prefix of the per-meeting cluster views. */
    public static final String VIEW_PREFIX = "fireflies-meeting-";

    private final FirefliesConfiguration configuration;
    private final Map<String, Tracked> meetings = new ConcurrentHashMap<>();
    private final Object pollLock = new Object();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private volatile FirefliesGraphQLClient graphql;
    private volatile CamelClusterService cluster;
    private volatile ScheduledFuture<?> nextPoll;
    private volatile boolean running;
    private volatile String lastPollError;
    private volatile long lastDelayMillis;
    private int rateLimitedInARow;
    private final AtomicLong failedPolls = new AtomicLong();
    /** Set when the GraphQL API refused the key: no more polls until the route is restarted. */
    private volatile boolean pollingStopped;
    private volatile MeetingsConsumerHealthCheck healthCheck;

    public MeetingsConsumer(FirefliesEndpoint endpoint, Processor processor) {
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
        graphql = getEndpoint().graphQLClient();
        cluster = ClusterServiceHelper.lookupService(getEndpoint().getCamelContext()).orElse(null);
        running = true;
        pollingStopped = false;
        lastPollError = null;
        // as FirefliesConsumer: Camel's consumers health repository asks the route's consumer (HealthCheckAware)
        healthCheck = new MeetingsConsumerHealthCheck(this, getRouteId());
        healthCheck.setEnabled(getEndpoint().getComponent().isHealthCheckConsumerEnabled());
        LOG.info("Following every meeting in progress ({}, states {}) from {} every {} ms{}",
                getEndpoint().getEmail() == null ? "the API key's user" : getEndpoint().getEmail(),
                getEndpoint().meetingStates(), graphql.url(), getEndpoint().getPollInterval(),
                cluster == null ? "" : ", one owner per meeting through cluster service " + cluster.getId());
        schedulePoll(0);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        ScheduledFuture<?> f = nextPoll;
        if (f != null) {
            f.cancel(false);
        }
        synchronized (pollLock) {
            // a poll under way has finished; none starts after this
            for (Tracked t : List.copyOf(meetings.values())) {
                t.close(false, true);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_DRAIN_MILLIS);
        for (Tracked t : List.copyOf(meetings.values())) {
            t.drain(deadline);
        }
        meetings.clear();
        super.doStop();
    }

    @Override
    protected void doSuspend() throws Exception {
        doStop();
    }

    @Override
    protected void doResume() throws Exception {
        doStart();
    }

    // ------------------------------------------------------------------------------------ polling

    private void schedulePoll(long delayMillis) {
        if (!running) {
            return;
        }
        lastDelayMillis = delayMillis;
        FirefliesComponent component = getEndpoint().getComponent();
        try {
            // the timer only hands over: the HTTP call blocks, so it runs on the connect pool
            nextPoll = component.timer().schedule(() -> {
                try {
                    component.ioPool().execute(this::poll);
                } catch (RejectedExecutionException e) {
                    LOG.debug("Poll not run: the component is stopping");
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Poll not scheduled: the component is stopping");
        }
    }

    private void poll() {
        long next = getEndpoint().getPollInterval();
        synchronized (pollLock) {
            if (!running) {
                return;
            }
            try {
                List<ActiveMeeting> list = graphql.activeMeetings(getEndpoint().getEmail(), getEndpoint().meetingStates());
                polls.incrementAndGet();
                rateLimitedInARow = 0;
                lastPollError = null;
                reconcile(list);
            } catch (GraphQLException.AuthenticationException e) {
                // the same key will not be accepted on the next poll either: stop until the route is restarted
                failedPolls.incrementAndGet();
                lastPollError = e.getMessage();
                pollingStopped = true;
                LOG.error("Polling the meetings in progress failed: {}; no more polls until the route is restarted",
                        e.getMessage());
                getExceptionHandler().handleException(e.getMessage(), e);
                return;
            } catch (GraphQLException.RateLimitedException e) {
                failedPolls.incrementAndGet();
                rateLimitedInARow++;
                long backoff = getEndpoint().getPollInterval() << Math.min(rateLimitedInARow, MAX_BACKOFF_DOUBLINGS);
                Duration retryAfter = e.getRetryAfter();
                next = retryAfter == null ? backoff : Math.max(retryAfter.toMillis(), getEndpoint().getPollInterval());
                lastPollError = e.getMessage();
                LOG.warn("Polling the meetings in progress: {}; next poll in {} ms", e.getMessage(), next);
                getExceptionHandler().handleException(e.getMessage(), e);
            } catch (GraphQLException e) {
                failedPolls.incrementAndGet();
                lastPollError = e.getMessage();
                LOG.warn("Polling the meetings in progress failed: {}; next poll in {} ms", e.getMessage(), next);
                getExceptionHandler().handleException(e.getMessage(), e);
            } catch (RuntimeException e) {
                failedPolls.incrementAndGet();
                lastPollError = e.toString();
                getExceptionHandler().handleException("Polling the meetings in progress failed", e);
            }
        }
        schedulePoll(next);
    }

    /** Opens what is new, closes what is gone, refreshes the rest. Under pollLock. */
    private void reconcile(List<ActiveMeeting> list) {
        Map<String, ActiveMeeting> now = new LinkedHashMap<>();
        for (ActiveMeeting m : list) {
            now.putIfAbsent(m.id(), m);
        }
        for (Map.Entry<String, Tracked> e : Map.copyOf(meetings).entrySet()) {
            Tracked t = e.getValue();
            if (t.retiring) {
                if (now.containsKey(e.getKey())) {
                    // back in the list before its view was released: follow it again
                    t.retiring = false;
                    t.cancelRelease();
                    t.meeting = now.get(e.getKey());
                    t.onLeadership();
                }
                continue;
            }
            ActiveMeeting current = now.get(e.getKey());
            if (current == null) {
                LOG.info("Meeting {} is no longer in progress", e.getKey());
                t.close(true, false);
            } else {
                t.meeting = current;
                t.restartIfEnded();
            }
        }
        for (ActiveMeeting m : now.values()) {
            if (!meetings.containsKey(m.id())) {
                Tracked t = new Tracked(m);
                meetings.put(m.id(), t);
                LOG.info("Meeting {} ({}) is in progress", m.id(), m.title());
                t.open();
            }
        }
    }

    private boolean selected(String name) {
        Set<String> names = getEndpoint().eventNames();
        return names.isEmpty() || names.contains(name);
    }

    // ------------------------------------------------------------------------------------ one meeting

    /** Marks the lane items that are discovery's own events. */
    private record Lifecycle(String name, ActiveMeeting meeting) {
    }

    private final class Tracked implements CamelClusterEventListener.Leadership {

        private final String id;
        volatile ActiveMeeting meeting;
        volatile boolean retiring;
        private CamelClusterView view;
        private ScheduledFuture<?> release;
        // guarded by this
        private LiveSubscription subscription;
        private boolean streaming;
        private boolean closed;

        Tracked(ActiveMeeting meeting) {
            this.id = meeting.id();
            this.meeting = meeting;
        }

        void open() {
            if (cluster == null) {
                startStreaming();
                return;
            }
            try {
                view = cluster.getView(VIEW_PREFIX + id);
                view.addEventListener(this);
                onLeadership();
            } catch (Exception e) {
                getExceptionHandler().handleException("Cannot join the cluster view of meeting " + id, e);
            }
        }

        @Override
        public void leadershipChanged(CamelClusterView v, CamelClusterMember leader) {
            onLeadership();
        }

        void onLeadership() {
            CamelClusterView v = view;
            if (v == null) {
                return;
            }
            if (v.getLocalMember().isLeader() && !retiring) {
                LOG.debug("This instance now owns meeting {}", id);
                startStreaming();
            } else {
                stopStreaming(false);
            }
        }

        synchronized void startStreaming() {
            if (streaming || closed || !running) {
                return;
            }
            streaming = true;
            subscription = new LiveSubscription(getEndpoint(), getEndpoint().clientOptions(id),
                    MeetingsConsumer.this::getExceptionHandler, new LiveSubscription.Sink() {
                        @Override
                        public void route(RealtimeEvent event, ChunkTracker.Emission emission) {
                            routeEvent(event, emission);
                        }

                        @Override
                        public void routeOther(Object item) {
                            if (item instanceof Lifecycle lifecycle) {
                                routeLifecycle(lifecycle);
                            }
                        }
                    });
            if (selected(FirefliesEvents.MEETING_STARTED)) {
                subscription.offer(new Lifecycle(FirefliesEvents.MEETING_STARTED, meeting));
            }
            subscription.start();
        }

        /** The server ended the session but the meeting is still listed: subscribe again. */
        synchronized void restartIfEnded() {
            if (streaming && subscription.state() == SocketIoSession.State.ENDED) {
                LOG.info("Meeting {} is still in progress after the server ended its session: subscribing again", id);
                subscription.reconnectIfEnded();
            }
        }

        synchronized void stopStreaming(boolean ended) {
            if (!streaming) {
                return;
            }
            streaming = false;
            subscription.stopReceiving(ended && selected(FirefliesEvents.MEETING_ENDED)
                    ? new Lifecycle(FirefliesEvents.MEETING_ENDED, meeting) : null);
        }

        /**
         * Stops streaming. With a cluster, the view is released now when stopping, or after two poll intervals when the
         * meeting ended (so that no other instance takes over a meeting that is over before it has polled).
         */
        void close(boolean ended, boolean stopping) {
            synchronized (this) {
                closed = !ended || stopping;
            }
            stopStreaming(ended);
            if (view == null) {
                if (!stopping) {
                    meetings.remove(id, this);
                }
                return;
            }
            if (stopping) {
                releaseView();
                return;
            }
            retiring = true;
            long delay = 2 * getEndpoint().getPollInterval();
            try {
                release = getEndpoint().getComponent().timer().schedule(() -> {
                    try {
                        getEndpoint().getComponent().ioPool().execute(() -> {
                            synchronized (pollLock) {
                                if (retiring && meetings.remove(id, this)) {
                                    releaseView();
                                }
                            }
                        });
                    } catch (RejectedExecutionException e) {
                        LOG.debug("View of meeting {} not released: the component is stopping", id);
                    }
                }, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                releaseView();
            }
        }

        void cancelRelease() {
            ScheduledFuture<?> r = release;
            if (r != null) {
                r.cancel(false);
            }
        }

        private void releaseView() {
            cancelRelease();
            CamelClusterView v = view;
            if (v == null) {
                return;
            }
            view = null;
            v.removeEventListener(this);
            try {
                cluster.releaseView(v);
            } catch (Exception e) {
                LOG.warn("Cannot release the cluster view of meeting {}: {}", id, e.toString());
            }
        }

        void drain(long deadlineNanos) throws InterruptedException {
            LiveSubscription sub;
            synchronized (this) {
                sub = subscription;
            }
            if (sub != null) {
                sub.drainAndRelease(deadlineNanos);
            }
        }

        // -------------------------------------------------------------------------------- routing (worker thread)

        private void routeEvent(RealtimeEvent event, ChunkTracker.Emission emission) {
            Exchange exchange = createExchange(false);
            LiveSubscription.fill(exchange.getMessage(), event, emission);
            meetingHeaders(exchange.getMessage(), meeting);
            process(exchange);
        }

        private void routeLifecycle(Lifecycle lifecycle) {
            Exchange exchange = createExchange(false);
            Message message = exchange.getMessage();
            message.setHeader(FirefliesConstants.EVENT, lifecycle.name());
            message.setHeader(FirefliesConstants.TRANSCRIPT_ID, id);
            meetingHeaders(message, lifecycle.meeting());
            message.setBody(toMap(lifecycle.meeting()));
            process(exchange);
        }

        synchronized boolean isStreaming() {
            return streaming;
        }
    }

    private static void meetingHeaders(Message message, ActiveMeeting m) {
        if (m.title() != null) {
            message.setHeader(FirefliesConstants.MEETING_TITLE, m.title());
        }
        if (m.organizerEmail() != null) {
            message.setHeader(FirefliesConstants.ORGANIZER_EMAIL, m.organizerEmail());
        }
        if (m.state() != null) {
            message.setHeader(FirefliesConstants.MEETING_STATE, m.state());
        }
    }

    private void process(Exchange exchange) {
        try {
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

    static Map<String, Object> toMap(ActiveMeeting m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", m.id());
        map.put("title", m.title());
        map.put("organizer_email", m.organizerEmail());
        map.put("meeting_link", m.meetingLink());
        map.put("start_time", m.startTime());
        map.put("end_time", m.endTime());
        map.put("privacy", m.privacy());
        map.put("state", m.state());
        return map;
    }

    // ------------------------------------------------------------------------------------ observation (JMX, health)

    /** The readiness check of this consumer, or null when {@code healthCheckConsumerEnabled=false}. */
    @Override
    public HealthCheck getHealthCheck() {
        MeetingsConsumerHealthCheck check = healthCheck;
        return check != null && check.isEnabled() ? check : null;
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
        return meetings.size();
    }

    @ManagedAttribute(description = "Meetings this instance is streaming now")
    public int getMeetingsStreaming() {
        return (int) meetings.values().stream().filter(Tracked::isStreaming).count();
    }

    /** The ids of the meetings this instance is streaming now. */
    public Set<String> streamingMeetingIds() {
        Set<String> ids = new java.util.TreeSet<>();
        meetings.forEach((id, t) -> {
            if (t.isStreaming()) {
                ids.add(id);
            }
        });
        return ids;
    }

    @ManagedAttribute(description = "Successful polls of the meetings in progress")
    public long getPolls() {
        return polls.get();
    }

    @ManagedAttribute(description = "Exchanges routed")
    public long getEventsDelivered() {
        return delivered.get();
    }

    @ManagedAttribute(description = "The error of the last poll, or null when it succeeded")
    public String getLastPollError() {
        return lastPollError;
    }

    @ManagedAttribute(description = "The delay before the poll that is scheduled now (milliseconds)")
    public long getNextPollDelay() {
        return lastDelayMillis;
    }
}
