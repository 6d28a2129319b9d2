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
package io.github.camelfireflies.internal.graphql;

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelfireflies.testsupport.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounded, rate-limit-aware fetch behind {@code fetchTranscript=true}: it always completes within its bound, never
 * exceptionally, waits for a Retry-After that ends well within the bound, and makes no call while the API refuses.
 */
class TranscriptFetcherTest {

    private static final String KEY = "ff-key-never-shown";
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /** The time bound on a manual clock (the Retry-After waits still use the real one: TranscriptFetcher measures them). */
    private final ManualScheduler manual = new ManualScheduler();
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void tearDown() {
        timer.shutdownNow();
    }

    private static Transcript transcript(String id) {
        return new Transcript(id, "Title", null, null, null, List.of(), null, null, List.of(), List.of(), null);
    }

    private static GraphQLException.RateLimitedException limited(Duration retryAfter) {
        return new GraphQLException.RateLimitedException("The Fireflies GraphQL API is rate limiting this key (HTTP 429)",
                429, "too_many_requests", retryAfter);
    }

    @Test
    void aTranscriptIsFetchedOnce() throws Exception {
        TranscriptFetcher f = new TranscriptFetcher(id -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(transcript(id));
        }, timer, Duration.ofSeconds(5));
        TranscriptFetcher.Result r = f.fetch("t1").get(10, TimeUnit.SECONDS);
        assertThat(r.ok()).isTrue();
        assertThat(r.transcript().id()).isEqualTo("t1");
        assertThat(r.error()).isNull();
        assertThat(f.calls()).isEqualTo(1);
    }

    @Test
    void aLongRetryAfterGivesUpAtOnceAndNoCallIsMadeUntilItPassed() throws Exception {
        TranscriptFetcher f = new TranscriptFetcher(id -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(limited(Duration.ofSeconds(120)));
        }, manual, Duration.ofSeconds(5));
        CompletableFuture<TranscriptFetcher.Result> answer = f.fetch("t1");
        manual.runDue(); // no time passes: it gives up at once, without waiting for its 5 s bound
        assertThat(answer).isDone();
        TranscriptFetcher.Result r = answer.get();
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).contains("rate limiting").doesNotContain(KEY);
        assertThat(r.retryAfter()).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(120));
        // the next delivery within the Retry-After: no call at all
        TranscriptFetcher.Result again = f.fetch("t2").get(10, TimeUnit.SECONDS);
        assertThat(again.ok()).isFalse();
        assertThat(again.retryAfter()).isPositive();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(f.calls()).isEqualTo(1);
        assertThat(f.rateLimited()).isEqualTo(1);
    }

    @Test
    void aShortRetryAfterIsWaitedForAndTheCallMadeOnceMore() throws Exception {
        TranscriptFetcher f = new TranscriptFetcher(id -> calls.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(limited(Duration.ofMillis(300)))
                : CompletableFuture.completedFuture(transcript(id)), timer, Duration.ofSeconds(5));
        TranscriptFetcher.Result r = f.fetch("t1").get(10, TimeUnit.SECONDS);
        assertThat(r.ok()).isTrue();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void noAnswerWithinTheBoundCompletesWithAnError() throws Exception {
        TranscriptFetcher f = new TranscriptFetcher(id -> new CompletableFuture<>(), manual, Duration.ofMillis(300));
        CompletableFuture<TranscriptFetcher.Result> answer = f.fetch("t1");
        manual.advance(299, TimeUnit.MILLISECONDS);
        assertThat(answer).as("within its bound").isNotDone();
        manual.advance(1, TimeUnit.MILLISECONDS);
        assertThat(answer).isDone();
        TranscriptFetcher.Result r = answer.get();
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).contains("300 ms");
        assertThat(r.retryAfter()).isNull();
    }

    @Test
    void otherFailuresSayWhy() throws Exception {
        TranscriptFetcher f = new TranscriptFetcher(id -> CompletableFuture.failedFuture(new GraphQLException(
                "The Fireflies GraphQL API knows no transcript " + id, 200, "object_not_found", null)), timer,
                Duration.ofSeconds(5));
        TranscriptFetcher.Result r = f.fetch("gone").get(10, TimeUnit.SECONDS);
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).contains("knows no transcript gone");
        assertThat(f.failures()).isEqualTo(1);
    }
}
