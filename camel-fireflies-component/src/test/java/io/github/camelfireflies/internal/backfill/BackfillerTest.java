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
package io.github.camelfireflies.internal.backfill;

import io.github.camelfireflies.api.FirefliesEvents;
import io.github.camelfireflies.api.BackfillMode;
import io.github.camelfireflies.api.FirefliesException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.camelfireflies.api.EmitMode;
import io.github.camelfireflies.api.TranscriptSentence;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.LiveTranscript;
import io.github.camelfireflies.api.FirefliesException.BackfillException;
import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the backfill fetches, what waits behind it and what it reports, without sockets or Camel: the stream's lane is
 * played by the test (markers the backfill offers are fed back in order), the GraphQL answers are futures the test
 * completes, the emit mode's tracker is real (the stream's part of the merge, as TranscriptStream wires it), and time
 * (the hold, a Retry-After) is a manual clock the test moves.
 */
class BackfillerTest {

    private static final String TID = "t1";
    private static final Object TICK = "TICK";
    private static final Object FLUSH = "FLUSH";
    private static final long FINALIZE_AFTER = 1000;

    /** The backfill's timer and the source's clock: the hold and the Retry-After waits pass when the test says. */
    private final ManualScheduler manual = new ManualScheduler();
    private final List<CompletableFuture<LiveTranscript>> fetches = new CopyOnWriteArrayList<>();
    private final BackfillSource source = new BackfillSource(id -> {
        CompletableFuture<LiveTranscript> f = new CompletableFuture<>();
        fetches.add(f);
        return f;
    }, manual::nanoTime);
    private final AtomicLong clock = new AtomicLong(100_000);
    private final Lane lane = new Lane();
    private ChunkTracker tracker;
    private Backfiller backfiller;

    /** The stream's side: what was routed, reported and marked, and the markers offered back into the lane. */
    private final class Lane implements BackfillHost {
        final ConcurrentLinkedQueue<Object> offered = new ConcurrentLinkedQueue<>();
        final List<String> routed = new ArrayList<>();
        final List<FirefliesException> reports = new ArrayList<>();
        final List<Long> gapMarks = new ArrayList<>();

        @Override
        public boolean offer(Object item) {
            return offered.add(item);
        }

        @Override
        public void process(Object item) {
            if (item instanceof TranscriptionEvent e) {
                emitted(tracker.accept(e, clock.get()));
            } else if (item == TICK) {
                if (!backfiller.freezesFinality()) {
                    emitted(tracker.tick(clock.get()));
                }
            } else if (item == FLUSH) {
                backfiller.abandon();
                emitted(tracker.flushAll());
            } else {
                routed.add("other:" + item);
            }
        }

        @Override
        public TranscriptionEvent transcription(Object item) {
            return item instanceof TranscriptionEvent e ? e : null;
        }

        @Override
        public Double firstLiveStart() {
            return tracker.firstLiveStart();
        }

        @Override
        public long merge(SentenceMerge.Backfill backfill, long gapMillis) {
            List<ChunkTracker.Emission> out = tracker.acceptBackfill(backfill, clock.get());
            if (!out.isEmpty() && gapMillis >= 0) {
                gapMarks.add(gapMillis);
            }
            emitted(out);
            return out.stream().filter(ChunkTracker.Emission::backfill).count();
        }

        void emitted(List<ChunkTracker.Emission> emissions) {
            for (ChunkTracker.Emission e : emissions) {
                routed.add(e.event().chunkId() + ":" + e.event().text() + (e.backfill() ? " B" : ""));
            }
        }

        @Override
        public void gapOpened() {
        }

        @Override
        public void report(FirefliesException error) {
            reports.add(error);
        }

        /** One lane item, as TranscriptStream.handle does. */
        void handle(Object item) {
            if (!backfiller.intercept(item)) {
                process(item);
            }
        }

        /** Feeds back every marker offered so far. */
        void pump() {
            Object o;
            while ((o = offered.poll()) != null) {
                handle(o);
            }
        }
    }

