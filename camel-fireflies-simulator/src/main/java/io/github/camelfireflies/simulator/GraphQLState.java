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
package io.github.camelfireflies.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelfireflies.simulator.FirefliesSimulator.ScheduledMeeting;

/**
 * What {@code /graphql} answers from: the meeting schedule (times are offsets from the simulator's start), the live
 * transcripts of the meetings, the rate limit steered by tests, and the request counts. Thread-safe.
 */
final class GraphQLState {

    /** {@code transcript(id)}: the meeting as the API describes it, with what it has said so far. */
    record Transcript(String id, String title, String organizerEmail, boolean live,
            List<LiveTranscript.Sentence> sentences) {
    }

    private final MeetingRegistry registry;
    private final Map<String, ScheduledMeeting> schedule = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicInteger rateLimitedCalls = new AtomicInteger();
    private volatile int retryAfterSeconds;
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> requestsByOperation = new ConcurrentHashMap<>();
    private volatile long startNanos = System.nanoTime();
    private volatile Instant startedAt = Instant.now();

    GraphQLState(MeetingRegistry registry) {
        this.registry = registry;
        for (ScheduledMeeting m : registry.config().scheduled()) {
            schedule.put(m.id(), m);
        }
    }

    /** The schedule's time zero: now. */
    void markStarted() {
        startNanos = System.nanoTime();
        startedAt = Instant.now();
    }

    /** How long since {@link #markStarted()}. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The wall-clock time a scheduled offset stands for. */
    Instant instantOf(Duration offset) {
        return startedAt.plus(offset);
    }

    // ------------------------------------------------------------------------------------------------ schedule

    /** Every meeting of the schedule, in the order declared. */
    List<ScheduledMeeting> scheduled() {
        synchronized (schedule) {
            return List.copyOf(schedule.values());
        }
    }

    /** The meetings in progress now, in the order they were declared. */
    List<ScheduledMeeting> activeMeetings() {
        long elapsed = elapsed().toMillis();
        List<ScheduledMeeting> list = new ArrayList<>();
        synchronized (schedule) {
            for (ScheduledMeeting m : schedule.values()) {
                if (inProgress(m, elapsed)) {
                    list.add(m);
                }
            }
        }
        return list;
    }

    private static boolean inProgress(ScheduledMeeting m, long elapsedMs) {
        return m.start().toMillis() <= elapsedMs && (m.end() == null || elapsedMs < m.end().toMillis());
    }

    ScheduledMeeting scheduledMeeting(String id) {
        return schedule.get(id);
    }

    /** Whether the schedule still has {@code declared} as it was declared (same start and end). */
    boolean isOnSchedule(ScheduledMeeting declared) {
        ScheduledMeeting m = schedule.get(declared.id());
        return m != null && m.start().equals(declared.start()) && Objects.equals(m.end(), declared.end());
    }

    /**
     * Adds (or replaces) a meeting in progress from now on, until {@link #end(String)}.
     *
     * @return whether it was in progress already
     */
    boolean startNow(String id, String title, String organizerEmail) {
        Duration now = elapsed();
        ScheduledMeeting before = schedule.put(id, new ScheduledMeeting(id, title, organizerEmail, now, null, "active"));
        return before != null && inProgress(before, now.toMillis());
    }

    /**
     * Ends a meeting of the schedule now; nothing when it is not in the schedule.
     *
     * @return whether it was in progress until now
     */
    boolean end(String id) {
        Duration now = elapsed();
        boolean[] was = new boolean[1];
        schedule.computeIfPresent(id, (k, m) -> {
            was[0] = inProgress(m, now.toMillis());
            return m.with(now, m.state());
        });
        return was[0];
    }

    /**
     * Ends a meeting of the schedule now if it is in progress (its script ended it); else leaves the schedule alone.
     *
     * @return whether it was in progress until now
     */
    boolean endIfInProgress(String id) {
        Duration now = elapsed();
        boolean[] was = new boolean[1];
        schedule.computeIfPresent(id, (k, m) -> {
            was[0] = inProgress(m, now.toMillis());
            return was[0] ? m.with(now, m.state()) : m;
        });
        return was[0];
    }

    /** Sets a meeting's state ({@code active} or {@code paused}). */
    void setState(String id, String state) {
        schedule.computeIfPresent(id, (k, m) -> m.with(m.end(), state));
    }

    // ------------------------------------------------------------------------------------------------ transcripts

    /**
     * {@code transcript(id)} of any meeting the simulator knows (scheduled, bound to a script, or subscribed, emitted
     * to or started); empty when it knows none. Live: a scheduled meeting while {@code active_meetings} lists it (active
     * or paused), any other while it is going on.
     */
    Optional<Transcript> transcript(String id) {
        ScheduledMeeting scheduled = schedule.get(id);
        Meeting meeting = registry.existing(id);
        if (scheduled == null && meeting == null && !registry.config().scripts().containsKey(id)) {
            return Optional.empty();
        }
        boolean live = scheduled != null ? inProgress(scheduled, elapsed().toMillis()) : meeting != null && meeting.isLive();
        MeetingScript script = registry.config().scripts().get(id);
        return Optional.of(new Transcript(id,
                scheduled != null ? scheduled.title() : script != null && script.title() != null ? script.title() : id,
                scheduled != null ? scheduled.organizerEmail() : script != null ? script.organizerEmail() : null,
                live,
                meeting == null ? List.of() : meeting.transcript().sentences()));
    }

    // ------------------------------------------------------------------------------------------------ limits, counts

    /** The next {@code calls} requests get HTTP 429 with {@code Retry-After: retryAfterSeconds}. */
    void rateLimit(int calls, int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
        rateLimitedCalls.set(calls);
    }

    /** The Retry-After seconds when this call is rate limited, else -1. */
    int takeRateLimit() {
        int before = rateLimitedCalls.getAndUpdate(n -> n > 0 ? n - 1 : 0);
        return before > 0 ? retryAfterSeconds : -1;
    }

    /**
     * Counts one request (any outcome) by {@code rootField}, the first root field it asked for (null: none could be
     * read); one for neither {@code transcript} nor {@code active_meetings} also counts as {@code other}.
     */
    void countRequest(String rootField) {
        requests.incrementAndGet();
        String op = rootField == null ? GraphQLServlet.OTHER : rootField;
        bump(op);
        if (!op.equals(GraphQLServlet.OTHER) && !op.equals(GraphQLServlet.TRANSCRIPT)
            && !op.equals(GraphQLServlet.ACTIVE_MEETINGS)) {
            bump(GraphQLServlet.OTHER);
        }
    }

    private void bump(String op) {
        requestsByOperation.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Now on the simulator's clock: its start plus the time since. */
    Instant now() {
        return instantOf(elapsed());
    }

    int requests() {
        return requests.get();
    }

    int requests(String operation) {
        AtomicInteger n = requestsByOperation.get(operation);
        return n == null ? 0 : n.get();
    }
}
