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

import io.github.camelfireflies.api.OverflowPolicy;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.api.EmitMode;
import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.internal.stream.FirefliesRealtimeClient;
import io.github.camelfireflies.internal.stream.OrderedLane;
import io.github.camelfireflies.internal.stream.RealtimeEvent;
import io.github.camelfireflies.internal.stream.TranscriptStream;
import io.github.camelfireflies.internal.socketio.Backoff;
import io.github.camelfireflies.internal.websocket.WebSocketTransport;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The roster against a cluster service that changes leadership without telling (as camel-zookeeper does after it lost
 * its ZooKeeper connection): each poll streams exactly the meetings this member leads, and joins again a view only when
 * it shows this member out of its election (never one that merely shows no leader, as camel-file's do); and, with a
 * completion store, a meeting that ends is over only once its owner finished it, or this member completed it.
 */
class MeetingRosterTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final AtomicInteger opened = new AtomicInteger();
    private final SilentCluster cluster = new SilentCluster();

    /** Connects to nothing: a stream only has to exist here, not to receive. */
    private final WebSocketTransport refusing = (uri, headers, listener) -> {
        throw new IOException("refused (test)");
    };

    @AfterEach
    void tearDown() {
        cluster.stop();
        timer.shutdownNow();
        pool.shutdownNow();
    }

    private MeetingRoster roster() {
        cluster.setCamelContext(new org.apache.camel.impl.DefaultCamelContext());
        cluster.start();
        return new MeetingRoster(streams(), cluster, router(), Set.of(), 60_000);
    }

    /** A roster the webhooks drive; its follow-ups run at once on the calling thread. */
    private MeetingRoster webhookRoster(SilentCluster withCluster, long graceMillis) {
        if (withCluster != null) {
            withCluster.setCamelContext(new org.apache.camel.impl.DefaultCamelContext());
            withCluster.start();
        }
        return new MeetingRoster(streams(), withCluster, router(), Set.of(),
                new MeetingRoster.Options(graceMillis, true, Runnable::run));
    }

    private TranscriptStream.Factory streams() {
        return (id, sink) -> {
            opened.incrementAndGet();
            return new TranscriptStream(new TranscriptStream.Settings(
                    new FirefliesRealtimeClient.Options("ws://127.0.0.1:1", "/ws/realtime", ApiKey.of("k-test"), id,
                            Set.of(), 1000, new Backoff(60_000, 60_000, 0), 0, false),
                    EmitMode.REVISIONS, 0, 10, OverflowPolicy.DROP_NEWEST),
                    new TranscriptStream.Resources(refusing, timer, pool, pool), sink);
        };
    }

    private static MeetingRoster.Router router() {
        return new MeetingRoster.Router() {
            @Override
            public boolean route(ActiveMeeting m, RealtimeEvent e, ChunkTracker.Emission em, Runnable done) {
                return true;
            }

            @Override
            public boolean routeLifecycle(String name, ActiveMeeting m, Runnable done) {
                return true;
            }

            @Override
            public void report(String message, Throwable error) {
            }
        };
    }

    private static ActiveMeeting byId(String id) {
        return new ActiveMeeting(id, null, null, null, null, null, null, null);
    }

    private static List<ActiveMeeting> inProgress(String... ids) {
        return java.util.Arrays.stream(ids)
                .map(id -> new ActiveMeeting(id, "t", null, null, null, null, null, "active")).toList();
    }

    @Test
    void leadershipLostWithoutAnEventStopsTheStreamAtTheNextPoll() {
        MeetingRoster roster = roster();
        cluster.leader = true;
        roster.reconcile(inProgress("m-1"));
        assertThat(roster.streamingIds()).containsExactly("m-1");

        cluster.view("m-1").local.leader = false; // no event, as after a lost ZooKeeper session
        cluster.view("m-1").leaderKnown = true; // another member leads
        assertThat(roster.streamingIds()).containsExactly("m-1"); // nobody told the roster yet
        roster.reconcile(inProgress("m-1"));
        assertThat(roster.streamingIds()).isEmpty();

        cluster.view("m-1").local.leader = true; // leadership came back, again without an event
        roster.reconcile(inProgress("m-1"));
        assertThat(roster.streamingIds()).containsExactly("m-1");
        roster.stopAll();
    }

    @Test
    void betweenPollsALeadershipLostWithoutAnEventStopsTheStream() {
        MeetingRoster roster = roster();
        cluster.leader = true;
        roster.reconcile(inProgress("m-5"));
        assertThat(roster.streamingIds()).containsExactly("m-5");
        cluster.view("m-5").local.leader = false;
        cluster.view("m-5").failure = new IllegalStateException("ZooKeeper is away (test)"); // not asked: local only
        roster.housekeeping();
        assertThat(roster.streamingIds()).isEmpty();
        assertThat(cluster.released).isEmpty();
        cluster.view("m-5").failure = null;
        cluster.view("m-5").local.leader = true;
        roster.housekeeping();
        assertThat(roster.streamingIds()).containsExactly("m-5");
        roster.stopAll();
    }

    @Test
    void aViewThatShowsThisMemberOutOfItsElectionIsJoinedAgain() {
        MeetingRoster roster = roster();
        roster.tune(0, 60_000);
        cluster.leader = false;
        roster.reconcile(inProgress("m-2"));
        SilentView first = cluster.view("m-2");
        assertThat(roster.streamingIds()).isEmpty();
        assertThat(first.starts.get()).isEqualTo(1);
        roster.reconcile(inProgress("m-2")); // listed among the members: left alone
        assertThat(cluster.released).isEmpty();

        first.inElection = false; // Curator cancelled this member's entry and never re-queues it; another leads
        roster.reconcile(inProgress("m-2"));
        // released (stopped) and taken again (started again: a new election entry), and told of leadership once won
        assertThat(cluster.released).contains(first);
        assertThat(cluster.view("m-2").starts.get() + (cluster.view("m-2") == first ? 0 : 1)).isEqualTo(2);
        cluster.view("m-2").local.leader = true;
        roster.reconcile(inProgress("m-2"));
        assertThat(roster.streamingIds()).containsExactly("m-2");
        roster.stopAll();
    }

    @Test
    void aViewThatListsNoMemberAndShowsNoLeaderIsNeverJoinedAgain() {
        MeetingRoster roster = roster();
        roster.tune(0, 60_000);
        cluster.leader = false;
        roster.reconcile(inProgress("m-6"));
        SilentView first = cluster.view("m-6");
        // camel-file's FileLockClusterView: no member list, and no leader visible in another process
        first.listsMembers = false;
        first.leaderKnown = false;
        for (int i = 0; i < 20; i++) {
            roster.reconcile(inProgress("m-6"));
            roster.housekeeping();
        }
        assertThat(cluster.released).isEmpty();
        assertThat(first.starts.get()).isEqualTo(1); // its own acquisition was never disturbed
        first.local.leader = true; // its lock task won
        roster.housekeeping();
        assertThat(roster.streamingIds()).containsExactly("m-6");
        roster.stopAll();
    }

    @Test
    void aViewIsNotJoinedAgainWithinTheHoldAfterItWasJoined() {
        MeetingRoster roster = roster(); // the default hold
        cluster.leader = false;
        roster.reconcile(inProgress("m-7"));
        SilentView first = cluster.view("m-7");
        first.inElection = false;
        roster.reconcile(inProgress("m-7")); // just joined: a new entry may not be listed yet
        roster.reconcile(inProgress("m-7"));
        assertThat(cluster.released).isEmpty();
        assertThat(first.starts.get()).isEqualTo(1);
        roster.stopAll();
    }

    @Test
    void botJoinedFollowsAtOnceAndTranscribedEndsTheMeetingForGood() {
        MeetingRoster roster = webhookRoster(null, 60_000);
        roster.follow(byId("w-1"));
        assertThat(roster.streamingIds()).containsExactly("w-1");
        roster.follow(byId("w-1")); // a repeat: followed already
        assertThat(opened.get()).isEqualTo(1);
        assertThat(roster.meeting("w-1").title()).isNull(); // known by its id only

        roster.named("w-1", "Weekly sync", "alice@example.com"); // what the backfill's transcript(id) said
        assertThat(roster.meeting("w-1").title()).isEqualTo("Weekly sync");
        roster.named("w-1", "Another title", null); // named already: kept
        assertThat(roster.meeting("w-1").title()).isEqualTo("Weekly sync");

        roster.ended("w-1", MeetingRoster.EndReason.TRANSCRIBED);
        assertThat(roster.streamingIds()).isEmpty();
        assertThat(roster.tracked()).isEqualTo(1); // remembered for the grace time, without a cluster too
        roster.follow(byId("w-1")); // a late meeting.bot_joined of a transcribed meeting
        assertThat(roster.streamingIds()).isEmpty();
        assertThat(opened.get()).isEqualTo(1);
        roster.housekeeping(); // within the grace time: still remembered
        assertThat(roster.tracked()).isEqualTo(1);
        roster.stopAll();
    }

    @Test
    void aMeetingWhoseSessionEndedIsFollowedAgainOnTheNextBotJoinedAndForgottenAfterTheGrace() {
        MeetingRoster roster = webhookRoster(null, 0);
        roster.follow(byId("w-2"));
        roster.ended("w-2", MeetingRoster.EndReason.SESSION_ENDED);
        assertThat(roster.streamingIds()).isEmpty();
        roster.follow(byId("w-2")); // the bot joined again
        assertThat(roster.streamingIds()).containsExactly("w-2");
        assertThat(opened.get()).isEqualTo(2);
        roster.ended("w-2", MeetingRoster.EndReason.TRANSCRIBED);
        roster.housekeeping(); // grace 0: released and forgotten
        assertThat(roster.tracked()).isZero();
        roster.stopAll();
    }

    @Test
    void aPollThatDoesNotListAWebhookMeetingYetLeavesItAloneButOneThatListedItEndsIt() {
        MeetingRoster roster = webhookRoster(null, 60_000);
        roster.follow(byId("w-3"));
        roster.reconcile(List.of()); // the list may lag behind meeting.bot_joined
        assertThat(roster.streamingIds()).containsExactly("w-3");
        roster.reconcile(inProgress("w-3")); // listed: now it has a title and a state
        assertThat(roster.meeting("w-3").state()).isEqualTo("active");
        roster.reconcile(List.of()); // listed before, not now: over
        assertThat(roster.streamingIds()).isEmpty();
        roster.stopAll();
    }

    @Test
    void withAClusterBotJoinedJoinsTheViewAndHousekeepingKeepsLeadershipTrueBetweenPolls() {
        MeetingRoster roster = webhookRoster(cluster, 0);
        cluster.leader = false;
        roster.follow(byId("w-4"));
        assertThat(cluster.view("w-4").starts.get()).isEqualTo(1);
        assertThat(roster.streamingIds()).isEmpty(); // another member leads
        cluster.view("w-4").local.leader = true; // won without an event
        cluster.view("w-4").leaderKnown = true;
        roster.housekeeping();
        assertThat(roster.streamingIds()).containsExactly("w-4");
        roster.ended("w-4", MeetingRoster.EndReason.TRANSCRIBED);
        assertThat(roster.streamingIds()).isEmpty();
        assertThat(cluster.released).isEmpty(); // the view is kept until the grace time passed...
        roster.housekeeping();
        assertThat(cluster.released).hasSize(1); // ...which is 0 here
        roster.stopAll();
    }

    @Test
    void aViewThatNamesAnEmptyLeaderHasNoLeaderAndIsJoinedAgain() {
        MeetingRoster roster = roster();
        roster.tune(0, 60_000);
        cluster.leader = false;
        roster.reconcile(inProgress("m-3"));
        SilentView first = cluster.view("m-3");
        // camel-zookeeper when nobody is in the election: no participant, Curator's placeholder leader with an empty id
        first.inElection = false;
        first.placeholderLeader = true;
        roster.reconcile(inProgress("m-3"));
        assertThat(cluster.released).contains(first);
        roster.stopAll();
    }

    @Test
    void aViewThatCannotTellItsLeaderChangesNothing() {
        MeetingRoster roster = roster();
        roster.tune(0, 60_000);
        cluster.leader = false;
        roster.reconcile(inProgress("m-4"));
        SilentView first = cluster.view("m-4");
        first.failure = new IllegalStateException("ZooKeeper is away (test)");
        roster.reconcile(inProgress("m-4")); // no exception out of the poll
        assertThat(cluster.released).doesNotContain(first);
        assertThat(roster.streamingIds()).isEmpty();
        first.failure = null;
        first.inElection = false;
        first.placeholderLeader = true;
        roster.reconcile(inProgress("m-4"));
        assertThat(cluster.released).contains(first);
        roster.stopAll();
    }

    // ------------------------------------------------------------------------------------ completion

    /** Records what the roster asks; done is called when the test says so, on another thread. */
    static final class FakeCompletion implements MeetingRoster.Completion {
        volatile boolean completed;
        final List<String> finished = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> takenOver = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> gaveUp = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Runnable> pending = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public boolean isCompleted(String id) {
            return completed;
        }

        @Override
        public void finished(ActiveMeeting meeting, boolean fetchFirst, Runnable done) {
            finished.add(meeting.id() + (fetchFirst ? " fetch" : ""));
            pending.add(done);
        }

        @Override
        public void takeOver(ActiveMeeting meeting, Runnable done) {
            takenOver.add(meeting.id());
            pending.add(done);
        }

        @Override
        public void gaveUp(String id, long waitedMillis) {
            gaveUp.add(id);
        }

        void complete() {
            List<Runnable> all = List.copyOf(pending);
            pending.clear();
            all.forEach(Runnable::run);
        }
    }

    private MeetingRoster completingRoster(FakeCompletion completion) {
        cluster.setCamelContext(new org.apache.camel.impl.DefaultCamelContext());
        cluster.start();
        return new MeetingRoster(streams(), cluster, router(), Set.of(),
                new MeetingRoster.Options(0, false, Runnable::run, completion));
    }

    @Test
    void aMeetingThatEndedWhileAnotherMemberOwnedItKeepsItsViewUntilTheOwnerRecordedItsCompletion() {
        FakeCompletion completion = new FakeCompletion();
        MeetingRoster roster = completingRoster(completion);
        cluster.leader = false;
        roster.reconcile(inProgress("c-1"));
        roster.reconcile(List.of()); // over; another member streamed it
        roster.housekeeping();
        roster.reconcile(List.of());
        assertThat(cluster.released).isEmpty(); // grace 0, but nobody said it was finished
        assertThat(roster.unfinishedIds()).containsExactly("c-1");
        completion.completed = true; // the owner recorded it
        roster.tune(5_000, 60_000);
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            roster.housekeeping();
            assertThat(cluster.released).hasSize(1);
        });
        assertThat(completion.takenOver).isEmpty();
        assertThat(roster.unfinishedIds()).isEmpty();
        roster.stopAll();
    }

    @Test
    void aMeetingThatEndedUnfinishedIsTakenOverOnceByTheMemberThatLeadsItsView() {
        FakeCompletion completion = new FakeCompletion();
        MeetingRoster roster = completingRoster(completion);
        cluster.leader = false;
        roster.reconcile(inProgress("c-2"));
        roster.reconcile(List.of()); // over while another member owned it
        cluster.view("c-2").local.leader = true; // the owner died: this member leads now, without an event
        roster.housekeeping();
        roster.housekeeping();
        roster.reconcile(List.of());
        assertThat(completion.takenOver).containsExactly("c-2");
        assertThat(roster.streamingIds()).isEmpty(); // an ended meeting is not streamed, it is completed
        assertThat(cluster.released).isEmpty();
        completion.complete();
        roster.housekeeping();
        assertThat(cluster.released).hasSize(1);
        assertThat(completion.finished).isEmpty();
        roster.stopAll();
    }

    @Test
    void theOwnerRecordsItsCompletionAfterItsLastItemAndKeepsItsViewUntilThen() {
        FakeCompletion completion = new FakeCompletion();
        MeetingRoster roster = completingRoster(completion);
        cluster.leader = true;
        roster.reconcile(inProgress("c-3"));
        assertThat(roster.streamingIds()).containsExactly("c-3");
        roster.reconcile(List.of()); // over: the stream flushes, then the roster's Finished item
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !completion.finished.isEmpty());
        assertThat(completion.finished).containsExactly("c-3"); // no backfill: nothing to fetch first
        roster.housekeeping();
        assertThat(cluster.released).isEmpty();
        completion.complete();
        roster.housekeeping();
        assertThat(cluster.released).hasSize(1);
        assertThat(completion.takenOver).isEmpty();
        roster.stopAll();
    }

    @Test
    void aCompletionNobodyRecordsIsGivenUpAfterTheBound() {
        FakeCompletion completion = new FakeCompletion();
        MeetingRoster roster = completingRoster(completion);
        roster.tune(5_000, 0);
        cluster.leader = false;
        roster.reconcile(inProgress("c-4"));
        roster.reconcile(List.of());
        roster.housekeeping();
        assertThat(completion.gaveUp).containsExactly("c-4");
        assertThat(cluster.released).hasSize(1);
        roster.stopAll();
    }

    // ------------------------------------------------------------------------------------ one delivery, one instance

    private MeetingRoster webhookCompletingRoster(FakeCompletion completion) {
        cluster.setCamelContext(new org.apache.camel.impl.DefaultCamelContext());
        cluster.start();
        return new MeetingRoster(streams(), cluster, router(), Set.of(),
                new MeetingRoster.Options(0, true, Runnable::run, completion));
    }

    @Test
    void aMeetingTranscribedThatThisInstanceNeverFollowedWaitsInItsViewAndIsCompletedOnceItsOwnerIsGone() {
        FakeCompletion completion = new FakeCompletion();
        MeetingRoster roster = webhookCompletingRoster(completion);
        cluster.leader = false; // the instance that got meeting.bot_joined owns it
        roster.ended("lb-1", MeetingRoster.EndReason.TRANSCRIBED);
        assertThat(cluster.view("lb-1")).as("joined its view").isNotNull();
        assertThat(roster.unfinishedIds()).containsExactly("lb-1");
        roster.housekeeping();
        assertThat(completion.takenOver).isEmpty();
        assertThat(cluster.released).isEmpty();
        roster.follow(byId("lb-1")); // a late meeting.bot_joined: transcribed, never followed
        assertThat(opened.get()).isZero();

        cluster.view("lb-1").local.leader = true; // the owner died: this member leads, without an event
        roster.housekeeping();
        roster.housekeeping();
        assertThat(completion.takenOver).containsExactly("lb-1");
        assertThat(opened.get()).as("completed, not streamed").isZero();
        completion.complete();
        roster.housekeeping();
        assertThat(cluster.released).hasSize(1);
        assertThat(roster.unfinishedIds()).isEmpty();
        roster.stopAll();
    }

    @Test
    void aMeetingTranscribedThatThisInstanceNeverFollowedIsReleasedOnceItsOwnerRecordedItsCompletion() {
        FakeCompletion completion = new FakeCompletion();
        MeetingRoster roster = webhookCompletingRoster(completion);
        cluster.leader = false;
        completion.completed = true; // its owner finished it
        roster.ended("lb-2", MeetingRoster.EndReason.TRANSCRIBED);
        roster.housekeeping();
        assertThat(cluster.released).hasSize(1);
        assertThat(completion.takenOver).isEmpty();
        assertThat(completion.gaveUp).isEmpty();
        assertThat(opened.get()).isZero();
        roster.stopAll();
    }

    @Test
    void withoutCompletionRecordsAMeetingTranscribedThatThisInstanceNeverFollowedIsIgnored() {
        MeetingRoster roster = webhookRoster(cluster, 0);
        roster.ended("lb-3", MeetingRoster.EndReason.TRANSCRIBED);
        assertThat(roster.tracked()).isZero();
        assertThat(cluster.view("lb-3")).isNull();
        roster.stopAll();
    }

    @Test
    void aRepeatedMeetingBotJoinedFollowsOnlyAMeetingThisInstanceDoesNotKnow() {
        MeetingRoster roster = webhookRoster(cluster, 60_000);
        cluster.leader = true;
        roster.followIfUnknown(byId("d-1")); // the copy another instance took first
        assertThat(roster.streamingIds()).containsExactly("d-1");
        assertThat(opened.get()).isEqualTo(1);
        roster.followIfUnknown(byId("d-1"));
        assertThat(opened.get()).isEqualTo(1);
        roster.ended("d-1", MeetingRoster.EndReason.SESSION_ENDED);
        roster.followIfUnknown(byId("d-1")); // a repeat after its end does not follow it again
        assertThat(roster.streamingIds()).isEmpty();
        assertThat(opened.get()).isEqualTo(1);
        roster.follow(byId("d-1")); // a new meeting.bot_joined does
        assertThat(roster.streamingIds()).containsExactly("d-1");
        roster.stopAll();
    }

    /** Views whose leadership the test sets, without events unless asked. */
    static final class SilentCluster extends AbstractCamelClusterService<SilentView> {
        volatile boolean leader;
        final List<SilentView> released = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Map<String, SilentView> views = new java.util.concurrent.ConcurrentHashMap<>();

        SilentCluster() {
            super("silent");
        }

        @Override
        protected SilentView createView(String namespace) {
            SilentView v = new SilentView(this, namespace, leader);
            views.put(namespace, v);
            return v;
        }

        @Override
        public void releaseView(org.apache.camel.cluster.CamelClusterView view) throws Exception {
            released.add((SilentView) view);
            super.releaseView(view);
        }

        SilentView view(String meeting) {
            return views.get(MeetingRoster.VIEW_PREFIX + meeting);
        }
    }

    static final class SilentView extends AbstractCamelClusterView {
        final Member local;
        final AtomicInteger starts = new AtomicInteger();
        volatile boolean leaderKnown = true;
        /** Names a leader with an empty id, as camel-zookeeper does when nobody leads. */
        volatile boolean placeholderLeader;
        /** Thrown by getLeader and getMembers, as a view whose coordination service is away does. */
        volatile RuntimeException failure;
        /** Whether getMembers lists the election's members (camel-zookeeper does, camel-file does not). */
        volatile boolean listsMembers = true;
        /** Whether this member is among them; when not, another member is. */
        volatile boolean inElection = true;

        SilentView(SilentCluster cluster, String namespace, boolean leader) {
            super(cluster, namespace);
            this.local = new Member(leader);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
            if (placeholderLeader) {
                return Optional.of(new Member(false, ""));
            }
            return leaderKnown ? Optional.of(local.leader ? local : new Member(true)) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            RuntimeException f = failure;
            if (f != null) {
                throw f;
            }
            if (!listsMembers) {
                return List.of();
            }
            if (placeholderLeader) {
                return List.of(); // nobody in the election
            }
            return inElection ? List.of(local) : List.of(new Member(true, "other"));
        }

        @Override
        protected void doStart() {
            starts.incrementAndGet();
        }

        @Override
        protected void doStop() {
        }
    }

    static final class Member implements CamelClusterMember {
        volatile boolean leader;
        private final String id;

        Member(boolean leader) {
            this(leader, "local");
        }

        Member(boolean leader, String id) {
            this.leader = leader;
            this.id = id;
        }

        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public String getId() {
            return id;
        }
    }
}
