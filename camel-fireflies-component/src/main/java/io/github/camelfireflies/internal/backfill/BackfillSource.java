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

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.LiveTranscript;

/**
 * Where live streams fetch the sentences of a meeting (GraphQL {@code transcript(id)}), shared by the streams of one
 * endpoint: it counts every call and keeps the API's rate limit for all of them. After HTTP 429 (or a
 * {@code too_many_requests} error) no stream calls again before the server's {@code Retry-After} has passed, or
 * {@value #DEFAULT_RETRY_AFTER_SECONDS} s when the server did not say. Thread-safe; knows nothing of Camel.
 */
public final class BackfillSource {

    /** How long to wait after a 429 that carried no Retry-After. */
    public static final long DEFAULT_RETRY_AFTER_SECONDS = 60;

    /** Fetches a transcript without blocking; fails with a {@link GraphQLException}. */
    @FunctionalInterface
    public interface Fetcher {

        CompletableFuture<LiveTranscript> fetch(String transcriptId);
    }

    private final Fetcher fetcher;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final LongSupplier nanoClock;
    private volatile long notBeforeNanos;

    public BackfillSource(Fetcher fetcher) {
        this(fetcher, System::nanoTime);
    }

    /** @param nanoClock the monotonic clock a Retry-After is measured with (a test passes its manual one) */
    public BackfillSource(Fetcher fetcher, LongSupplier nanoClock) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.notBeforeNanos = nanoClock.getAsLong();
    }

    /** How long no call may be made because of a rate limit (milliseconds); 0 when one may. */
    public long retryInMillis() {
        long left = notBeforeNanos - nanoClock.getAsLong();
        return left <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
    }

    /**
     * One GraphQL call (counted). A rate-limited answer also closes the door for every stream until its Retry-After.
     *
     * @return completes with the transcript, or exceptionally with a {@link GraphQLException} (not wrapped)
     */
    public CompletableFuture<LiveTranscript> fetch(String transcriptId) {
        calls.incrementAndGet();
        CompletableFuture<LiveTranscript> f;
        try {
            f = fetcher.fetch(transcriptId);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((t, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(t);
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof GraphQLException.RateLimitedException rl) {
                rateLimited.incrementAndGet();
                Duration wait = rl.getRetryAfter() != null ? rl.getRetryAfter() : Duration.ofSeconds(DEFAULT_RETRY_AFTER_SECONDS);
                limitFor(wait);
            } else {
                failures.incrementAndGet();
            }
            return CompletableFuture.<LiveTranscript> failedFuture(cause);
        }).thenCompose(x -> x);
    }

    /** No call before {@code wait} has passed (a later deadline already set is kept). */
    public void limitFor(Duration wait) {
        long until = nanoClock.getAsLong() + Math.max(0, wait.toNanos());
        synchronized (this) {
            if (until - notBeforeNanos > 0) {
                notBeforeNanos = until;
            }
        }
    }

    /** GraphQL calls made so far, whatever their outcome. */
    public long calls() {
        return calls.get();
    }

    /** Calls answered with a rate limit. */
    public long rateLimited() {
        return rateLimited.get();
    }

    /** Calls that failed otherwise. */
    public long failures() {
        return failures.get();
    }
}
