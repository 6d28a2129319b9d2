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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.api.FirefliesEvents;
import io.github.camelfireflies.api.FirefliesException;
import io.github.camelfireflies.internal.stream.RealtimeEvent;
import io.github.camelfireflies.internal.stream.StreamStats;
import io.github.camelfireflies.internal.stream.TranscriptStream;
import io.github.camelfireflies.internal.socketio.SocketIoSession;
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
 * <p>
 * Two doors lead into the same roster: the polls ({@link #reconcile}) and the webhooks ({@link #follow} on
 * {@code meeting.bot_joined}, {@link #ended} on {@code meeting.transcribed}). When the webhooks drive it
 * ({@link Options#webhooks()}), a meeting also ends when the server ends its session (a DISCONNECT: the meeting is over),
 * an ended meeting is remembered for the grace time even without a cluster (so that a late repeat of its
 * {@code meeting.bot_joined} does not follow it again), and {@link #housekeeping()}, run on a timer, does what each
 * poll does besides the list: leadership checks and the release of ended meetings.
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

    /** Why a meeting stopped being followed. */
    enum EndReason {
        /** A poll no longer lists it. */
        NOT_LISTED("no longer in progress"),
        /** Its {@code meeting.transcribed} webhook came: the transcript is ready, the meeting is over. */
        TRANSCRIBED("meeting.transcribed"),
        /** The server ended its session (a Socket.IO DISCONNECT): the meeting is over. */
        SESSION_ENDED("the server ended its session");

        final String description;

        EndReason(String description) {
            this.description = description;
        }
    }

    /**
     * How the roster behaves.
     *
     * @param releaseGraceMillis how long an ended meeting keeps its cluster view (and, with webhooks, is remembered)
     * @param webhooks           whether the webhooks drive it (see the class comment)
     * @param control            where the roster's own follow-ups run (a session that ended), one at a time; needed
     *                           with webhooks
     */
    record Options(long releaseGraceMillis, boolean webhooks, Executor control) {

        Options {
            if (webhooks && control == null) {
                throw new IllegalArgumentException("control is needed with webhooks");
            }
        }
    }

    /**
     * A meeting that entered through a webhook is ended by a poll that does not list it only once a poll listed it, or
     * this long after it entered: the list may lag behind {@code meeting.bot_joined}.
     */
    static final long LISTING_GRACE_MILLIS = 60_000;

    private final TranscriptStream.Factory streams;
    private final CamelClusterService cluster;
    private final Router router;
    private final Set<String> events;
    private final long releaseGraceMillis;
    private final boolean webhooks;
    private final Executor control;
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
        this(streams, cluster, router, events, new Options(releaseGraceMillis, false, null));
    }

    /**
     * @param streams opens the stream of one meeting
     * @param cluster the cluster service, or null for a single instance
     * @param router  where events go
     * @param events  the selected event names; empty means every event
     * @param options the grace time and whether webhooks drive the roster
     */
    MeetingRoster(TranscriptStream.Factory streams, CamelClusterService cluster, Router router, Set<String> events,
                  Options options) {
        this.streams = streams;
        this.cluster = cluster;
        this.router = router;
        this.events = Set.copyOf(events);
        this.releaseGraceMillis = options.releaseGraceMillis();
        this.webhooks = options.webhooks();
        this.control = options.control();
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
                if (m != null && t.endedBy != EndReason.TRANSCRIBED) {
                    // back in the list before its view was released: follow it again
                    LOG.info("Meeting {} is in progress again", t.id);
                    t.meeting = m;
                    t.listed = true;
                    t.reactivate(now);
                } else if (now - t.retiredAtNanos >= TimeUnit.MILLISECONDS.toNanos(releaseGraceMillis)) {
                    meetings.remove(t.id, t);
                    t.releaseView();
                }
            } else if (m == null) {
                if (t.listed || now - t.followedAtNanos >= TimeUnit.MILLISECONDS.toNanos(LISTING_GRACE_MILLIS)) {
                    LOG.info("Meeting {} is no longer in progress", t.id);
                    t.endedBy = EndReason.NOT_LISTED;
                    t.end(now);
                }
            } else {
                t.meeting = m;
                t.listed = true;
                t.checkLeadership();
                t.restartIfEnded();
            }
        }
        // after every local check: asking a view for its leader may block while the coordination service is away
        for (Tracked t : List.copyOf(meetings.values())) {
            if (!t.retiring) {
                t.joinIfLeaderless();
            }
        }
        for (ActiveMeeting m : current.values()) {
            if (!meetings.containsKey(m.id())) {
                Tracked t = new Tracked(m, now);
                t.listed = true;
                meetings.put(m.id(), t);
                LOG.info("Meeting {} ({}) is in progress", m.id(), m.title());
                t.open();
            }
        }
    }

    /**
     * The webhook door: {@code meeting.bot_joined} said that this meeting is in progress. Follows it at once unless it
     * is followed already; a meeting whose session ended follows again, one already transcribed does not. Called by one
     * thread at a time.
     */
    synchronized void follow(ActiveMeeting meeting) {
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        Tracked t = meetings.get(meeting.id());
        if (t == null) {
            t = new Tracked(meeting, now);
            meetings.put(meeting.id(), t);
            LOG.info("Meeting {} is in progress (meeting.bot_joined): following it", meeting.id());
            t.open();
        } else if (t.retiring) {
            if (t.endedBy == EndReason.TRANSCRIBED) {
                LOG.debug("Meeting {}: meeting.bot_joined after it was transcribed; not following it again", t.id);
                return;
            }
            LOG.info("Meeting {} is in progress again (meeting.bot_joined after {}): following it", t.id,
                    t.endedBy == null ? "its end" : t.endedBy.description);
            t.reactivate(now);
        } else {
            LOG.debug("Meeting {}: meeting.bot_joined for a meeting followed already", t.id);
        }
    }

    /**
     * The meeting is over ({@code meeting.transcribed}, or its session ended): stops streaming it, emitting
     * {@code meeting.ended} when selected; its view is released after the grace time. Called by one thread at a time.
     */
    synchronized void ended(String id, EndReason reason) {
        Tracked t = meetings.get(id);
        if (t == null || !running) {
            return;
        }
        if (t.retiring) {
            if (reason == EndReason.TRANSCRIBED) {
                t.endedBy = reason; // never followed again while remembered
            }
            return;
        }
        LOG.info("Meeting {} is over ({})", id, reason.description);
        t.endedBy = reason;
        t.end(System.nanoTime());
    }

    /**
     * Between polls (the consumer's timer): streams exactly the meetings this member leads now (a cluster service can
     * lose or gain leadership without an event, camel-zookeeper as soon as its connection is suspended; only local state
     * is read, no call to the coordination service), and releases the views of ended meetings whose grace time passed.
     */
    synchronized void housekeeping() {
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        for (Tracked t : List.copyOf(meetings.values())) {
            if (t.retiring) {
                if (now - t.retiredAtNanos >= TimeUnit.MILLISECONDS.toNanos(releaseGraceMillis)) {
                    meetings.remove(t.id, t);
                    t.releaseView();
                }
            } else {
                t.checkLeadership();
            }
        }
    }

    /**
     * Names a meeting known only by its id (from {@code meeting.bot_joined}): what {@code transcript(id)} said, when a
     * backfill asked it anyway. A meeting that has a title or an organizer already is left as it is.
     */
    void named(String id, String title, String organizerEmail) {
        Tracked t = meetings.get(id);
        if (t == null || (title == null && organizerEmail == null)) {
            return;
        }
        ActiveMeeting m = t.meeting;
        if (m.title() == null && m.organizerEmail() == null) {
            t.meeting = new ActiveMeeting(m.id(), title, organizerEmail, m.meetingLink(), m.startTime(), m.endTime(),
                    m.privacy(), m.state());
        }
    }

    /** What is known of a meeting followed or remembered now, or null. */
    ActiveMeeting meeting(String id) {
        Tracked t = meetings.get(id);
        return t == null ? null : t.meeting;
    }

    /** A stream's session ended (I/O thread): with webhooks the meeting is over, unless it subscribes again. */
    private void onSessionEnded(Tracked t, int generation) {
        if (!webhooks) {
            return;
        }
        try {
            control.execute(() -> {
                synchronized (MeetingRoster.this) {
                    if (meetings.get(t.id) == t && !t.retiring && t.isCurrent(generation)
                        && t.streamState() == SocketIoSession.State.ENDED) {
                        ended(t.id, EndReason.SESSION_ENDED);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Meeting {}: session ended while stopping", t.id);
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
        /** When it entered (a poll, or a webhook). */
        volatile long followedAtNanos;
        /** Whether a poll listed it. */
        volatile boolean listed;
        /** Why it ended, while retiring; null otherwise. */
        volatile EndReason endedBy;
        private volatile CamelClusterView view;
        // guarded by this
        private TranscriptStream stream;
        private boolean streaming;
        private int generation;

        Tracked(ActiveMeeting meeting, long nowNanos) {
            this.id = meeting.id();
            this.meeting = meeting;
            this.followedAtNanos = nowNanos;
        }

        /** An ended meeting is in progress again: follow it as if it were new (its view kept, or joined again). */
        void reactivate(long nowNanos) {
            retiring = false;
            endedBy = null;
            followedAtNanos = nowNanos;
            if (cluster == null) {
                startStreaming();
            } else if (view == null) {
                open();
            } else {
                onLeadership();
            }
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
            int current = ++generation;
            stream = streams.open(id, new TranscriptStream.Sink() {
                @Override
                public boolean route(RealtimeEvent event, ChunkTracker.Emission emission, Runnable done) {
                    return router.route(meeting, event, emission, done);
                }

                @Override
                public boolean routeOther(Object item, Runnable done) {
                    // meeting.started waits behind the first backfill, which may have named the meeting meanwhile
                    return !(item instanceof Lifecycle l)
                           || router.routeLifecycle(l.name(), l.name().equals(FirefliesEvents.MEETING_STARTED)
                                   ? meeting : l.meeting(), done);
                }

                @Override
                public void report(FirefliesException error) {
                    router.report(error.getMessage(), error);
                }

                @Override
                public void sessionEnded() {
                    onSessionEnded(Tracked.this, current);
                }
            });
            if (selected(FirefliesEvents.MEETING_STARTED)) {
                stream.offer(new Lifecycle(FirefliesEvents.MEETING_STARTED, meeting));
            }
            stream.start();
        }

        /**
         * What the view says now, whether or not it told us: a cluster service can lose or gain leadership without an
         * event (camel-zookeeper after a lost ZooKeeper connection). So this streams exactly when this member leads.
         * Reads local state only.
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
            }
        }

        /**
         * A cluster service can also drop every member from the election for good (camel-zookeeper after a lost
         * connection: Curator cancels, and nobody re-queues): a view that no member leads is joined again. Asks the
         * coordination service, so each poll does it, after the local checks.
         */
        void joinIfLeaderless() {
            CamelClusterView v = view;
            if (v == null || retiring || v.getLocalMember().isLeader() || hasLeader(v)) {
                return;
            }
            LOG.info("Meeting {}: its cluster view has no leader; joining it again", id);
            releaseView();
            open();
        }

        /**
         * Whether the view names a leader. camel-zookeeper names one even when nobody leads: Curator's placeholder
         * participant, whose id is empty. A view that cannot tell (the coordination service is away) counts as led:
         * nothing is changed until it can.
         */
        private boolean hasLeader(CamelClusterView v) {
            try {
                return v.getLeader().map(CamelClusterMember::getId).filter(leaderId -> !leaderId.isEmpty()).isPresent();
            } catch (RuntimeException e) {
                LOG.debug("Meeting {}: its cluster view cannot tell its leader now: {}", id, e.toString());
                return true;
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

        /**
         * The meeting is over: stop streaming; the view is released after the grace time (cluster only; with webhooks
         * the meeting is remembered as long without a cluster too).
         */
        void end(long nowNanos) {
            stopStreaming(true);
            if (view == null && !webhooks) {
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

        synchronized boolean isCurrent(int gen) {
            return streaming && generation == gen;
        }

        synchronized SocketIoSession.State streamState() {
            return stream == null ? SocketIoSession.State.NEW : stream.state();
        }

        synchronized boolean isStreaming() {
            return streaming;
        }
    }
}
