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

import io.github.camelfireflies.api.BackfillMode;
import io.github.camelfireflies.api.FirefliesException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.LiveTranscript;
import io.github.camelfireflies.api.FirefliesException.BackfillException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill of one transcript stream: when to fetch GraphQL {@code transcript(id)}, what waits behind the fetch,
 * and when the answer is merged (by the stream's {@link BackfillHost#merge}, with {@link SentenceMerge}). Lives on the
 * stream's lane: every method but the constructor and the counters runs there, one item at a time, so it needs no
 * lock. The fetch itself runs on the HTTP client's threads; its answer comes back into the lane as a marker, in order
 * with the events.
 * <p>
 * <b>When.</b> A gap opens when the connection is lost (or the consumer is suspended, or the server ended the session
 * and the stream subscribes again); it closes at the next connect, and then one fetch is made. With {@code all}, the
 * first connect fetches too (the late join). A gap that closes while a fetch is pending or waiting for a rate limit is
 * coalesced into one follow-up fetch: never more than one in flight, never a loop.
 * <p>
 * <b>Hold.</b> From the connect until the fetch is merged, what arrives (live events, other items) waits, in order,
 * so that the backfilled segments come before the live events that follow the reconnect, and, in {@code final}, the
 * open segments are not called final meanwhile. The hold is bounded: {@code holdMillis} and {@code holdLimit} items,
 * after which the live events go on and the fetch's answer is merged when it comes (its segments then come after live
 * ones; the merge still never emits a segment twice).
 * <p>
 * <b>Failures.</b> HTTP 429: one more try once the server's Retry-After has passed (the hold is given up when that is
 * too far away). Still limited, or any other failure: reported once through the stream's sink, live events go on.
 * {@code is_live} false, or the key refused: reported once, and no more fetches for this stream.
 * <p>
 * Long because when to fetch, what waits behind a fetch and the retries are one state machine on the stream's lane.
 */
public final class Backfiller {

    private static final Logger LOG = LoggerFactory.getLogger(Backfiller.class);
    /** With {@code gaps} and nothing received live yet: how far before the first connect still counts (seconds). */
    static final double JOIN_MARGIN_SECONDS = 2.0;

    private enum Kind {
        JOIN,
        GAP
    }

    private final BackfillMode mode;
    private final BackfillSource source;
    private final String transcriptId;
    private final ScheduledExecutorService timer;
    private final Executor completions;
    private final long finalizeAfterMillis;
    private final long holdMillis;
    private final int holdLimit;
    private final Predicate<Object> holdable;
    private final LongSupplier clock;
    private final BackfillHost host;

    private final AtomicLong calls = new AtomicLong();
    private volatile int pending;
    private volatile boolean markerLost;
    /** A fetch failed or was given up by {@link #abandon()} (or the first connect never came, with {@code all}). */
    private volatile boolean abandonedFetch;

    // ---- lane only
    private boolean everConnected;
    private long joinWallMillis;
    private boolean gapOpen;
    private long gapOpenedAt;
    private boolean disabled;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean holding;
    private long holdGeneration;
    private boolean holdWarned;
    private long generation;
    private boolean inFlight;
    private boolean retryPending;
    private boolean retried;
    /** What the next fetch covers: the kind, the oldest settledBefore and the gap to mark, of every request since. */
    private Kind nextKind;
    private long nextSettledBefore = Long.MAX_VALUE;
    private long nextGapMillis = -1;
    /** What the fetch in flight (or waiting for a retry) covers. */
    private Kind kind;
    private long settledBefore;
    private long gapMillis = -1;
    private long requestedAt;

