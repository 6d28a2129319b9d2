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
package io.github.camelfireflies.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ScheduledExecutorService} on a manual clock: nothing runs until the test calls {@link #advance} (or
 * {@link #runDue}), and then on the test's thread, due tasks in time order (ties in submission order). So "nothing
 * happens for a while" is proved by advancing past the point and looking, without waiting on the real clock.
 * <p>
 * {@link #nanoTime()} is the clock, for code that takes a time source as well. {@code execute}/{@code submit} run at
 * the current time (on the next {@link #runDue}). Thread-safe; tasks may schedule more tasks, which run in the same
 * {@code advance} when they fall due within it.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final Object lock = new Object();
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private long nowNanos;
    private long seq;
    private boolean shutdown;

    /** The manual clock, nanoseconds from 0. */
    public long nanoTime() {
        synchronized (lock) {
            return nowNanos;
        }
    }

    /** The manual clock, milliseconds from 0. */
    public long millis() {
        return TimeUnit.NANOSECONDS.toMillis(nanoTime());
    }

    /** Moves the clock forward by {@code amount}, running every task that falls due on the way, at its time. */
    public void advance(long amount, TimeUnit unit) {
        long target;
        synchronized (lock) {
            target = nowNanos + unit.toNanos(amount);
        }
        while (true) {
            Task<?> next;
            synchronized (lock) {
                next = queue.peek();
                if (next == null || next.atNanos > target) {
                    nowNanos = Math.max(nowNanos, target);
                    return;
                }
                queue.poll();
                nowNanos = Math.max(nowNanos, next.atNanos);
            }
            next.runOnce();
        }
    }

    /** Runs what is due now (the clock does not move). */
    public void runDue() {
        advance(0, TimeUnit.NANOSECONDS);
    }

    /** Tasks waiting (not cancelled). */
    public int pending() {
        synchronized (lock) {
            return (int) queue.stream().filter(t -> !t.isCancelled()).count();
        }
    }

    /** When the next task falls due, in milliseconds from now; -1 when none waits. */
    public long nextDelayMillis() {
        synchronized (lock) {
            return queue.stream().filter(t -> !t.isCancelled()).mapToLong(t -> t.atNanos).min()
                    .stream().map(at -> TimeUnit.NANOSECONDS.toMillis(at - nowNanos)).findFirst().orElse(-1);
        }
    }

    private <V> Task<V> enqueue(Task<V> t) {
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
            queue.add(t);
        }
        return t;
    }

    private long at(long delay, TimeUnit unit) {
        synchronized (lock) {
            return nowNanos + Math.max(0, unit.toNanos(delay));
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Task<>(new FutureTask<Void>(command, null), at(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Task<>(new FutureTask<>(callable), at(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        return enqueue(new Task<>(command, at(initialDelay, unit), unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit); // no time passes while a task runs
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        synchronized (lock) {
            shutdown = true;
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        synchronized (lock) {
            shutdown = true;
            List<Runnable> left = new ArrayList<>(queue);
            queue.clear();
            return left;
        }
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown;
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return shutdown && queue.isEmpty();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    /** One scheduled task: a one-shot future, or a periodic runnable (period > 0). */
    private final class Task<V> implements ScheduledFuture<V>, Runnable {
        private final FutureTask<V> once;
        private final Runnable periodic;
        private final long period;
        private final long order;
        private volatile long atNanos;
        private volatile boolean cancelled;

        Task(FutureTask<V> once, long atNanos, long period) {
            this.once = once;
            this.periodic = null;
            this.atNanos = atNanos;
            this.period = period;
            synchronized (lock) {
                this.order = seq++;
            }
        }

        Task(Runnable periodic, long atNanos, long period) {
            this.once = null;
            this.periodic = periodic;
            this.atNanos = atNanos;
            this.period = period;
            synchronized (lock) {
                this.order = seq++;
            }
        }

        void runOnce() {
            if (cancelled) {
                return;
            }
            if (once != null) {
                once.run();
                return;
            }
            periodic.run();
            synchronized (lock) {
                if (!cancelled && !shutdown) {
                    atNanos += period;
                    queue.add(this);
                }
            }
        }

        @Override
        public void run() {
            runOnce();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(atNanos - nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task<?> t = (Task<?>) o;
            int c = Long.compare(atNanos, t.atNanos);
            return c != 0 ? c : Long.compare(order, t.order);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            synchronized (lock) {
                queue.remove(this);
            }
            return once == null || once.cancel(false);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled || (once != null && once.isDone());
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            if (once == null) {
                throw new UnsupportedOperationException("a periodic task has no result");
            }
            return once.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            if (once == null) {
                throw new UnsupportedOperationException("a periodic task has no result");
            }
            return once.get(timeout, unit);
        }
    }
}
