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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches finished transcripts ({@code transcript(id)}) within a time bound, for {@code fetchTranscript=true}: the
 * answer to the webhook waits for it, and Fireflies gives the receiver 10 s. Knows nothing of Camel. Thread-safe.
 * <ul>
 * <li>Every call is counted. A fetch never fails: it completes with a {@link Result} that holds the transcript, or
 * says why there is none, within {@code timeout} of the request.</li>
 * <li>Rate limits are shared by every fetch of this fetcher: after HTTP 429 (or {@code too_many_requests}) no call is
 * made before the server's {@code Retry-After} has passed ({@value #DEFAULT_RETRY_AFTER_SECONDS} s when it did not
 * say). A fetch that meets a rate limit whose end falls well within its time bound waits for it and calls once more;
 * otherwise it completes at once, rate limited, with how long is left.</li>
 * </ul>
 */
public final class TranscriptFetcher {

    /** How long to wait after a 429 that carried no Retry-After. */
    public static final long DEFAULT_RETRY_AFTER_SECONDS = 60;

    /** One call to the API, without blocking: completes with the transcript or exceptionally (GraphQLException). */
    @FunctionalInterface
    public interface Call {

        CompletableFuture<Transcript> fetch(String transcriptId);
    }

    /**
     * The outcome of one fetch.
     *
     * @param transcriptId the transcript asked for
     * @param transcript   the transcript, or null when there is none
     * @param error        why there is none (never the key), or null
     * @param retryAfter   when rate limited: how long until the API takes calls again; else null
     */
    public record Result(String transcriptId, Transcript transcript, String error, Duration retryAfter) {

        public boolean ok() {
            return transcript != null;
        }
    }

    private final Call call;
    private final ScheduledExecutorService timer;
    private final long timeoutMillis;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private volatile long notBeforeNanos = System.nanoTime();

    /**
     * @param call    one call to the API
     * @param timer   for the time bound and the waits
     * @param timeout how long a fetch may take in all
     */
    public TranscriptFetcher(Call call, ScheduledExecutorService timer, Duration timeout) {
        this.call = Objects.requireNonNull(call, "call");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.timeoutMillis = Objects.requireNonNull(timeout, "timeout").toMillis();
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** Fetches {@code transcriptId}; completes (never exceptionally) within the timeout. */
    public CompletableFuture<Result> fetch(String transcriptId) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        ScheduledFuture<?> bound;
        try {
            bound = timer.schedule(() -> result.complete(new Result(transcriptId, null,
                    "the Fireflies GraphQL API gave no transcript within " + timeoutMillis + " ms", null)),
                    timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.complete(new Result(transcriptId, null, "not fetching the transcript: stopping", null));
            return result;
        }
        result.whenComplete((r, e) -> bound.cancel(false));
        attempt(transcriptId, result, deadline, false);
        return result;
    }

    private void attempt(String id, CompletableFuture<Result> result, long deadline, boolean retried) {
        if (result.isDone()) {
            return;
        }
        long wait = retryInMillis();
        if (wait > 0) {
            if (!retried && fitsBefore(wait, deadline)) {
                later(() -> attempt(id, result, deadline, true), wait, id, result);
            } else {
                result.complete(rateLimitedResult(id, wait));
            }
            return;
        }
        calls.incrementAndGet();
        CompletableFuture<Transcript> f;
        try {
            f = call.fetch(id);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((t, e) -> {
            if (e == null && t != null) {
                result.complete(new Result(id, t, null, null));
                return;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof GraphQLException.RateLimitedException rl) {
                rateLimited.incrementAndGet();
                Duration w = rl.getRetryAfter() != null ? rl.getRetryAfter()
                        : Duration.ofSeconds(DEFAULT_RETRY_AFTER_SECONDS);
                limitFor(w);
                if (!retried && fitsBefore(w.toMillis(), deadline)) {
                    later(() -> attempt(id, result, deadline, true), Math.max(1, w.toMillis()), id, result);
                } else {
                    result.complete(rateLimitedResult(id, Math.max(w.toMillis(), retryInMillis())));
                }
            } else {
                failures.incrementAndGet();
                String why = cause == null ? "no transcript in the answer"
                        : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
                result.complete(new Result(id, null, why, null));
            }
        });
    }

    /** Whether a wait of {@code millis} ends early enough before the deadline to leave room for a call. */
    private boolean fitsBefore(long millis, long deadline) {
        long room = Math.min(1000, timeoutMillis / 4);
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis + room) - deadline <= 0;
    }

    private void later(Runnable task, long millis, String id, CompletableFuture<Result> result) {
        try {
            timer.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            result.complete(new Result(id, null, "not fetching the transcript: stopping", null));
        }
    }

    private static Result rateLimitedResult(String id, long waitMillis) {
        return new Result(id, null, "the Fireflies GraphQL API is rate limiting this key: no call before its"
                                    + " Retry-After, in " + waitMillis + " ms",
                Duration.ofMillis(waitMillis));
    }

    /** No call before {@code wait} has passed (a later deadline already set is kept). */
    void limitFor(Duration wait) {
        long until = System.nanoTime() + Math.max(0, wait.toNanos());
        synchronized (this) {
            if (until - notBeforeNanos > 0) {
                notBeforeNanos = until;
            }
        }
    }

    /** How long no call may be made because of a rate limit (milliseconds); 0 when one may. */
    public long retryInMillis() {
        long left = notBeforeNanos - System.nanoTime();
        return left <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
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