    /**
     * @param holdable which lane items wait behind a fetch (not the stream's own timer and flush items)
     * @param clock    the stream's tracker time (milliseconds, monotonic)
     */
    public Backfiller(BackfillMode mode, BackfillSource source, String transcriptId,
               ScheduledExecutorService timer, Executor completions, long finalizeAfterMillis, long holdMillis,
               int holdLimit, Predicate<Object> holdable, LongSupplier clock, BackfillHost host) {
        if (mode == BackfillMode.NONE) {
            throw new IllegalArgumentException("No backfill with mode none");
        }
        this.mode = mode;
        this.source = Objects.requireNonNull(source, "source");
        this.transcriptId = Objects.requireNonNull(transcriptId, "transcriptId");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.completions = Objects.requireNonNull(completions, "completions");
        this.finalizeAfterMillis = finalizeAfterMillis;
        this.holdMillis = holdMillis;
        this.holdLimit = Math.max(1, holdLimit);
        this.holdable = Objects.requireNonNull(holdable, "holdable");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.host = Objects.requireNonNull(host, "host");
    }

    // ------------------------------------------------------------------------------------ observation (any thread)

    /** GraphQL calls this stream made. */
    public long calls() {
        return calls.get();
    }

    /**
     * Whether a fetch this stream needed was never merged: it failed (including {@code is_live} false), or the stream
     * stopped while it was in flight or waiting for a rate limit, or, with {@code all}, before the first connect. Then
     * what the socket missed is not known to have been emitted. Any thread.
     */
    public boolean abandonedFetch() {
        return abandonedFetch;
    }

    /** Items waiting behind a fetch, plus one for a fetch in flight. */
    public int pending() {
        return pending;
    }

    // ------------------------------------------------------------------------------------ lane

    /**
     * Takes the lane items that are the backfill's: its markers, and what waits behind a fetch.
     *
     * @return true when the item was taken here (the stream does nothing more with it)
     */
    public boolean intercept(Object item) {
        if (markerLost) {
            recoverLostMarker();
        }
        if (item instanceof BackfillMarkers.Connected c) {
            onConnected(c);
        } else if (item == BackfillMarkers.GAP_OPENED) {
            onGapOpened();
        } else if (item instanceof BackfillMarkers.Fetched f) {
            onFetched(f);
        } else if (item instanceof BackfillMarkers.Retry r) {
            onRetry(r);
        } else if (item instanceof BackfillMarkers.HoldExpired h) {
            if (holding && h.generation() == holdGeneration) {
                warnHold("the backfill has not answered within " + holdMillis + " ms");
                release();
            }
        } else if (holding && holdable.test(item)) {
            held.add(item);
            updatePending();
            if (held.size() >= holdLimit) {
                warnHold(held.size() + " items wait behind the backfill");
                release();
            }
        } else {
            return false;
        }
        return true;
    }

    /** A marker was dropped by a full lane (an opt-in drop policy); any thread. */
    public void markerLost(Object marker) {
        LOG.warn("Backfill of transcript {}: the lane dropped its {} (queue full)", transcriptId,
                marker.getClass().getSimpleName().isEmpty() ? marker : marker.getClass().getSimpleName());
        markerLost = true;
    }

    /** Without its answer, a fetch would be waited for forever: give it up and let what waits go on. */
    private void recoverLostMarker() {
        markerLost = false;
        if (inFlight || retryPending) {
            generation++;
            inFlight = false;
            retryPending = false;
            nextKind = null;
            nextSettledBefore = Long.MAX_VALUE;
            nextGapMillis = -1;
            fail(BackfillException.Reason.FAILED, "its answer was dropped because the queue was full", null);
        }
        if (holding) {
            release();
        }
        updatePending();
    }

    /** While true, open segments are not called final: a gap is open or being healed. */
    public boolean freezesFinality() {
        return !disabled && (gapOpen || holding || inFlight);
    }

    /** The stream stops or the session ended: what waits is released, a fetch still to come is ignored. */
    public void abandon() {
        if (inFlight || retryPending || (!everConnected && mode == BackfillMode.ALL && !disabled)) {
            abandonedFetch = true; // what it would have brought is not known to have been emitted
        }
        if (holding || inFlight || retryPending) {
            LOG.debug("Backfill of transcript {} abandoned: the stream flushes", transcriptId);
            generation++;
            inFlight = false;
            retryPending = false;
            nextKind = null;
            nextSettledBefore = Long.MAX_VALUE;
            nextGapMillis = -1;
            release();
        }
        gapOpen = false;
    }

