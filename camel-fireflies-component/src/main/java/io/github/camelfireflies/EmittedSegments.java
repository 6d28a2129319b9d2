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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.api.EmitMode;
import io.github.camelfireflies.internal.stream.SegmentKey;
import io.github.camelfireflies.internal.stream.RealtimeEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code idempotentRepository} does for {@code fireflies:live} and {@code fireflies:meetings} with
 * {@code emit=final}: it records which final segments were emitted, so that whoever streams a meeting next (another
 * instance after a handover, or this one after a restart) emits only what was not emitted yet, whether a segment comes
 * from the socket or from a backfill. One per consumer; the check and the record wrap
 * {@link FirefliesBinding#route}, the one place an event becomes an exchange.
 * <ul>
 * <li><b>What is guarded.</b> Segments emitted final ({@code CamelFirefliesChunkFinal=true}) that are not corrections.
 * A correction (a segment that changed after it was emitted final) is routed and not recorded: it is a second
 * emission on purpose. Other events (lifecycle, {@code meeting.started}...) are not guarded.</li>
 * <li><b>The key</b> is {@link SegmentKey}: transcript, speaker and start time in quarter seconds. A segment counts as
 * emitted when its key or one of its two neighbouring keys was recorded (the backfill's tolerance is 0.25 s), except
 * that a neighbouring key this consumer recorded itself for another chunk id does not count: that is another segment
 * it emitted, which its emit mode already told apart.</li>
 * <li><b>Non-eager</b> (Camel's {@code eager=false}): the key is added (and confirmed) when the exchange completed,
 * through its unit of work; a failed exchange adds nothing, so a later owner emits the segment again. A duplicate is
 * skipped before an exchange is made. A kill between the end of the route and the record repeats that one segment
 * once; per meeting only one segment is ever in flight, so at most one repeat per meeting a killed instance owned.
 * Eager (add before routing) would lose that segment instead when the route had not finished.</li>
 * <li><b>A repository that fails</b> never loses a segment and repeats none: the meeting's lane waits, as it does
 * for a slow route. A check that throws is tried again (after 0.25 s, doubling up to
 * {@value #MAX_RETRY_MILLIS} ms) before the segment is routed; a record that throws after the exchange completed is
 * tried again alike, and the lane goes on only once it succeeded. Meanwhile the events wait in the queue, and the
 * WebSocket reader slows down when it is full ({@code overflowPolicy}). The first failure after a success is reported
 * through the consumer's exception handler, the others are counted and logged at DEBUG; the next success is logged at
 * INFO; {@link #failingSince()} and {@link #lastError()} tell the health check why while it lasts. A consumer that stops
 * meanwhile gives up its waits (a WARN line per segment left unrecorded: a later owner may emit it again).</li>
 * </ul>
 */
public final class EmittedSegments {

    private static final Logger LOG = LoggerFactory.getLogger(EmittedSegments.class);
    /** How many keys (with their chunk ids) a consumer remembers having recorded itself. */
    static final int OWN_KEYS = 10_000;
    /** The first wait before a failed check or record is tried again (milliseconds); it doubles. */
    static final long FIRST_RETRY_MILLIS = 250;
    /** The longest wait between two tries (milliseconds). */
    static final long MAX_RETRY_MILLIS = 5_000;

    private final IdempotentRepository repository;
    private final String description;
    /** key -> chunk id of what this consumer recorded under it; least recently used first; guarded by itself. */
    private final Map<String, String> own = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > OWN_KEYS;
        }
    };
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicLong held = new AtomicLong();
    private final ScheduledExecutorService timer;
    private volatile long failingSinceMillis;
    private volatile String lastError;

    /**
     * @param repository  where emitted segments are recorded (started here if it is not)
     * @param description how logs name the consumer
     */
    public EmittedSegments(IdempotentRepository repository, String description) {
        this(repository, description, null);
    }

    /**
     * @param repository  where emitted segments are recorded (started here if it is not)
     * @param description how logs name the consumer
     * @param timer       where failed checks and records are tried again; null: they are not (a failed check routes
     *                    the segment, a failed record leaves it unrecorded)
     */
    public EmittedSegments(IdempotentRepository repository, String description, ScheduledExecutorService timer) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.description = Objects.requireNonNull(description, "description");
        this.timer = timer;
        ServiceHelper.startService(repository);
    }

    /**
     * For a consumer of a {@code live} or {@code meetings} endpoint: null without {@code idempotentRepository}, and
     * null (with a warning) when the emit mode is not {@code final}, since only final segments are recorded.
     */
    public static EmittedSegments forConsumer(DefaultConsumer consumer) {
        if (!(consumer.getEndpoint() instanceof FirefliesEndpoint endpoint)) {
            return null;
        }
        FirefliesConfiguration configuration = endpoint.getConfiguration();
        IdempotentRepository repository = configuration.getIdempotentRepository();
        if (repository == null) {
            return null;
        }
        String description = "route " + consumer.getRouteId();
        if (configuration.getEmit() != EmitMode.FINAL) {
            LOG.warn("{}: idempotentRepository is not used with emit={}: it records segments emitted final, and only"
                     + " emit=final emits each segment once", description, configuration.getEmit());
            return null;
        }
        // the repository's class only: a toString could name a host or a user
        LOG.info("{}: final segments emitted are recorded in the idempotent repository ({}); one recorded before is"
                 + " not emitted again", description, repository.getClass().getSimpleName());
        return new EmittedSegments(repository, description, endpoint.getComponent().timer());
    }

    /** Whether an emission is one this guards: a segment emitted final, not a correction. */
    public static boolean guarded(ChunkTracker.Emission emission) {
        return emission != null && emission.last() && !emission.correction();
    }

    /**
     * Routes an event through {@link FirefliesBinding#route}, unless it is a final segment already recorded: then it
     * is skipped (counted) and this returns true without calling {@code done}. A routed final segment is recorded once
     * its exchange completed. While the repository fails (and a timer was given), the check or the record is tried
     * again later: this returns false and calls {@code done} once the segment was checked, routed and recorded.
     */
    public boolean route(DefaultConsumer consumer, RealtimeEvent event, ChunkTracker.Emission emission,
                         Consumer<Message> bind, Runnable done) {
        if (!guarded(emission)) {
            return FirefliesBinding.route(consumer, bind, done);
        }
        return new Attempt(consumer, event.transcriptId(), SegmentKey.of(event.transcriptId(), emission.event()),
                emission.event().chunkId(), bind, done).start();
    }

    /** One final segment on its way: checked, routed, recorded; each step tried again while the repository fails. */
    private final class Attempt {

        private final DefaultConsumer consumer;
        private final String transcriptId;
        private final SegmentKey key;
        private final String chunkId;
        private final Consumer<Message> bind;
        private final Runnable done;
        private long nextWait = FIRST_RETRY_MILLIS;
        private boolean holding;
        /** Set by the exchange's completion when the record failed. */
        private volatile boolean recordFailed;

        Attempt(DefaultConsumer consumer, String transcriptId, SegmentKey key, String chunkId, Consumer<Message> bind,
                Runnable done) {
            this.consumer = consumer;
            this.transcriptId = transcriptId;
            this.key = key;
            this.chunkId = chunkId;
            this.bind = bind;
            this.done = done;
        }

        /** The first step, on the lane: true when everything finished here. */
        boolean start() {
            return check();
        }

        private boolean check() {
            Boolean before;
            try {
                before = emittedBefore(key, chunkId);
                healthy();
            } catch (RuntimeException e) {
                if (timer == null) {
                    failed(consumer, description + ": cannot check whether segment " + chunkId + " was emitted before"
                                     + " in the idempotent repository; it is emitted", e);
                    before = false;
                } else {
                    failed(consumer, description + ": cannot check whether segment " + chunkId + " of transcript "
                                     + transcriptId + " was emitted before in the idempotent repository; the meeting"
                                     + " waits and it is tried again", e);
                    return retry(this::check);
                }
            }
            if (before) {
                skipped.incrementAndGet();
                LOG.debug("{}: segment {} of transcript {} was emitted before ({}): skipped", description, chunkId,
                        transcriptId, key.key());
                return finish();
            }
            boolean sync = FirefliesBinding.route(consumer, m -> {
                bind.accept(m);
                m.getExchange().getExchangeExtension().addOnCompletion(new Record(this));
            }, this::routed);
            return sync ? routed(true) : false;
        }

        /** The exchange completed (on whichever thread completed it). */
        private void routed() {
            routed(false);
        }

        private boolean routed(boolean onLane) {
            if (recordFailed && timer != null) {
                return retry(this::recordAgain);
            }
            return onLane ? finish() : finishLater();
        }

        private boolean recordAgain() {
            if (record(consumer, key.key(), chunkId)) {
                return finish();
            }
            return retry(this::recordAgain);
        }

        /** Tries a step again later; the lane waits until {@code done}. Always false (not finished here). */
        private boolean retry(java.util.function.BooleanSupplier step) {
            if (!holding) {
                holding = true;
                held.incrementAndGet();
            }
            long wait = nextWait;
            nextWait = Math.min(MAX_RETRY_MILLIS, nextWait * 2);
            try {
                timer.schedule(() -> {
                    if (!consumer.isRunAllowed()) {
                        LOG.warn("{}: stopped while the idempotent repository failed; segment {} of transcript {} is"
                                 + " left unrecorded (a later owner may emit it again)", description, chunkId,
                                transcriptId);
                        finishLater();
                        return;
                    }
                    if (step.getAsBoolean()) {
                        finishLater();
                    }
                }, wait, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.warn("{}: cannot wait for the idempotent repository (shutting down); segment {} of transcript {}"
                         + " is left unrecorded", description, chunkId, transcriptId);
                finishLater();
            }
            return false;
        }

        /** Finished where it started or retried: true (the caller returns it, or calls done once it gets true). */
        private boolean finish() {
            if (holding) {
                holding = false;
                held.decrementAndGet();
            }
            return true;
        }

        /** Finished on another thread than the lane's first call: the lane is told. */
        private boolean finishLater() {
            finish();
            done.run();
            return false;
        }
    }

    /** Whether a final segment was recorded before (see the class comment); throws when the repository fails. */
    boolean emittedBefore(SegmentKey key, String chunkId) {
        String mine = ownChunk(key.key());
        if (mine != null || repository.contains(key.key())) {
            return true;
        }
        for (String neighbour : key.neighbours()) {
            mine = ownChunk(neighbour);
            if (mine != null ? mine.equals(chunkId) : repository.contains(neighbour)) {
                return true;
            }
        }
        return false;
    }

    /** Records a segment whose exchange completed; false when the repository failed. */
    boolean record(DefaultConsumer consumer, String key, String chunkId) {
        synchronized (own) {
            own.put(key, chunkId);
        }
        try {
            repository.add(key); // false: recorded already (by another owner): still emitted once more by this one
            repository.confirm(key);
            recorded.incrementAndGet();
            healthy();
            return true;
        } catch (RuntimeException e) {
            failed(consumer, description + ": cannot record segment " + chunkId + " in the idempotent repository; "
                             + (timer != null ? "the meeting waits and it is tried again"
                                     : "a later owner of the meeting may emit it again"), e);
            return false;
        }
    }

    /** Whether a key was recorded (a meeting's completion); throws when the repository fails. */
    boolean contains(String key) {
        boolean found = repository.contains(key);
        healthy();
        return found;
    }

    /** Records a key (a meeting's completion); throws when the repository fails. */
    void add(String key) {
        repository.add(key);
        repository.confirm(key);
        healthy();
    }

    /** A failure of {@link #contains}/{@link #add} seen by their caller: counted and reported like the others. */
    void failedElsewhere(DefaultConsumer consumer, String message, RuntimeException e) {
        failed(consumer, message, e);
    }

    private String ownChunk(String key) {
        synchronized (own) {
            return own.get(key);
        }
    }

    private void failed(DefaultConsumer consumer, String message, RuntimeException e) {
        failures.incrementAndGet();
        lastError = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
        if (failing.compareAndSet(false, true)) {
            failingSinceMillis = System.currentTimeMillis();
            consumer.getExceptionHandler().handleException(message, e);
        } else {
            LOG.debug("{} ({})", message, e.toString());
        }
    }

    private void healthy() {
        if (failing.compareAndSet(true, false)) {
            lastError = null;
            LOG.info("{}: the idempotent repository answers again ({} failures so far)", description, failures.get());
        }
    }

    /** Final segments not routed because they were recorded before. */
    public long skipped() {
        return skipped.get();
    }

    /** Final segments recorded after their exchange completed. */
    public long recorded() {
        return recorded.get();
    }

    /** Checks and records that failed. */
    public long failures() {
        return failures.get();
    }

    /** Since when (epoch milliseconds) the repository fails, or 0 when its last answer was a success. */
    public long failingSince() {
        return failing.get() ? failingSinceMillis : 0;
    }

    /** The last failure's message while the repository fails, else null. */
    public String lastError() {
        return failing.get() ? lastError : null;
    }

    /** Segments whose meeting waits for the repository now. */
    public long held() {
        return held.get();
    }

    /** Adds the key once the exchange completed; nothing when it failed (non-eager). */
    private final class Record extends SynchronizationAdapter {

        private final Attempt attempt;

        Record(Attempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void onComplete(Exchange exchange) {
            if (!record(attempt.consumer, attempt.key.key(), attempt.chunkId)) {
                attempt.recordFailed = true;
            }
        }
    }
}
