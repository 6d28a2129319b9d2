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
import java.util.concurrent.TimeUnit;

/** A clock the test moves: a wait returns when the test has moved the clock far enough (or fails after 30 s). */
public final class ManualClock implements BudgetClock {

    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final Instant ORIGIN = Instant.parse("2026-01-05T09:00:00Z");

    private long now;

    @Override
    public synchronized long millis() {
        return now;
    }

    @Override
    public synchronized void sleepUntil(long deadlineMillis) throws InterruptedException {
        long giveUp = System.nanoTime() + GIVE_UP_NANOS;
        while (now < deadlineMillis) {
            long left = giveUp - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("The test did not move the clock to " + deadlineMillis + " in 30 s");
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    @Override
    public synchronized Instant instant(long readingMillis) {
        return ORIGIN.plusMillis(readingMillis);
    }

    /** Moves the clock on and wakes every waiter. */
    public synchronized void advance(Duration d) {
        now += d.toMillis();
        notifyAll();
    }
}
