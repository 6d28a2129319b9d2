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
package io.github.camelfireflies.meetings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.event.ChunkTracker;
import io.github.camelfireflies.graphql.ActiveMeeting;
import io.github.camelfireflies.realtime.FirefliesEvents;
import io.github.camelfireflies.realtime.FirefliesException;
import io.github.camelfireflies.realtime.RealtimeEvent;
import io.github.camelfireflies.realtime.StreamStats;
import io.github.camelfireflies.realtime.TranscriptStream;
import io.github.camelfireflies.socketio.SocketIoSession;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meetings a {@code fireflies:meetings} consumer knows of, and which of them this instance streams. Told what is in
 * progress ({@link #reconcile}), it opens a {@link TranscriptStream} for each meeting that appears and closes it when
 * the meeting leaves the list.
 * <p>
 * With a {@link CamelClusterService}, each meeting is streamed only while this instance leads the cluster view
 * {@code fireflies-meeting-<id>}: every instance knows every meeting, one streams it. When the leader stops or dies,
 * the view elects another member and that one opens the stream. A meeting that ended keeps its view for a grace time
 * (two poll intervals), so that instances which have not polled yet do not take it over.
 */
final class MeetingRoster {

    /** The namespace prefix of the per-meeting cluster views. */
    static final String VIEW_PREFIX = "fireflies-meeting-";

    private static final Logger LOG = LoggerFactory.getLogger(MeetingRoster.class);

    /** Where a meeting's events go (the consumer), on the meeting's lane. */
    interface Router {

        /** A live event of a meeting; same contract as {@link TranscriptStream.Sink#route}. */
        boolean route(ActiveMeeting meeting, RealtimeEvent event, ChunkTracker.Emission emission, Runnable done);

        /** {@code meeting.started} or {@code meeting.ended}; same contract as {@link TranscriptStream.Sink#route}. */
        boolean routeLifecycle(String name, ActiveMeeting meeting, Runnable done);

        /** A failure of one meeting, or of the cluster; never holds the key. */
        void report(String message, Throwable error);
    }

    /** Marks the lane items that are the roster's own events. */
    private record Lifecycle(String name, ActiveMeeting meeting) {
    }

    private final TranscriptStream.Factory streams;
    private final CamelClusterService cluster;
    private final Router router;
    private final Set<String> events;
    private final long releaseGraceMillis;
    private final Map<String, Tracked> meetings = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    /**
     * @param streams            opens the stream of one meeting
     * @param cluster            the cluster service, or null for a single instance
     * @param router             where events go
     * @param events             the selected event names; empty means every event
     * @param releaseGraceMillis how long an ended meeting keeps its cluster view
     */
    MeetingRoster(TranscriptStream.Factory streams, CamelClusterService cluster, Router router, Set<String> events,
                  long releaseGraceMillis) {
        this.streams = streams;
        this.cluster = cluster;
        this.router = router;
        this.events = Set.copyOf(events);
        this.releaseGraceMillis = releaseGraceMillis;
    }

    /**
     * The meetings in progress now: opens what is new, closes what is gone, refreshes the rest and releases the views
     * of ended meetings whose grace time passed. Called by one thread at a time.
     */
    synchronized void reconcile(List<ActiveMeeting> list) {
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        Map<String, ActiveMeeting> current = new LinkedHashMap<>();
        for (ActiveMeeting m : list) {
            current.putIfAbsent(m.id(), m);
        }
        for (Tracked t : List.copyOf(meetings.values())) {
            ActiveMeeting m = current.get(t.id);
            if (t.retiring) {
                if (m != null) {
                    // back in the list before its view was released: follow it again
                    t.retiring = false;
                    t.meeting = m;
                    t.onLeadership();
                } else if (now - t.retiredAtNanos >= TimeUnit.MILLISECONDS.toNanos(releaseGraceMillis)) {
                    meetings.remove(t.id, t);
                    t.releaseView();
                }
            } else if (m == null) {
                LOG.info("Meeting {} is no longer in progress", t.id);
                t.end(now);
            } else {
                t.meeting = m;
                t.checkLeadership();
                t.restartIfEnded();
            }
        }
        for (ActiveMeeting m : current.values()) {
            if (!meetings.containsKey(m.id())) {
                Tracked t = new Tracked(m);
                meetings.put(m.id(), t);
                LOG.info("Meeting {} ({}) is in progress", m.id(), m.title());
                t.open();
            }
        }
    }

    /** Stops every stream (what waits is still routed) and releases every view; nothing opens after this. */
    synchronized void stopAll() {
        running = false;
        for (Tracked t : List.copyOf(meetings.values())) {
            t.stopStreaming(false);
            t.releaseView();
        }
    }

    /** Waits (bounded) until every stream routed what waits, then forgets every meeting. */
    void awaitDrained(long deadlineNanos) throws InterruptedException {
        for (Tracked t : List.copyOf(meetings.values())) {
            TranscriptStream s = t.stream();
            if (s != null) {
                s.awaitDrained(deadlineNanos);
            }
        }
        meetings.clear();
    }

    /** Drops what waits in every stream (a forced shutdown). */
    void dropWaiting() {
        for (Tracked t : meetings.values()) {
            TranscriptStream s = t.stream();
            if (s != null) {
                s.dropWaiting();
            }
        }
    }

    /** Lets meetings open again after {@link #stopAll()} (a resumed consumer). */
    synchronized void restart() {
        meetings.clear();
        running = true;
    }

    // ------------------------------------------------------------------------------------ observation

    int tracked() {
        return meetings.size();
    }

    /** The ids of the meetings this instance streams now. */
    Set<String> streamingIds() {
        Set<String> ids = new TreeSet<>();
        meetings.forEach((id, t) -> {
            if (t.isStreaming()) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The statistics of the streams open now (for the meters). */
    List<StreamStats> streamStats() {
        List<StreamStats> all = new ArrayList<>();
        for (Tracked t : meetings.values()) {
            TranscriptStream s = t.stream();
            if (s != null) {
                all.add(s.stats());
            }
        }
        return all;
    }

    /** Events that wait for the route, over all streams. */
    int queued() {
        int n = 0;
        for (Tracked t : meetings.values()) {
            TranscriptStream s = t.stream();
            if (s != null) {
                StreamStats st = s.stats();
                n += st.queued() + st.backfillPending();
            }
        }
        return n;
    }

    private boolean selected(String name) {
        return events.isEmpty() || events.contains(name);
    }

    // ------------------------------------------------------------------------------------ one meeting

    private final class Tracked implements CamelClusterEventListener.Leadership {

        private final String id;
        volatile ActiveMeeting meeting;
        volatile boolean retiring;
        volatile long retiredAtNanos;
        private volatile CamelClusterView view;
        // guarded by this
        private TranscriptStream stream;
        private boolean streaming;

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
                CamelClusterView v = cluster.getView(VIEW_PREFIX + id);
                view = v;
                v.addEventListener(this);
                onLeadership();
            } catch (Exception e) {
                router.report("Cannot join the cluster view of meeting " + id, e);
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
            if (streaming || !running) {
                return;
            }
            streaming = true;
            stream = streams.open(id, new TranscriptStream.Sink() {
                @Override
                public boolean route(RealtimeEvent event, ChunkTracker.Emission emission, Runnable done) {
                    return router.route(meeting, event, emission, done);
                }

                @Override
                public boolean routeOther(Object item, Runnable done) {
                    return !(item instanceof Lifecycle l) || router.routeLifecycle(l.name(), l.meeting(), done);
                }

                @Override
                public void report(FirefliesException error) {
                    router.report(error.getMessage(), error);
                }
            });
            if (selected(FirefliesEvents.MEETING_STARTED)) {
                stream.offer(new Lifecycle(FirefliesEvents.MEETING_STARTED, meeting));
            }
            stream.start();
        }

        /**
         * What the view says now, whether or not it told us: a cluster service can lose or gain leadership without an
         * event (camel-zookeeper after a lost ZooKeeper connection), and can drop this member from the election for
         * good. So each poll streams exactly when this member leads, and joins again a view that has no leader.
         */
        void checkLeadership() {
            CamelClusterView v = view;
            if (v == null || retiring) {
                return;
            }
            boolean leader = v.getLocalMember().isLeader();
            if (leader != isStreaming()) {
                LOG.info("Meeting {}: this instance {} the cluster view without being told; {} streaming", id,
                        leader ? "leads" : "no longer leads", leader ? "starting" : "stopping");
                onLeadership();
            } else if (!leader && v.getLeader().isEmpty()) {
                LOG.info("Meeting {}: its cluster view has no leader; joining it again", id);
                releaseView();
                open();
            }
        }

        /** The server ended the session but the meeting is still listed: subscribe again. */
        synchronized void restartIfEnded() {
            if (streaming && stream.state() == SocketIoSession.State.ENDED) {
                LOG.info("Meeting {} is still in progress after the server ended its session: subscribing again", id);
                stream.reconnectIfEnded();
            }
        }

        synchronized void stopStreaming(boolean ended) {
            if (!streaming) {
                return;
            }
            streaming = false;
            stream.stopReceiving(ended && selected(FirefliesEvents.MEETING_ENDED)
                    ? new Lifecycle(FirefliesEvents.MEETING_ENDED, meeting) : null);
        }

        /** The meeting left the list: stop streaming; the view is released after the grace time (cluster only). */
        void end(long nowNanos) {
            stopStreaming(true);
            if (view == null) {
                meetings.remove(id, this);
            } else {
                retiring = true;
                retiredAtNanos = nowNanos;
            }
        }

        void releaseView() {
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

        synchronized TranscriptStream stream() {
            return stream;
        }

        synchronized boolean isStreaming() {
            return streaming;
        }
    }
}
