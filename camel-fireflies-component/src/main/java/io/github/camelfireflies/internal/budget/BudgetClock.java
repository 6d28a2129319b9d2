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

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The time of a {@link RateBudget}: a reading in milliseconds that never goes back, what that reading is on the wall
 * clock (for messages), and a way to wait for a reading. Tests drive one by hand instead of waiting.
 */
public interface BudgetClock {

    /** The JVM's monotonic clock; waits park the calling thread. */
    BudgetClock SYSTEM = new BudgetClock() {
        @Override
        public long millis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        }

        @Override
        public void sleepUntil(long deadlineMillis) throws InterruptedException {
            long left;
            while ((left = deadlineMillis - millis()) > 0) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(left));
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    };

    /** Now, in milliseconds; only differences between readings mean anything. */
    long millis();

    /** Returns once {@link #millis()} reached {@code deadlineMillis} (at once when it has). */
    void sleepUntil(long deadlineMillis) throws InterruptedException;

    /** The wall-clock instant of a reading. */
    default Instant instant(long readingMillis) {
        return Instant.now().plusMillis(readingMillis - millis());
    }
}