    private void start(BackfillMode mode, EmitMode emit, long holdMillis, int holdLimit) {
        tracker = new ChunkTracker(emit, FINALIZE_AFTER);
        backfiller = new Backfiller(mode, source, TID, manual, Runnable::run, FINALIZE_AFTER, holdMillis, holdLimit,
                item -> item != TICK && item != FLUSH, clock::get, lane);
    }

    /** A live event as the stream's lane holds it (the stream's RealtimeEvent carries one). */
    private static TranscriptionEvent live(String chunk, String text, double start) {
        return new TranscriptionEvent(TID, chunk, text, "Ann", start, start + 0.5);
    }

    private static TranscriptSentence sentence(String text, double start) {
        return new TranscriptSentence(null, text, text, "Ann", 1, start, start + 0.5);
    }

    private static LiveTranscript transcript(boolean live, TranscriptSentence... sentences) {
        return new LiveTranscript(TID, live, null, List.of(sentences));
    }

    private void answer(int fetch, LiveTranscript t) {
        fetches.get(fetch).complete(t);
        assertThat(lane.offered).as("the answer offered into the lane at once").isNotEmpty();
        lane.pump();
    }

    private void fail(int fetch, Throwable error) {
        fetches.get(fetch).completeExceptionally(error);
        assertThat(lane.offered).as("the answer offered into the lane at once").isNotEmpty();
        lane.pump();
    }

    /** Connected, a few live events, the connection lost. */
    private void connectedThenLost() {
        lane.handle(new BackfillMarkers.Connected(false, 0));
        lane.handle(live("a", "one", 0));
        lane.handle(live("b", "two", 1));
        lane.handle(BackfillMarkers.GAP_OPENED);
    }

    // ------------------------------------------------------------------------------------------ gaps

