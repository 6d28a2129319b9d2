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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.api.EmitMode;
import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.LiveTranscript;
import io.github.camelfireflies.internal.backfill.SentenceMerge;
import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.api.FirefliesEvents;
import io.github.camelfireflies.internal.stream.RealtimeEvent;
import io.github.camelfireflies.internal.stream.SegmentKey;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MeetingRoster.Completion} of a {@code fireflies:meetings} consumer with a cluster service and an
 * {@code idempotentRepository} ({@code emit=final}): the completion of a meeting is the key
 * {@link SegmentKey#completionKey} in the same repository as the segments, so it needs no other store.
 * <ul>
 * <li><b>The owner</b> adds it once its stream routed the meeting's last segment (and, when its stream stopped before
 * its backfill answered, after completing the meeting as below).</li>
 * <li><b>A taker</b> (an instance that leads the view of a meeting that ended unfinished) first looks for the key; if
 * it is missing, it fetches {@code transcript(id)} once (one GraphQL call: the live sentences while the meeting is
 * live, the finished transcript after), makes each sentence a final segment (chunk id
 * {@code backfill-<start ms>-<speaker>}, {@code CamelFirefliesBackfill=true}), routes in order those the repository
 * does not hold (the rest is skipped as for any handover), then {@code meeting.ended} when it is selected, and adds the
 * key.</li>
 * <li><b>Failures</b> (the repository, the GraphQL call) are tried again, after 1 s doubling up to 30 s (a 429 after
 * its Retry-After), until {@value MeetingRoster#COMPLETION_TIMEOUT_MILLIS} ms after the meeting ended; then it gives
 * up with one WARN line, counted ({@link #gaveUp()}).</li>
 * </ul>
 * Not thread-bound: each meeting's work runs one step at a time on the given executor and timer.
 */
final class MeetingCompletion implements MeetingRoster.Completion {

    private static final Logger LOG = LoggerFactory.getLogger(MeetingCompletion.class);
    static final long FIRST_RETRY_MILLIS = 1_000;
    static final long MAX_RETRY_MILLIS = 30_000;

    private final DefaultConsumer consumer;
    private final EmittedSegments emitted;
    private final MeetingRoster.Router router;
    private final Function<String, CompletableFuture<LiveTranscript>> fetcher;
    private final boolean meetingEnded;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoClock;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong takenOver = new AtomicLong();
    private final AtomicLong gaveUp = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();

    /**
     * @param consumer     whose exception handler hears of failures
     * @param emitted      the repository of emitted segments
     * @param router       routes a segment (through {@code emitted}) or {@code meeting.ended}
     * @param fetcher      GraphQL {@code transcript(id)}, without blocking
     * @param meetingEnded whether {@code meeting.ended} is selected
     * @param executor     where each step runs
     * @param timer        for the waits between tries
     */
    MeetingCompletion(DefaultConsumer consumer, EmittedSegments emitted, MeetingRoster.Router router,
                      Function<String, CompletableFuture<LiveTranscript>> fetcher, boolean meetingEnded,
                      Executor executor, ScheduledExecutorService timer) {
        this(consumer, emitted, router, fetcher, meetingEnded, executor, timer, System::nanoTime);
    }

    /**
     * As above, with the clock the bound is measured on (tests: a manual one, with a manual {@code timer}).
     *
     * @param nanoClock {@link System#nanoTime()} or a stand-in
     */
    MeetingCompletion(DefaultConsumer consumer, EmittedSegments emitted, MeetingRoster.Router router,
                      Function<String, CompletableFuture<LiveTranscript>> fetcher, boolean meetingEnded,
                      Executor executor, ScheduledExecutorService timer, LongSupplier nanoClock) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.emitted = Objects.requireNonNull(emitted, "emitted");
        this.router = Objects.requireNonNull(router, "router");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.meetingEnded = meetingEnded;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public boolean isCompleted(String id) {
        try {
            return emitted.contains(SegmentKey.completionKey(id));
        } catch (RuntimeException e) {
            emitted.failedElsewhere(consumer, "Cannot look for the completion of meeting " + id + " in the idempotent"
                                              + " repository; looked for again later", e);
            throw e;
        }
    }

    @Override
    public void finished(ActiveMeeting meeting, boolean fetchFirst, Runnable done) {
        Work w = new Work(meeting, done, false);
        if (fetchFirst) {
            LOG.info("Meeting {} ended before its stream's backfill answered: completing it from transcript(id)",
                    meeting.id());
            w.later(0, w::fetch);
        } else {
            w.later(0, w::record);
        }
    }

    @Override
    public void takeOver(ActiveMeeting meeting, Runnable done) {
        Work w = new Work(meeting, done, true);
        w.later(0, w::check);
    }

    @Override
    public void gaveUp(String id, long waitedMillis) {
        gaveUp.incrementAndGet();
        LOG.warn("Meeting {} ended {} ms ago and nobody recorded that it emitted its last segment; giving up on it (its"
                 + " last segments may be missing)", id, waitedMillis);
    }

    /** Completions recorded by this consumer (as owner or taker). */
    long recorded() {
        return recorded.get();
    }

    /** Meetings this consumer completed for an owner that did not. */
    long takenOver() {
        return takenOver.get();
    }

    /** Meetings given up (see the class comment). */
    long gaveUp() {
        return gaveUp.get();
    }

    /** GraphQL calls made to complete meetings. */
    long calls() {
        return calls.get();
    }

    /** One meeting's completion, one step at a time. */
    private final class Work {

        private final ActiveMeeting meeting;
        private final Runnable done;
        private final boolean taker;
        private final long deadlineNanos;
        private long nextWait = FIRST_RETRY_MILLIS;

        Work(ActiveMeeting meeting, Runnable done, boolean taker) {
            this.meeting = meeting;
            this.done = done;
            this.taker = taker;
            this.deadlineNanos = nanoClock.getAsLong()
                                 + TimeUnit.MILLISECONDS.toNanos(MeetingRoster.COMPLETION_TIMEOUT_MILLIS);
        }

        /** Taker: did the owner record it meanwhile? */
        void check() {
            boolean completed;
            try {
                completed = isCompleted(meeting.id());
            } catch (RuntimeException e) {
                retry(this::check);
                return;
            }
            if (completed) {
                LOG.info("Meeting {}: its owner had recorded its completion; nothing to do", meeting.id());
                finish();
            } else {
                fetch();
            }
        }

        void fetch() {
            calls.incrementAndGet();
            CompletableFuture<LiveTranscript> f;
            try {
                f = fetcher.apply(meeting.id());
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((t, e) -> run(() -> fetched(t, e)));
        }

        private void fetched(LiveTranscript t, Throwable error) {
            Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (e != null) {
                String why = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
                if (e instanceof GraphQLException.AuthenticationException) {
                    consumer.getExceptionHandler().handleException("Cannot complete meeting " + meeting.id()
                                                                   + ": the GraphQL API refused the API key", e);
                    giveUp();
                    return;
                }
                Duration wait = e instanceof GraphQLException.RateLimitedException rl ? rl.getRetryAfter() : null;
                LOG.info("Meeting {}: transcript(id) failed ({}); tried again", meeting.id(), why);
                if (wait != null) {
                    later(Math.max(nextWait, wait.toMillis()), this::fetch);
                } else {
                    retry(this::fetch);
                }
                return;
            }
            ChunkTracker tracker = new ChunkTracker(EmitMode.FINAL, 0);
            List<ChunkTracker.Emission> out = new ArrayList<>(tracker.acceptBackfill(new SentenceMerge.Backfill(
                    meeting.id(), t.sentences(), List.of(), Double.NEGATIVE_INFINITY, Long.MIN_VALUE, Long.MAX_VALUE),
                    0));
            out.addAll(tracker.flushAll());
            List<ChunkTracker.Emission> segs = out.stream().filter(EmittedSegments::guarded).toList();
            LOG.info("Meeting {}: completing it from {} sentences of transcript(id) ({}); those emitted before are"
                     + " skipped", meeting.id(), segs.size(), t.live() ? "live" : "finished");
            nextWait = FIRST_RETRY_MILLIS;
            routeFrom(segs.iterator());
        }

        /** Routes one segment after the other (each waits for the route, and for the repository when it fails). */
        private void routeFrom(Iterator<ChunkTracker.Emission> it) {
            while (it.hasNext()) {
                ChunkTracker.Emission e = it.next();
                RealtimeEvent event = new RealtimeEvent(FirefliesEvents.TRANSCRIPTION, meeting.id(), e.event(), null,
                        false, 0);
                boolean sync;
                try {
                    sync = router.route(meeting, event, e, () -> run(() -> routeFrom(it)));
                } catch (RuntimeException ex) {
                    consumer.getExceptionHandler().handleException("Completing meeting " + meeting.id() + ": a"
                                                                   + " segment could not be routed", ex);
                    sync = true;
                }
                if (!sync) {
                    return;
                }
            }
            if (meetingEnded) {
                boolean sync = router.routeLifecycle(FirefliesEvents.MEETING_ENDED, meeting, () -> run(this::record));
                if (!sync) {
                    return;
                }
            }
            record();
        }

        void record() {
            try {
                emitted.add(SegmentKey.completionKey(meeting.id()));
            } catch (RuntimeException e) {
                emitted.failedElsewhere(consumer, "Cannot record the completion of meeting " + meeting.id() + " in the"
                                                  + " idempotent repository; tried again", e);
                retry(this::record);
                return;
            }
            recorded.incrementAndGet();
            if (taker) {
                takenOver.incrementAndGet();
                LOG.info("Meeting {} completed by this instance for an owner that did not", meeting.id());
            } else {
                LOG.debug("Meeting {}: its completion is recorded", meeting.id());
            }
            finish();
        }

        private void retry(Runnable step) {
            if (nanoClock.getAsLong() - deadlineNanos >= 0 || !consumer.isRunAllowed()) {
                giveUp();
                return;
            }
            long wait = nextWait;
            nextWait = Math.min(MAX_RETRY_MILLIS, nextWait * 2);
            later(wait, step);
        }

        private void giveUp() {
            MeetingCompletion.this.gaveUp(meeting.id(),
                    TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - deadlineNanos)
                    + MeetingRoster.COMPLETION_TIMEOUT_MILLIS);
            finish();
        }

        private void finish() {
            done.run();
        }

        /** Runs a step on the executor after a wait (0: at once, never on the caller's thread). */
        void later(long millis, Runnable step) {
            try {
                if (millis <= 0) {
                    executor.execute(step);
                } else {
                    timer.schedule(() -> run(step), millis, TimeUnit.MILLISECONDS);
                }
            } catch (RejectedExecutionException e) {
                LOG.debug("Meeting {}: completion stopped (shutting down)", meeting.id());
                finish();
            }
        }

        private void run(Runnable step) {
            try {
                executor.execute(step);
            } catch (RejectedExecutionException e) {
                LOG.debug("Meeting {}: completion stopped (shutting down)", meeting.id());
                finish();
            }
        }
    }
}
