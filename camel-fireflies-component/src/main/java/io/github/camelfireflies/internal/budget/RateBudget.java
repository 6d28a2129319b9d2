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
package io.github.camelfireflies.internal.budget;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.RateBudgetExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate budget of one API key in one application: the plan's limit and the documented per-operation caps, each
 * counted over a sliding window (a log of the times of the calls it let through), so that no window of that length
 * ever holds more calls than the limit, whichever way the server aligns its own windows. Camel-free and thread-safe.
 * <p>
 * {@link #acquire} lets a call through at once when every limit it counts against has room, waits (on the
 * {@link BudgetClock}) when room frees within the caller's bound, and otherwise refuses it at once with a
 * {@link RateBudgetExceededException} that names the limit and when it frees: a call the budget knows the API would
 * refuse is never sent. {@link #rateLimited} holds every call of the key back until the server's Retry-After.
 * <p>
 * Several instances that share the key take a share each: every limit divided by the members of their cluster view
 * ({@link #members(int)}), rounded down. A share shrinks at once when a member joins; it grows only after a whole window
 * of that limit has passed since a member left, because the calls the member made in that window still count at the
 * server. A member that joins starts with an empty log: in the window of the join, the key can see up to one share
 * more than the limit (the other members' older calls were counted against their larger share), which the server's
 * 429 and its retry then absorb.
 */
public final class RateBudget {

    private static final Logger LOG = LoggerFactory.getLogger(RateBudget.class);

    /** The per-operation caps the Fireflies docs give, on every plan (see the component docs for the sources). */
    public static final List<RateLimit> DOCUMENTED_CAPS = List.of(
            new RateLimit("addToLiveMeeting", 3, Duration.ofMinutes(20)),
            new RateLimit("updateMeetingState", 10, Duration.ofHours(1)),
            new RateLimit("createLiveActionItem", 10, Duration.ofHours(1)),
            new RateLimit("createLiveSoundbite", 10, Duration.ofHours(1)),
            // secondary sources only: taken as given, being the safer reading
            new RateLimit("deleteTranscript", 10, Duration.ofMinutes(1)),
            new RateLimit("shareMeeting", 10, Duration.ofHours(1)));

    /** How long a rate-limit answer without Retry-After holds the key back: 1 s, doubling per refusal, at most this. */
    static final long MAX_DEFAULT_BACKOFF_MILLIS = 60_000;

    private final String name;
    private final BudgetClock clock;
    private final Window plan;
    private final Map<String, Window> operations = new LinkedHashMap<>();
    private final long longestWindowMillis;

    // guarded by this
    private int members = 1;
    /** Earlier member counts and until when each was in effect, for the shares that grow only a window later. */
    private final ArrayDeque<long[]> pastMembers = new ArrayDeque<>();
    private long blockedUntil = Long.MIN_VALUE;
    private long granted;
    private long waited;
    private long refused;
    private long rateLimitedAnswers;
    private int waiting;

    /**
     * @param name       what messages call it (never the key: e.g. its fingerprint)
     * @param plan       the plan's limit, or null for none
     * @param operations the per-operation caps (by operation name)
     * @param clock      the time
     */
    public RateBudget(String name, RateLimit plan, Collection<RateLimit> operations, BudgetClock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.plan = plan == null ? null : new Window(new RateLimit(PLAN, plan.requests(), plan.window()));
        long longest = plan == null ? 0 : plan.window().toMillis();
        for (RateLimit l : operations) {
            this.operations.put(l.name(), new Window(l));
            longest = Math.max(longest, l.window().toMillis());
        }
        this.longestWindowMillis = longest;
    }

    /** A budget with the plan's limit and the {@link #DOCUMENTED_CAPS}. */
    public static RateBudget withDocumentedCaps(String name, RateLimit plan, BudgetClock clock) {
        return new RateBudget(name, plan, DOCUMENTED_CAPS, clock);
    }

    public String name() {
        return name;
    }

    /** The plan's limit, or null. */
    public RateLimit planLimit() {
        return plan == null ? null : plan.limit;
    }

    /** The per-operation caps. */
    public List<RateLimit> operationLimits() {
        List<RateLimit> list = new ArrayList<>();
        operations.values().forEach(w -> list.add(w.limit));
        return list;
    }

    /**
     * Lets one request through, waiting at most {@code maxWait} for room.
     *
     * @param  operations                  the root fields of the request (each capped one counts against its cap)
     * @param  maxWait                     the longest wait; zero refuses at once when there is no room now
     * @throws RateBudgetExceededException when there is no room within {@code maxWait} (nothing was counted)
     * @throws GraphQLException            when interrupted while waiting
     */
    public void acquire(List<String> operations, Duration maxWait) throws GraphQLException {
        long start = clock.millis();
        long deadline = start + Math.max(0, maxWait.toMillis());
        boolean counted = false;
        try {
            while (true) {
                long freeAt;
                synchronized (this) {
                    long now = clock.millis();
                    Refusal r = check(operations, now);
                    if (r == null) {
                        record(operations, now);
                        granted++;
                        return;
                    }
                    if (r.freeAt == Long.MAX_VALUE || r.freeAt > deadline) {
                        refused++;
                        throw refusal(r, now, maxWait);
                    }
                    if (!counted) {
                        waited++;
                        waiting++;
                        counted = true;
                    }
                    freeAt = r.freeAt;
                }
                LOG.debug("Rate budget {}: waiting {} ms for room", name, freeAt - start);
                try {
                    clock.sleepUntil(freeAt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GraphQLException("Interrupted while waiting for the rate budget of " + name, 0, null, e);
                }
            }
        } finally {
            if (counted) {
                synchronized (this) {
                    waiting--;
                }
            }
        }
    }

    /**
     * The server said the key is rate limited: every call of the key waits until {@code retryAfter} has passed (when
     * the server gave none: 1 s, doubled for each refusal of the same call, at most a minute).
     *
     * @return how long calls are held back from now
     */
    public synchronized Duration rateLimited(Duration retryAfter, int attempt) {
        rateLimitedAnswers++;
        long hold = retryAfter != null ? Math.max(0, retryAfter.toMillis())
                : Math.min(MAX_DEFAULT_BACKOFF_MILLIS, 1000L << Math.min(16, Math.max(0, attempt - 1)));
        long now = clock.millis();
        blockedUntil = Math.max(blockedUntil, now + hold);
        LOG.debug("Rate budget {}: the server refused a call (attempt {}); calls wait {} ms", name, attempt, hold);
        return Duration.ofMillis(hold);
    }

    /**
     * How many instances share the key now (1 without a cluster): each takes that share of every limit. A smaller
     * share applies at once; a larger one only once every call made under the smaller count has left its window.
     */
    public synchronized void members(int count) {
        int n = Math.max(1, count);
        if (n == members) {
            return;
        }
        long now = clock.millis();
        pastMembers.addLast(new long[] { members, now });
        LOG.info("Rate budget {}: {} instance(s) share the key now (was {})", name, n, members);
        members = n;
    }

    public synchronized int members() {
        return members;
    }

    /** The share of a limit this instance may use now. */
    private int share(Window w, long now) {
        long windowMillis = w.limit.window().toMillis();
        int m = members;
        for (Iterator<long[]> it = pastMembers.iterator(); it.hasNext();) {
            long[] past = it.next();
            if (past[1] <= now - longestWindowMillis) {
                it.remove(); // out of every window
            } else if (past[1] > now - windowMillis) {
                m = (int) Math.max(m, past[0]);
            }
        }
        return w.limit.requests() / m;
    }

    private record Refusal(Window window, long freeAt, int share) {
    }

    /** Null when the call may go now; else the limit that holds it back longest and when it frees. */
    private Refusal check(List<String> ops, long now) {
        Refusal worst = null;
        if (blockedUntil > now) {
            worst = new Refusal(null, blockedUntil, 0);
        }
        if (plan != null) {
            worst = later(worst, plan.freeAt(1, share(plan, now), now), plan, now);
        }
        for (Map.Entry<String, Integer> e : counts(ops).entrySet()) {
            Window w = operations.get(e.getKey());
            if (w != null) {
                worst = later(worst, w.freeAt(e.getValue(), share(w, now), now), w, now);
            }
        }
        return worst;
    }

    private Refusal later(Refusal worst, long freeAt, Window w, long now) {
        if (freeAt <= now) {
            return worst;
        }
        if (worst == null || freeAt > worst.freeAt) {
            return new Refusal(w, freeAt, share(w, now));
        }
        return worst;
    }

    private Map<String, Integer> counts(List<String> ops) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String op : ops) {
            counts.merge(op, 1, Integer::sum);
        }
        return counts;
    }

    private void record(List<String> ops, long now) {
        if (plan != null) {
            plan.add(now, 1);
        }
        for (Map.Entry<String, Integer> e : counts(ops).entrySet()) {
            Window w = operations.get(e.getKey());
            if (w != null) {
                w.add(now, e.getValue());
            }
        }
    }

    private RateBudgetExceededException refusal(Refusal r, long now, Duration maxWait) {
        String limit;
        if (r.window == null) {
            limit = "the server's Retry-After";
        } else {
            limit = r.window.limit.describe() + (members > 1 || r.share != r.window.limit.requests()
                    ? " (this instance's share: " + r.share + ", " + members + " instances share the key)" : "");
        }
        if (r.freeAt == Long.MAX_VALUE) {
            return new RateBudgetExceededException("Not calling the Fireflies GraphQL API: the rate budget of key " + name
                                                   + " leaves this instance no call under " + limit
                                                   + "; it frees when fewer instances share the key", limit, null, null);
        }
        Duration left = Duration.ofMillis(r.freeAt - now);
        Instant at = clock.instant(r.freeAt);
        return new RateBudgetExceededException("Not calling the Fireflies GraphQL API: the rate budget of key " + name
                                               + " is spent for " + limit + "; the next call frees at " + at + " (in "
                                               + left.toMillis() + " ms), later than budgetMaxWait (" + maxWait.toMillis()
                                               + " ms)", limit, at, left);
    }

    /** What is left now, for health checks, JMX and meters. */
    public synchronized Snapshot snapshot() {
        long now = clock.millis();
        List<LimitState> limits = new ArrayList<>();
        if (plan != null) {
            limits.add(plan.state(share(plan, now), now));
        }
        for (Window w : operations.values()) {
            limits.add(w.state(share(w, now), now));
        }
        long blocked = blockedUntil > now ? blockedUntil - now : 0;
        return new Snapshot(name, members, limits, granted, waited, refused, rateLimitedAnswers, waiting, blocked);
    }

    /**
     * The budget now.
     *
     * @param name            the budget's name (the key's fingerprint)
     * @param members         instances sharing the key
     * @param limits          every limit: the plan's first, if any
     * @param granted         calls let through
     * @param waited          calls that had to wait for room (then let through or refused)
     * @param refused         calls refused without being sent
     * @param rateLimited     rate-limit answers of the server
     * @param waiting         calls waiting now
     * @param blockedForMillis how long the server's Retry-After still holds every call back
     */
    public record Snapshot(String name, int members, List<LimitState> limits, long granted, long waited, long refused,
            long rateLimited, int waiting, long blockedForMillis) {

        /** The plan limit's state, or null when there is none. */
        public LimitState plan() {
            return limits.isEmpty() || !limits.get(0).limit().name().equals(PLAN) ? null : limits.get(0);
        }

        /** The state of one limit by name ({@code plan} or an operation), or null. */
        public LimitState limit(String limitName) {
            for (LimitState s : limits) {
                if (s.limit().name().equals(limitName)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** The name of the plan's limit. */
    public static final String PLAN = "plan";

    /**
     * One limit now.
     *
     * @param limit       the limit
     * @param share       this instance's share of it
     * @param used        calls in the window now
     * @param remaining   calls this instance may still make in the window now
     * @param nextFreeMillis how long until the oldest call in the window leaves it (0 when none is in it)
     */
    public record LimitState(RateLimit limit, int share, int used, int remaining, long nextFreeMillis) {
    }

    /** One limit's log of calls. */
    private static final class Window {
        final RateLimit limit;
        final long windowMillis;
        final ArrayDeque<Long> times = new ArrayDeque<>();

        Window(RateLimit limit) {
            this.limit = limit;
            this.windowMillis = limit.window().toMillis();
        }

        private void prune(long now) {
            while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
                times.pollFirst();
            }
        }

        /** When {@code k} more calls fit in a share of {@code share}: now or later; Long.MAX_VALUE for never. */
        long freeAt(int k, int share, long now) {
            prune(now);
            if (k > share) {
                return Long.MAX_VALUE;
            }
            int n = times.size();
            int expire = n + k - share; // how many of the oldest must leave the window first
            if (expire <= 0) {
                return now;
            }
            Iterator<Long> it = times.iterator();
            long t = now;
            for (int i = 0; i < expire; i++) {
                t = it.next();
            }
            return t + windowMillis;
        }

        void add(long now, int k) {
            for (int i = 0; i < k; i++) {
                times.addLast(now);
            }
        }

        LimitState state(int share, long now) {
            prune(now);
            int used = times.size();
            long next = times.isEmpty() ? 0 : times.peekFirst() + windowMillis - now;
            return new LimitState(limit, share, used, Math.max(0, share - used), next);
        }
    }
}
