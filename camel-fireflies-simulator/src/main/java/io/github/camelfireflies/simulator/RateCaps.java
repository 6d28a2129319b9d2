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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The per-operation caps of the Fireflies GraphQL API, counted per API key in a sliding window on the simulator's
 * clock, which tests can move forward ({@link #advance(Duration)}) or start afresh ({@link #reset()}), so that a test
 * sees a 429 and its end without waiting twenty minutes. Thread-safe.
 * <p>
 * The defaults ({@link #DEFAULTS}): {@code addToLiveMeeting} 3 per 20 minutes, {@code updateMeetingState},
 * {@code createLiveActionItem} and {@code createLiveSoundbite} 10 an hour (the docs); {@code deleteTranscript} 10 a
 * minute and {@code shareMeeting} 10 an hour (secondary sources).
 */
final class RateCaps {

    /** At most {@code calls} calls in any {@code window}. */
    record Cap(int calls, Duration window) {
        Cap {
            Objects.requireNonNull(window, "window");
            if (calls < 0 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("A cap needs calls >= 0 and a positive window");
            }
        }
    }

    /** A call over its cap: which operation, and when it may be called again. */
    record Refusal(String operation, Cap cap, Instant retryAt, Duration retryAfter) {
        /** Retry-After in whole seconds, at least 1. */
        long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    /** The caps the API documents (and two that secondary sources give). */
    static final Map<String, Cap> DEFAULTS;

    static {
        Map<String, Cap> m = new LinkedHashMap<>();
        m.put("addToLiveMeeting", new Cap(3, Duration.ofMinutes(20)));
        m.put("updateMeetingState", new Cap(10, Duration.ofHours(1)));
        m.put("createLiveActionItem", new Cap(10, Duration.ofHours(1)));
        m.put("createLiveSoundbite", new Cap(10, Duration.ofHours(1)));
        m.put("deleteTranscript", new Cap(10, Duration.ofMinutes(1)));
        m.put("shareMeeting", new Cap(10, Duration.ofHours(1)));
        DEFAULTS = Map.copyOf(m);
    }

    private final Map<String, Cap> caps;
    private final Supplier<Instant> clock;
    private final AtomicLong offsetMs = new AtomicLong();
    // guarded by this: "<key>\n<operation>" -> the times of the calls counted, oldest first
    private final Map<String, Deque<Instant>> calls = new HashMap<>();

    /**
     * @param caps  by operation (a cap of 0 calls refuses every call)
     * @param clock the simulator's clock, before {@link #advance}
     */
    RateCaps(Map<String, Cap> caps, Supplier<Instant> clock) {
        this.caps = Map.copyOf(caps);
        this.clock = clock;
    }

    Map<String, Cap> caps() {
        return caps;
    }

    /** Now on the caps' clock: the simulator's clock plus what {@link #advance} added. */
    Instant now() {
        return clock.get().plusMillis(offsetMs.get());
    }

    /** Moves the caps' clock forward. */
    void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("The clock only moves forward");
        }
        offsetMs.addAndGet(d.toMillis());
    }

    /** Forgets every call counted. */
    synchronized void reset() {
        calls.clear();
    }

    /**
     * Counts the calls of one request, all or none: null when every capped operation in it is within its cap (they
     * are counted then), else the first refusal (nothing is counted).
     *
     * @param key        the caller's API key (kept in memory only, never logged)
     * @param operations the root fields of the request, one per call (an alias counts as a call)
     */
    synchronized Refusal take(String key, List<String> operations) {
        Instant now = now();
        Map<String, Integer> wanted = new LinkedHashMap<>();
        for (String op : operations) {
            if (caps.containsKey(op)) {
                wanted.merge(op, 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> e : wanted.entrySet()) {
            Cap cap = caps.get(e.getKey());
            Deque<Instant> times = window(key, e.getKey(), cap, now);
            if (times.size() + e.getValue() > cap.calls()) {
                Instant retryAt = times.isEmpty() ? now.plus(cap.window()) : times.peekFirst().plus(cap.window());
                return new Refusal(e.getKey(), cap, retryAt, Duration.between(now, retryAt));
            }
        }
        for (Map.Entry<String, Integer> e : wanted.entrySet()) {
            Deque<Instant> times = calls.get(key + "\n" + e.getKey());
            for (int i = 0; i < e.getValue(); i++) {
                times.addLast(now);
            }
        }
        return null;
    }

    /** How many more calls of {@code operation} the key may make now; -1 when it has no cap. */
    synchronized int remaining(String key, String operation) {
        Cap cap = caps.get(operation);
        return cap == null ? -1 : Math.max(0, cap.calls() - window(key, operation, cap, now()).size());
    }

    private Deque<Instant> window(String key, String operation, Cap cap, Instant now) {
        Deque<Instant> times = calls.computeIfAbsent(key + "\n" + operation, k -> new ArrayDeque<>());
        Instant since = now.minus(cap.window());
        while (!times.isEmpty() && !times.peekFirst().isAfter(since)) {
            times.removeFirst();
        }
        return times;
    }
}
