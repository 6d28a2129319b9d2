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
 * <b>Joining again.</b> A view is left and joined again only when the cluster service itself shows that this member is
 * out of its election ({@link ElectionCheck}), and never sooner than {@value #REJOIN_HOLD_MILLIS} ms after it was
 * joined: a view without a visible leader is not enough (camel-file's views never show a leader in another process).
 * <p>
 * <b>Completion.</b> With a {@link Completion} (a shared idempotent repository), a meeting is over for the cluster only
 * when its owner recorded that it emitted its last segment. The owner records it once its stream routed everything
 * (first completing the meeting from {@code transcript(id)} when its stream stopped before its backfill answered). An
 * instance that did not stream the meeting when it ended keeps its view until that record appears; when it leads the
 * view first (the owner died), it completes the meeting itself ({@link Completion#takeOver}). After
 * {@value #COMPLETION_TIMEOUT_MILLIS} ms without either, it gives up ({@link Completion#gaveUp}).
 * <p>
 * Two doors lead into the same roster: the polls ({@link #reconcile}) and the webhooks ({@link #follow} on
 * {@code meeting.bot_joined}, {@link #ended} on {@code meeting.transcribed}). When the webhooks drive it
 * ({@link Options#webhooks()}), a meeting also ends when the server ends its session (a DISCONNECT: the meeting is over),
 * an ended meeting is remembered for the grace time even without a cluster (so that a late repeat of its
 * {@code meeting.bot_joined} does not follow it again), and {@link #housekeeping()}, run on a timer, does what each
 * poll does besides the list: leadership checks and the release of ended meetings.
 * <p>
 * Long because a meeting's ownership, its stream and its completion after a dead owner change under one lock and one
 * state per meeting.
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

    /** The last lane item of a meeting its owner ended: everything before it was routed. */
    private record Finished(ActiveMeeting meeting) {
    }

    /**
     * Where owners record that they finished a meeting, in a store every instance shares (see the class comment). Its
     * methods may block on the store, except where said; {@code done} is always called on another thread than the
     * caller's.
     */
    interface Completion {

        /**
         * Whether the owner of a meeting recorded that it finished it.
         *
         * @throws RuntimeException when the store cannot tell now
         */
        boolean isCompleted(String id);

        /**
         * The owner routed a meeting's last segment: record it (first completing the meeting from
         * {@code transcript(id)} when {@code fetchFirst}). Does not block; {@code done} once recorded or given up.
         */
        void finished(ActiveMeeting meeting, boolean fetchFirst, Runnable done);

        /**
         * A meeting ended while this instance did not stream it, and this instance leads its view now: complete it
         * unless its owner recorded it meanwhile. Does not block; {@code done} once recorded or given up.
         */
        void takeOver(ActiveMeeting meeting, Runnable done);

        /** Nobody recorded the meeting's completion within the bound: counted, and one WARN line. */
        void gaveUp(String id, long waitedMillis);
    }

    /** A view is joined again at most once per this time, and not sooner after it was joined (milliseconds). */
    static final long REJOIN_HOLD_MILLIS = 5_000;
    /** How long an instance keeps the view of a meeting that ended unfinished, waiting for a completion. */
    static final long COMPLETION_TIMEOUT_MILLIS = 5 * 60_000L;
    /** How often an instance that waits for a completion looks for it in the store (milliseconds). */
    static final long COMPLETION_CHECK_MILLIS = 1_000;

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
     * @param completion         where owners record that they finished a meeting; null for none (then a meeting that
     *                           ends is over at once)
     */
    record Options(long releaseGraceMillis, boolean webhooks, Executor control, Completion completion) {

        Options {
            if (webhooks && control == null) {
                throw new IllegalArgumentException("control is needed with webhooks");
            }
        }

        /** Without completion records. */
        Options(long releaseGraceMillis, boolean webhooks, Executor control) {
            this(releaseGraceMillis, webhooks, control, null);
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
    private final Completion completion;
    private final Map<String, Tracked> meetings = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile long rejoinHoldNanos = TimeUnit.MILLISECONDS.toNanos(REJOIN_HOLD_MILLIS);
    private volatile long completionTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(COMPLETION_TIMEOUT_MILLIS);

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
        this.completion = options.completion();
    }

    /** Tests: shorter bounds than {@link #REJOIN_HOLD_MILLIS} and {@link #COMPLETION_TIMEOUT_MILLIS}. */
    void tune(long rejoinHoldMillis, long completionTimeoutMillis) {
        rejoinHoldNanos = TimeUnit.MILLISECONDS.toNanos(rejoinHoldMillis);
        completionTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(completionTimeoutMillis);
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
                } else {
                    t.retire(now);
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
        // after every local check: asking a view about its election may block while the coordination service is away
        for (Tracked t : List.copyOf(meetings.values())) {
            if (!t.retiring || t.unfinished) {
                t.joinIfOutOfElection(now);
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
        if (t == null && running && reason == EndReason.TRANSCRIBED && cluster != null && completion != null) {
            endedElsewhere(id);
            return;
        }
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
     * A duplicate of a {@code meeting.bot_joined} (the same delivery reached another instance first, or came again):
     * follows the meeting only when this instance does not know it at all, so that every instance behind a fan-out
     * joins its view while an ended meeting is never followed again by a repeat. Called by one thread at a time.
     */
    synchronized void followIfUnknown(ActiveMeeting meeting) {
        if (running && !meetings.containsKey(meeting.id())) {
            follow(meeting);
        }
    }

    /**
     * {@code meeting.transcribed} for a meeting this instance never followed: its {@code meeting.bot_joined} went to
     * another instance only (a load balancer), which streamed it, or died. With completion records, join its view as a
     * meeting that ended unfinished: the record of its owner releases it, and if this instance comes to lead the view
     * first (the owner is gone), it completes the meeting from {@code transcript(id)} (see the class comment).
     */
    private void endedElsewhere(String id) {
        long now = System.nanoTime();
        Tracked t = new Tracked(new ActiveMeeting(id, null, null, null, null, null, null, null), now);
        t.endedBy = EndReason.TRANSCRIBED;
        t.retiring = true;
        t.retiredAtNanos = now;
        t.unfinished = true;
        t.lastCompletionCheckNanos = now - TimeUnit.MILLISECONDS.toNanos(COMPLETION_CHECK_MILLIS);
        meetings.put(id, t);
        LOG.info("Meeting {} is over (meeting.transcribed) and this instance did not follow it: joining its cluster view"
                 + " until its owner recorded its completion, completing it if it leads the view first", id);
        t.open();
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
                t.retire(now);
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

    /** The ids of ended meetings whose completion this instance waits for, or makes, now. */
    Set<String> unfinishedIds() {
        Set<String> ids = new TreeSet<>();
        meetings.forEach((id, t) -> {
            if (t.unfinished || t.finishing) {
                ids.add(id);
            }
        });
        return ids;
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
        /** Ended while this instance did not stream it: waits for its owner's completion record, or leadership. */
        volatile boolean unfinished;
        /** This instance records (or makes) the completion now. */
        volatile boolean finishing;
        private volatile long lastCompletionCheckNanos;
        /** When its view was last joined. */
        private volatile long joinedAtNanos;
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
            unfinished = false;
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
                joinedAtNanos = System.nanoTime();
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
            boolean leader = v.getLocalMember().isLeader();
            if (leader && !retiring) {
                LOG.debug("This instance now owns meeting {}", id);
                startStreaming();
            } else {
                stopStreaming(false);
                if (leader && unfinished) {
                    takeOver();
                }
            }
        }

        /** Leads the view of a meeting that ended unfinished: completes it (once). */
        private void takeOver() {
            synchronized (this) {
                if (!unfinished || finishing || !running) {
                    return;
                }
                finishing = true;
            }
            LOG.info("Meeting {} ended while this instance did not stream it, and it leads its cluster view now:"
                     + " completing it", id);
            completion.takeOver(meeting, () -> {
                finishing = false;
                unfinished = false;
            });
        }

        /**
         * A retiring meeting: waits for its completion (looking for the record now and then, taking it over when this
         * member leads, giving up after the bound), then releases its view once the grace time passed.
         */
        void retire(long nowNanos) {
            if (unfinished && !finishing) {
                CamelClusterView v = view;
                if (v != null && v.getLocalMember().isLeader()) {
                    takeOver();
                } else if (nowNanos - retiredAtNanos >= completionTimeoutNanos) {
                    unfinished = false;
                    completion.gaveUp(id, TimeUnit.NANOSECONDS.toMillis(nowNanos - retiredAtNanos));
                } else if (nowNanos - lastCompletionCheckNanos >= TimeUnit.MILLISECONDS.toNanos(COMPLETION_CHECK_MILLIS)) {
                    lastCompletionCheckNanos = nowNanos;
                    try {
                        if (completion.isCompleted(id)) {
                            LOG.debug("Meeting {}: its owner recorded its completion", id);
                            unfinished = false;
                        }
                    } catch (RuntimeException e) {
                        LOG.debug("Meeting {}: cannot tell whether its owner completed it: {}", id, e.toString());
                    }
                }
            }
            if (!unfinished && !finishing
                && nowNanos - retiredAtNanos >= TimeUnit.MILLISECONDS.toNanos(releaseGraceMillis)) {
                meetings.remove(id, this);
                releaseView();
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
                    if (item instanceof Finished f) {
                        TranscriptStream s = stream();
                        completion.finished(f.meeting(), s != null && s.backfillAbandoned(), () -> {
                            finishing = false;
                            done.run();
                        });
                        return false;
                    }
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
         * A cluster service can also drop this member from the election for good (camel-zookeeper after a lost
         * connection: Curator cancels, and nobody re-queues): a view that shows this member out of its election is
         * joined again ({@link ElectionCheck}), at most once per {@value #REJOIN_HOLD_MILLIS} ms. May ask the
         * coordination service, so each poll does it, after the local checks.
         */
        void joinIfOutOfElection(long nowNanos) {
            CamelClusterView v = view;
            if (v == null || (retiring && !unfinished) || finishing
                || nowNanos - joinedAtNanos < rejoinHoldNanos
                || v.getLocalMember().isLeader() || ElectionCheck.of(v) != ElectionCheck.Participation.OUT) {
                return;
            }
            LOG.info("Meeting {}: the cluster service shows this instance out of the election of its view; joining it"
                     + " again", id);
            releaseView();
            open();
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
            List<Object> last = new ArrayList<>(2);
            if (ended && selected(FirefliesEvents.MEETING_ENDED)) {
                last.add(new Lifecycle(FirefliesEvents.MEETING_ENDED, meeting));
            }
            if (ended && completion != null && view != null) {
                finishing = true;
                last.add(new Finished(meeting));
            }
            stream.stopReceiving(last);
        }

        /**
         * The meeting is over: stop streaming; the view is released after the grace time (cluster only; with webhooks
         * the meeting is remembered as long without a cluster too).
         */
        void end(long nowNanos) {
            boolean owned = isStreaming();
            stopStreaming(true);
            if (!owned && completion != null && view != null) {
                unfinished = true; // its owner (another instance, or nobody now) has to say it finished it
                lastCompletionCheckNanos = nowNanos - TimeUnit.MILLISECONDS.toNanos(COMPLETION_CHECK_MILLIS);
            }
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