    @Test
    void aReconnectFetchesOnceAndTheGapComesBeforeTheLiveEventsThatFollow() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 60_000, 100);
        connectedThenLost();
        assertThat(fetches).isEmpty();
        assertThat(backfiller.freezesFinality()).isTrue();
        lane.handle(new BackfillMarkers.Connected(true, 2500));
        assertThat(fetches).hasSize(1);
        assertThat(backfiller.calls()).isEqualTo(1);
        // the live events of the new connection wait behind the fetch
        lane.handle(live("e", "five", 4));
        lane.handle("lifecycle");
        assertThat(backfiller.pending()).isEqualTo(3);
        assertThat(lane.routed).containsExactly("a:one", "b:two");
        answer(0, transcript(true, sentence("one", 0), sentence("two", 1), sentence("three", 2), sentence("four", 3),
                sentence("five", 4)));
        assertThat(lane.routed).containsExactly("a:one", "b:two", "backfill-2000-ann:three B", "backfill-3000-ann:four B",
                "e:five", "other:lifecycle");
        assertThat(lane.gapMarks).containsExactly(2500L);
        assertThat(backfiller.pending()).isZero();
        assertThat(backfiller.freezesFinality()).isFalse();
        assertThat(lane.reports).isEmpty();
        assertThat(fetches).hasSize(1);
    }

    @Test
    void theFirstConnectFetchesOnlyWithAll() {
        start(BackfillMode.GAPS, EmitMode.FINAL, 60_000, 100);
        lane.handle(new BackfillMarkers.Connected(false, 0));
        assertThat(fetches).isEmpty();

        start(BackfillMode.ALL, EmitMode.FINAL, 60_000, 100);
        lane.handle(new BackfillMarkers.Connected(false, 0));
        assertThat(fetches).hasSize(1);
        lane.handle(live("c", "now speaking", 20));
        answer(0, transcript(true, sentence("earlier", 0), sentence("before", 10), sentence("now", 20)));
        lane.handle(FLUSH);
        assertThat(lane.routed).containsExactly("backfill-0-ann:earlier B", "backfill-10000-ann:before B",
                "c:now speaking");
        assertThat(lane.gapMarks).isEmpty();
    }

    @Test
    void gapsThatCloseWhileAFetchIsPendingAreCoalescedIntoOneFollowUp() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 60_000, 100);
        connectedThenLost();
        lane.handle(new BackfillMarkers.Connected(true, 100));
        for (int i = 0; i < 5; i++) { // the connection flaps while the first fetch is out
            lane.handle(BackfillMarkers.GAP_OPENED);
            lane.handle(new BackfillMarkers.Connected(true, 100));
        }
        assertThat(fetches).hasSize(1);
        lane.handle(live("z", "later", 9));
        answer(0, transcript(true, sentence("one", 0), sentence("two", 1), sentence("three", 2)));
        assertThat(fetches).as("one follow-up for the five gaps").hasSize(2);
        assertThat(lane.routed).containsExactly("a:one", "b:two", "backfill-2000-ann:three B"); // z still waits
        answer(1, transcript(true, sentence("one", 0), sentence("two", 1), sentence("three", 2), sentence("eight", 8),
                sentence("later", 9)));
        assertThat(lane.routed).containsExactly("a:one", "b:two", "backfill-2000-ann:three B", "backfill-8000-ann:eight B",
                "z:later");
        assertThat(backfiller.calls()).isEqualTo(2);
    }

    @Test
    void aRateLimitIsWaitedForOnceThenReportedAndLiveEventsGoOn() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 60_000, 100);
        connectedThenLost();
        lane.handle(new BackfillMarkers.Connected(true, 100));
        lane.handle(live("z", "later", 9));
        fail(0, new GraphQLException.RateLimitedException("slow down", 429, "too_many_requests", Duration.ofMillis(300)));
        assertThat(fetches).as("no call before the Retry-After").hasSize(1);
        assertThat(source.retryInMillis()).isPositive();
        assertThat(lane.routed).containsExactly("a:one", "b:two"); // 300 ms is within the hold: z still waits
        manual.advance(299, TimeUnit.MILLISECONDS);
        lane.pump();
        assertThat(fetches).as("no call before the Retry-After").hasSize(1);
        manual.advance(1, TimeUnit.MILLISECONDS);
        lane.pump(); // the Retry marker
        assertThat(fetches).hasSize(2);
        fail(1, new GraphQLException.RateLimitedException("slow down", 429, "too_many_requests", Duration.ofMillis(300)));
        assertThat(lane.reports).singleElement().isInstanceOfSatisfying(BackfillException.class,
                e -> assertThat(e.getReason()).isEqualTo(BackfillException.Reason.RATE_LIMITED));
        assertThat(lane.routed).containsExactly("a:one", "b:two", "z:later");
        assertThat(source.rateLimited()).isEqualTo(2);
        assertThat(backfiller.calls()).isEqualTo(2);
    }

    @Test
    void aLongRetryAfterLetsTheLiveEventsGoOnAndTheGapFollowsLate() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 200, 100);
        connectedThenLost();
        lane.handle(new BackfillMarkers.Connected(true, 100));
        lane.handle(live("z", "later", 9));
        fail(0, new GraphQLException.RateLimitedException("slow down", 429, "too_many_requests", Duration.ofMillis(600)));
        assertThat(lane.routed).as("600 ms is longer than the 200 ms hold").containsExactly("a:one", "b:two", "z:later");
        assertThat(backfiller.freezesFinality()).isFalse();
        manual.advance(600, TimeUnit.MILLISECONDS);
        lane.pump(); // the Retry marker comes after the HoldExpired one
        assertThat(fetches).hasSize(2);
        answer(1, transcript(true, sentence("one", 0), sentence("two", 1), sentence("three", 2), sentence("later", 9)));
        assertThat(lane.routed).containsExactly("a:one", "b:two", "z:later", "backfill-2000-ann:three B");
        assertThat(lane.reports).isEmpty();
    }

    @Test
    void aMeetingNoLongerLiveIsReportedOnceAndNeverFetchedAgain() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 60_000, 100);
        connectedThenLost();
        lane.handle(new BackfillMarkers.Connected(true, 100));
        lane.handle(live("z", "later", 9));
        answer(0, transcript(false, sentence("one", 0), sentence("processed text", 2)));
        assertThat(lane.routed).containsExactly("a:one", "b:two", "z:later");
        for (int i = 0; i < 3; i++) {
            lane.handle(BackfillMarkers.GAP_OPENED);
            lane.handle(new BackfillMarkers.Connected(true, 100));
            assertThat(backfiller.freezesFinality()).isFalse();
        }
        assertThat(fetches).hasSize(1);
        assertThat(lane.reports).singleElement().isInstanceOfSatisfying(BackfillException.class, e -> {
            assertThat(e.getReason()).isEqualTo(BackfillException.Reason.NOT_LIVE);
            assertThat(e.getTranscriptId()).isEqualTo(TID);
            assertThat(e.getMessage()).contains(TID, "no longer live");
        });
    }

    @Test
    void aRefusedKeyIsReportedOnceAndNeverFetchedAgain() {
        start(BackfillMode.ALL, EmitMode.REVISIONS, 60_000, 100);
        lane.handle(new BackfillMarkers.Connected(false, 0));
        fail(0, new GraphQLException.AuthenticationException("refused", 401, "auth_failed"));
        lane.handle(BackfillMarkers.GAP_OPENED);
        lane.handle(new BackfillMarkers.Connected(true, 100));
        assertThat(fetches).hasSize(1);
        assertThat(lane.reports).singleElement().isInstanceOfSatisfying(BackfillException.class,
                e -> assertThat(e.getReason()).isEqualTo(BackfillException.Reason.REFUSED));
    }

    @Test
    void anotherFailureIsReportedOncePerGapAndTheNextGapTriesAgain() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 60_000, 100);
        connectedThenLost();
        lane.handle(new BackfillMarkers.Connected(true, 100));
        fail(0, new GraphQLException("HTTP 503", 503, null, null));
        assertThat(lane.reports).hasSize(1);
        assertThat(fetches).hasSize(1);
        lane.handle(BackfillMarkers.GAP_OPENED);
        lane.handle(new BackfillMarkers.Connected(true, 100));
        assertThat(fetches).hasSize(2);
        answer(1, transcript(true, sentence("one", 0), sentence("two", 1), sentence("three", 2)));
        assertThat(lane.reports).hasSize(1);
        assertThat(((BackfillException) lane.reports.get(0)).getReason()).isEqualTo(BackfillException.Reason.FAILED);
        assertThat(lane.routed).containsExactly("a:one", "b:two", "backfill-2000-ann:three B");
    }

    @Test
    void theHoldEndsAfterItsTimeAndALateAnswerIsStillMerged() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 150, 100);
        connectedThenLost();
        lane.handle(new BackfillMarkers.Connected(true, 100));
        lane.handle(live("z", "later", 9));
        manual.advance(149, TimeUnit.MILLISECONDS);
        lane.pump();
        assertThat(lane.routed).as("still held").containsExactly("a:one", "b:two");
        manual.advance(1, TimeUnit.MILLISECONDS);
        lane.pump(); // HoldExpired
        assertThat(lane.routed).containsExactly("a:one", "b:two", "z:later");
        assertThat(backfiller.pending()).isEqualTo(1); // the fetch is still out
        answer(0, transcript(true, sentence("one", 0), sentence("two", 1), sentence("three", 2), sentence("later", 9)));
        assertThat(lane.routed).containsExactly("a:one", "b:two", "z:later", "backfill-2000-ann:three B");
        assertThat(backfiller.pending()).isZero();
    }

    @Test
    void theHoldEndsWhenTooManyItemsWait() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 60_000, 3);
        connectedThenLost();
        lane.handle(new BackfillMarkers.Connected(true, 100));
        lane.handle(live("x", "x", 5));
        lane.handle(live("y", "y", 6));
        assertThat(lane.routed).containsExactly("a:one", "b:two");
        lane.handle(live("z", "z", 7));
        assertThat(lane.routed).containsExactly("a:one", "b:two", "x:x", "y:y", "z:z");
    }

    @Test
    void aFlushAbandonsTheFetchAndReleasesWhatWaits() {
        start(BackfillMode.GAPS, EmitMode.FINAL, 60_000, 100);
        connectedThenLost();
        lane.handle(new BackfillMarkers.Connected(true, 100));
        lane.handle(live("z", "later", 9));
        lane.handle(FLUSH);
        assertThat(lane.routed).containsExactly("a:one", "b:two", "z:later");
        answer(0, transcript(true, sentence("one", 0), sentence("two", 1), sentence("three", 2)));
        assertThat(lane.routed).as("an abandoned answer is ignored").hasSize(3);
        assertThat(backfiller.pending()).isZero();
    }

    @Test
    void finalityIsFrozenFromTheLossUntilTheBackfillIsMerged() {
        start(BackfillMode.GAPS, EmitMode.FINAL, 60_000, 100);
        connectedThenLost();
        clock.addAndGet(10 * FINALIZE_AFTER);
        lane.handle(TICK);
        assertThat(lane.routed).as("a is quiet and b is newer, but the gap may have changed a").isEmpty();
        lane.handle(new BackfillMarkers.Connected(true, 100));
        lane.handle(TICK);
        assertThat(lane.routed).isEmpty();
        answer(0, transcript(true, sentence("one more", 0), sentence("two", 1), sentence("three", 2)));
        lane.handle(TICK);
        assertThat(lane.routed).containsExactly("a:one more B", "b:two");
    }

    @Test
    void aDroppedAnswerDoesNotLeaveTheStreamWaiting() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 60_000, 100);
        connectedThenLost();
        lane.handle(new BackfillMarkers.Connected(true, 100));
        lane.handle(live("z", "later", 9));
        backfiller.markerLost(new BackfillMarkers.Fetched(1, null, null));
        lane.handle(live("y", "after", 10));
        assertThat(lane.routed).containsExactly("a:one", "b:two", "z:later", "y:after");
        assertThat(backfiller.freezesFinality()).isFalse();
        assertThat(lane.reports).singleElement().isInstanceOf(BackfillException.class);
    }

    @Test
    void oneRateLimitHoldsBackEveryStreamOfTheSource() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 10_000, 100);
        source.limitFor(Duration.ofSeconds(30));
        connectedThenLost();
        lane.handle(new BackfillMarkers.Connected(true, 100));
        assertThat(fetches).as("the source is closed for 30 s").isEmpty();
        assertThat(backfiller.calls()).isZero();
        assertThat(source.calls()).isZero();
        lane.handle(live("z", "later", 9));
        assertThat(lane.routed).as("30 s is longer than the 10 s hold").containsExactly("a:one", "b:two", "z:later");
    }

    @Test
    void withGapsWhatWasSaidBeforeTheFirstLiveSegmentIsNotEmitted() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 60_000, 100);
        lane.handle(new BackfillMarkers.Connected(false, 0));
        lane.handle(live("j", "joined", 10));
        lane.handle(BackfillMarkers.GAP_OPENED);
        lane.handle(new BackfillMarkers.Connected(true, 100));
        answer(0, transcript(true, sentence("before the join", 4), sentence("joined", 10), sentence("in the gap", 12)));
        assertThat(lane.routed).containsExactly("j:joined", "backfill-12000-ann:in the gap B");
    }

    @Test
    void withGapsAndNothingReceivedYetTheMeetingsDateTellsWhenTheConsumerJoined() {
        start(BackfillMode.GAPS, EmitMode.REVISIONS, 60_000, 100);
        long joined = System.currentTimeMillis();
        lane.handle(new BackfillMarkers.Connected(false, 0)); // silence, then a drop
        lane.handle(BackfillMarkers.GAP_OPENED);
        lane.handle(new BackfillMarkers.Connected(true, 100));
        // the meeting started 60 s before the join: its first minute (less a 2 s margin) is not the consumer's
        LiveTranscript t = new LiveTranscript(TID, true, joined - 60_000, List.of(sentence("early", 5),
                sentence("just before", 58.5), sentence("after the join", 61)));
        answer(0, t);
        assertThat(lane.routed).containsExactly("backfill-58500-ann:just before B", "backfill-61000-ann:after the join B");
    }
}
