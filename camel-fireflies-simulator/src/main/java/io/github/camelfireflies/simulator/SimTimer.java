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

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's one timer thread: heartbeats, connect timeouts, script clocks and the meeting schedule. Tasks are
 * short; a task that throws is logged and does not stop the timer.
 */
final class SimTimer {

    private static final Logger LOG = LoggerFactory.getLogger(SimTimer.class);

    private volatile ScheduledThreadPoolExecutor executor;

    /** Starts the timer thread. */
    synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("Timer already started");
        }
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, threadFactory("fireflies-sim-timer"));
        e.setRemoveOnCancelPolicy(true);
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        e.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        e.prestartAllCoreThreads();
        executor = e;
    }

    /** Schedules a one-shot task; {@code null} when the timer is not running (not started, or shut down). */
    ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        ScheduledThreadPoolExecutor e = executor;
        if (e == null) {
            return null;
        }
        try {
            return e.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException ex) {
                    LOG.warn("Simulator task failed", ex);
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ex) {
            return null;
        }
    }

    /** Stops the thread, waiting at most 5 s for a task under way. */
    void shutdown() {
        ScheduledThreadPoolExecutor e = executor;
        if (e == null) {
            return;
        }
        e.shutdownNow();
        try {
            if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The simulator's timer thread did not stop within 5 s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Daemon threads named {@code prefix-N}, with the simulator's class loader as context class loader. */
    static ThreadFactory threadFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            // not Tomcat's web application class loader (which a lazily started thread would inherit)
            t.setContextClassLoader(SimTimer.class.getClassLoader());
            return t;
        };
    }
}
