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
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelfireflies.simulator.FirefliesSimulator.ScheduledMeeting;

/**
 * What {@code /graphql} answers from: the meeting schedule (times are offsets from the simulator's start), the rate
 * limit steered by tests, and the request counts. Thread-safe.
 */
final class GraphQLState {

    private final Map<String, ScheduledMeeting> schedule = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicInteger rateLimitedCalls = new AtomicInteger();
    private volatile int retryAfterSeconds;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long startNanos = System.nanoTime();
    private volatile Instant startedAt = Instant.now();

    GraphQLState(List<ScheduledMeeting> scheduled) {
        for (ScheduledMeeting m : scheduled) {
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
                if (m.start().toMillis() <= elapsed && (m.end() == null || elapsed < m.end().toMillis())) {
                    list.add(m);
                }
            }
        }
        return list;
    }

    ScheduledMeeting scheduledMeeting(String id) {
        return schedule.get(id);
    }

    /** Adds (or replaces) a meeting in progress from now on, until {@link #end(String)}. */
    void startNow(String id, String title, String organizerEmail) {
        schedule.put(id, new ScheduledMeeting(id, title, organizerEmail, elapsed(), null, "active"));
    }

    /** Ends a meeting of the schedule now; nothing when it is not in the schedule. */
    void end(String id) {
        Duration now = elapsed();
        schedule.computeIfPresent(id, (k, m) -> m.with(now, m.state()));
    }

    /** Sets a meeting's state ({@code active} or {@code paused}). */
    void setState(String id, String state) {
        schedule.computeIfPresent(id, (k, m) -> m.with(m.end(), state));
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

    void countRequest() {
        requests.incrementAndGet();
    }

    int requests() {
        return requests.get();
    }
}