    private void onGapOpened() {
        host.gapOpened();
        if (!gapOpen) {
            gapOpen = true;
            gapOpenedAt = clock.getAsLong();
        }
    }

    private void onConnected(BackfillMarkers.Connected c) {
        boolean first = !everConnected;
        everConnected = true;
        if (first) {
            gapOpen = false; // failed attempts before the first connect open no gap
            joinWallMillis = System.currentTimeMillis();
            if (mode == BackfillMode.ALL && !disabled) {
                request(Kind.JOIN, Long.MIN_VALUE, -1);
            }
            return;
        }
        if (!c.reconnected() && !gapOpen) {
            return;
        }
        long now = clock.getAsLong();
        long lostAt = gapOpen ? gapOpenedAt : now - c.gapMillis();
        gapOpen = false;
        if (!disabled) {
            request(Kind.GAP, lostAt - finalizeAfterMillis, c.reconnected() ? c.gapMillis() : -1);
        }
    }

    /** One more fetch is wanted; coalesced with one pending. */
    private void request(Kind k, long settled, long gap) {
        nextKind = nextKind == Kind.JOIN || k == Kind.JOIN ? Kind.JOIN : Kind.GAP;
        nextSettledBefore = Math.min(nextSettledBefore, settled);
        if (gap >= 0) {
            nextGapMillis = Math.max(nextGapMillis, 0) + gap;
        }
        hold();
        if (!inFlight && !retryPending) {
            fetch();
        }
    }

    private void hold() {
        if (!holding) {
            holding = true;
            holdWarned = false;
            long g = ++holdGeneration;
            later(holdMillis, new BackfillMarkers.HoldExpired(g));
        }
    }

    private void fetch() {
        long wait = source.retryInMillis();
        kind = nextKind;
        settledBefore = nextSettledBefore;
        gapMillis = nextGapMillis;
        nextKind = null;
        nextSettledBefore = Long.MAX_VALUE;
        nextGapMillis = -1;
        if (wait > 0) {
            waitForRetry(wait);
            return;
        }
        long g = ++generation;
        inFlight = true;
        requestedAt = clock.getAsLong();
        calls.incrementAndGet();
        updatePending();
        LOG.debug("Backfill of transcript {}: fetching its live sentences ({})", transcriptId,
                kind == Kind.JOIN ? "what was said before the first subscription" : "after a gap");
        source.fetch(transcriptId).whenCompleteAsync((t, e) -> host.offer(new BackfillMarkers.Fetched(g, t, e)), completions);
    }

    private void waitForRetry(long wait) {
        retryPending = true;
        long g = ++generation;
        later(wait, new BackfillMarkers.Retry(g));
        if (holding && wait > holdMillis) {
            warnHold("the GraphQL API asks to wait " + wait + " ms (rate limit)");
            release();
        } else {
            LOG.info("Backfill of transcript {} waits {} ms for the GraphQL API's rate limit", transcriptId, wait);
        }
    }

    private void onRetry(BackfillMarkers.Retry r) {
        if (!retryPending || r.generation() != generation) {
            return;
        }
        retryPending = false;
        retried = true;
        // fetch what this wait was for, plus what was asked meanwhile
        nextKind = nextKind == Kind.JOIN || kind == Kind.JOIN ? Kind.JOIN : Kind.GAP;
        nextSettledBefore = Math.min(nextSettledBefore, settledBefore);
        if (gapMillis >= 0) {
            nextGapMillis = Math.max(nextGapMillis, 0) + gapMillis;
        }
        if (disabled) {
            release();
            return;
        }
        fetch();
    }

