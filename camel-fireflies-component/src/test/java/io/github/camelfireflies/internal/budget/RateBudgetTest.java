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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.RateBudgetExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** The budget engine on a clock the test moves: limits, caps, waits, refusals, the server's Retry-After, shares. */
class RateBudgetTest {

    private static final List<String> ADD = List.of("addToLiveMeeting");
    private static final List<String> QUERY = List.of("transcripts");

    private final ManualClock clock = new ManualClock();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private RateBudget budget(int requests, Duration window) {
        return RateBudget.withDocumentedCaps("key-test", new RateLimit("plan", requests, window), clock);
    }

    @Test
    void theFourthAddToLiveMeetingWithinTwentyMinutesIsRefusedNamingTheCapAndWhenItFrees() throws Exception {
        RateBudget b = budget(60, Duration.ofMinutes(1));
        b.acquire(ADD, Duration.ZERO);
        clock.advance(Duration.ofMinutes(5));
        b.acquire(ADD, Duration.ZERO);
        b.acquire(ADD, Duration.ZERO);
        clock.advance(Duration.ofMinutes(5));

        RateBudgetExceededException e = catchThrowableOfType(() -> b.acquire(ADD, Duration.ofMinutes(1)),
                RateBudgetExceededException.class);

        assertThat(e.getLimit()).isEqualTo("addToLiveMeeting: 3 per 20 minutes");
        // the first call (at 0) leaves the window at 20 minutes: 10 minutes from now
        assertThat(e.getRetryAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(e.getFreesAt()).isEqualTo(Instant.parse("2026-01-05T09:20:00Z"));
        assertThat(e.getMessage()).contains("addToLiveMeeting: 3 per 20 minutes", "2026-01-05T09:20:00Z",
                "budgetMaxWait");
        assertThat(e.getCode()).isEqualTo(RateBudgetExceededException.CODE);
        // other operations are not held back by that cap
        b.acquire(QUERY, Duration.ZERO);
        assertThat(b.snapshot().refused()).isEqualTo(1);
        assertThat(b.snapshot().limit("addToLiveMeeting").remaining()).isZero();

        clock.advance(Duration.ofMinutes(10));
        b.acquire(ADD, Duration.ZERO);
        assertThat(b.snapshot().limit("addToLiveMeeting").used()).isEqualTo(3);
    }

    @Test
    void aCallWaitsForRoomWithinItsBoundAndGoesWhenTheOldestCallLeavesTheWindow() throws Exception {
        RateBudget b = budget(2, Duration.ofMinutes(1));
        b.acquire(QUERY, Duration.ZERO);
        clock.advance(Duration.ofSeconds(20));
        b.acquire(QUERY, Duration.ZERO);

        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> acquire(b, QUERY, Duration.ofMinutes(2)), threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.snapshot().waiting() == 1);
        clock.advance(Duration.ofSeconds(39));
        assertThat(third).isNotDone();
        assertThat(b.snapshot().plan().used()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1)); // 60 s after the first call
        third.get(10, TimeUnit.SECONDS);
        assertThat(b.snapshot().granted()).isEqualTo(3);
        assertThat(b.snapshot().waited()).isEqualTo(1);
        assertThat(b.snapshot().waiting()).isZero();
    }

    @Test
    void aCallThatWouldWaitLongerThanItsBoundFailsAtOnceAndIsNotCounted() {
        RateBudget b = budget(50, Duration.ofDays(1));
        for (int i = 0; i < 50; i++) {
            acquire(b, QUERY, Duration.ZERO);
            clock.advance(Duration.ofMinutes(1));
        }
        RateBudgetExceededException e = catchThrowableOfType(() -> b.acquire(QUERY, Duration.ofMinutes(1)),
                RateBudgetExceededException.class);
        assertThat(e.getLimit()).isEqualTo("plan: 50 per day");
        // the first call was 50 minutes ago: it leaves the day's window in 23 h 10 min
        assertThat(e.getRetryAfter()).isEqualTo(Duration.ofDays(1).minusMinutes(50));
        assertThat(b.snapshot().plan().used()).isEqualTo(50);
        assertThat(b.snapshot().granted()).isEqualTo(50);
    }

    @Test
    void noWindowEverHoldsMoreCallsThanTheLimitWhateverTheTiming() {
        RateBudget b = budget(7, Duration.ofSeconds(60));
        Random random = new Random(42);
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            clock.advance(Duration.ofMillis(random.nextInt(4000)));
            try {
                b.acquire(QUERY, Duration.ZERO);
                sent.add(clock.millis());
            } catch (GraphQLException e) {
                assertThat(e).isInstanceOf(RateBudgetExceededException.class);
            }
        }
        assertThat(sent).hasSizeGreaterThan(100);
        for (int i = 0; i + 7 < sent.size(); i++) {
            // the 8th call after any call is a full window later
            assertThat(sent.get(i + 7) - sent.get(i)).isGreaterThanOrEqualTo(60_000);
        }
    }

    @Test
    void theServersRetryAfterHoldsEveryCallOfTheKeyBack() throws Exception {
        RateBudget b = budget(60, Duration.ofMinutes(1));
        assertThat(b.rateLimited(Duration.ofSeconds(30), 1)).isEqualTo(Duration.ofSeconds(30));

        RateBudgetExceededException e = catchThrowableOfType(() -> b.acquire(QUERY, Duration.ofSeconds(10)),
                RateBudgetExceededException.class);
        assertThat(e.getLimit()).isEqualTo("the server's Retry-After");
        assertThat(e.getRetryAfter()).isEqualTo(Duration.ofSeconds(30));

        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> acquire(b, QUERY, Duration.ofMinutes(1)),
                threads);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.snapshot().waiting() == 1);
        assertThat(b.snapshot().blockedForMillis()).isEqualTo(30_000);
        clock.advance(Duration.ofSeconds(30));
        waiting.get(10, TimeUnit.SECONDS);
        assertThat(b.snapshot().rateLimited()).isEqualTo(1);
        // without a Retry-After: 1 s, doubling per refusal of the same call
        assertThat(b.rateLimited(null, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.rateLimited(null, 3)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void membersShareEachLimitAShareShrinksAtOnceAndGrowsOnlyAWindowAfterAMemberLeft() throws Exception {
        RateBudget b = budget(60, Duration.ofMinutes(1));
        b.members(3);
        assertThat(b.snapshot().plan().share()).isEqualTo(20);
        assertThat(b.snapshot().limit("addToLiveMeeting").share()).isEqualTo(1);
        b.acquire(ADD, Duration.ZERO);
        RateBudgetExceededException e = catchThrowableOfType(() -> b.acquire(ADD, Duration.ZERO),
                RateBudgetExceededException.class);
        assertThat(e.getLimit()).contains("addToLiveMeeting: 3 per 20 minutes", "share: 1", "3 instances");

        b.members(1); // two members left: their calls still count at the server for a window
        assertThat(b.snapshot().plan().share()).isEqualTo(20);
        clock.advance(Duration.ofMinutes(1));
        assertThat(b.snapshot().plan().share()).isEqualTo(60); // the plan's window passed
        assertThat(b.snapshot().limit("addToLiveMeeting").share()).isEqualTo(1); // its 20 minutes did not
        clock.advance(Duration.ofMinutes(19));
        assertThat(b.snapshot().limit("addToLiveMeeting").share()).isEqualTo(3);

        b.members(4); // more members than calls: no share at all, said at once
        e = catchThrowableOfType(() -> b.acquire(ADD, Duration.ofMinutes(30)), RateBudgetExceededException.class);
        assertThat(e.getFreesAt()).isNull();
        assertThat(e.getMessage()).contains("leaves this instance no call", "4 instances");
    }

    @Test
    void aDocumentWithTheSameCappedOperationTwiceCountsTwice() throws Exception {
        RateBudget b = budget(60, Duration.ofMinutes(1));
        b.acquire(List.of("addToLiveMeeting", "addToLiveMeeting"), Duration.ZERO);
        assertThat(b.snapshot().limit("addToLiveMeeting").remaining()).isEqualTo(1);
        assertThat(b.snapshot().plan().used()).isEqualTo(1); // one request
        catchThrowableOfType(() -> b.acquire(List.of("addToLiveMeeting", "addToLiveMeeting"), Duration.ZERO),
                RateBudgetExceededException.class);
        b.acquire(ADD, Duration.ZERO);
    }

    private static void acquire(RateBudget b, List<String> ops, Duration maxWait) {
        try {
            b.acquire(ops, maxWait);
        } catch (GraphQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