    private void onFetched(BackfillMarkers.Fetched f) {
        if (!inFlight || f.generation() != generation) {
            return; // abandoned
        }
        inFlight = false;
        updatePending();
        Throwable e = f.error() instanceof CompletionException && f.error().getCause() != null ? f.error().getCause()
                : f.error();
        if (e instanceof GraphQLException.RateLimitedException && !retried) {
            long wait = Math.max(1, source.retryInMillis());
            waitForRetry(wait);
            return;
        }
        retried = false;
        if (e instanceof GraphQLException.AuthenticationException) {
            disabled = true;
            fail(BackfillException.Reason.REFUSED, "the GraphQL API refused the API key; no more backfills for this"
                                                   + " transcript until the route is restarted: " + e.getMessage(), e);
        } else if (e instanceof GraphQLException.RateLimitedException) {
            fail(BackfillException.Reason.RATE_LIMITED, "the GraphQL API still rate limits this key after its"
                                                        + " Retry-After: " + e.getMessage(), e);
        } else if (e != null) {
            fail(BackfillException.Reason.FAILED, e.getMessage(), e);
        } else if (!f.transcript().live()) {
            disabled = true;
            fail(BackfillException.Reason.NOT_LIVE, "the meeting is no longer live (is_live is not true), so its"
                                                    + " sentences are not the live captions; no more backfills for"
                                                    + " this transcript", null);
        } else {
            merge(f.transcript());
        }
        if (nextKind != null && !disabled) {
            fetch(); // a gap closed while this one was in flight: one follow-up, the hold goes on
        } else {
            nextKind = null;
            release();
        }
    }

    private void merge(LiveTranscript t) {
        List<TranscriptionEvent> upcoming = new ArrayList<>();
        for (Object item : held) {
            TranscriptionEvent e = host.transcription(item);
            if (e != null) {
                upcoming.add(e);
            }
        }
        double notBefore = kind == Kind.JOIN || mode == BackfillMode.ALL ? Double.NEGATIVE_INFINITY : floor(t);
        long healed = host.merge(new SentenceMerge.Backfill(transcriptId, t.sentences(), upcoming, notBefore,
                settledBefore, requestedAt), gapMillis);
        if (healed > 0) {
            LOG.info("Backfill of transcript {}: {} of {} sentences the socket missed ({}){}", transcriptId, healed,
                    t.sentences().size(), kind == Kind.JOIN ? "before the first subscription" : "after a gap",
                    holding ? "" : ", after the live events that followed");
        } else {
            LOG.debug("Backfill of transcript {}: the socket missed none of {} sentences", transcriptId,
                    t.sentences().size());
        }
    }

    /**
     * With {@code gaps}: where the first subscription began, in the meeting's seconds: the first live segment's start,
     * else the time of the first connect measured from the meeting's {@code date} (less a margin), else no floor.
     */
    private double floor(LiveTranscript t) {
        Double first = host.firstLiveStart();
        if (first != null) {
            return first;
        }
        if (t.dateMillis() != null && joinWallMillis > 0) {
            return (joinWallMillis - t.dateMillis()) / 1000.0 - JOIN_MARGIN_SECONDS;
        }
        return Double.NEGATIVE_INFINITY;
    }

    private void fail(BackfillException.Reason reason, String what, Throwable cause) {
        abandonedFetch = true; // what this fetch was for is not known to have been emitted
        String msg = "Backfill of transcript " + transcriptId + " failed (" + reason + "): " + what
                     + "; live events go on";
        host.report(new BackfillException(transcriptId, reason, msg, cause));
    }

    private void release() {
        boolean was = holding;
        holding = false;
        Object item;
        while ((item = held.poll()) != null) {
            host.process(item);
        }
        updatePending();
        if (was) {
            LOG.trace("Backfill of transcript {}: live events go on", transcriptId);
        }
    }

    private void warnHold(String why) {
        if (!holdWarned) {
            holdWarned = true;
            LOG.warn("Backfill of transcript {}: {}; the live events go on, and the segments it finds will follow them",
                    transcriptId, why);
        }
    }

    private void updatePending() {
        pending = held.size() + (inFlight ? 1 : 0);
    }

    /** Offers a marker after {@code delayMillis}, from a pool thread (never blocking the timer). */
    private void later(long delayMillis, Object marker) {
        try {
            timer.schedule(() -> {
                try {
                    completions.execute(() -> host.offer(marker));
                } catch (RejectedExecutionException e) {
                    LOG.debug("Backfill of transcript {}: {} not delivered (shutting down)", transcriptId, marker);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Backfill of transcript {}: {} not scheduled (shutting down)", transcriptId, marker);
        }
    }
}
