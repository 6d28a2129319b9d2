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
package io.github.camelfireflies.internal.socketio;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, as the official Socket.IO clients compute it: the n-th wait (0-based) is
 * {@code initial * 2^n}, spread by {@code +-randomizationFactor}, then capped at {@code max}.
 */
public record Backoff(long initialDelayMillis, long maxDelayMillis, double randomizationFactor) {

    /** The official clients' defaults: 1000 ms, capped at 5000 ms, spread by +-50%. */
    public static final Backoff DEFAULT = new Backoff(1000, 5000, 0.5);

    public Backoff {
        if (initialDelayMillis < 0 || maxDelayMillis < 0) {
            throw new IllegalArgumentException("Backoff delays must not be negative");
        }
        if (randomizationFactor < 0 || randomizationFactor > 1 || Double.isNaN(randomizationFactor)) {
            throw new IllegalArgumentException("randomizationFactor must be between 0 and 1, was " + randomizationFactor);
        }
    }

    /** The wait before attempt {@code attempt} (0 = the first retry), with a fresh random spread. */
    public long delayMillis(int attempt) {
        return delayMillis(attempt, ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The wait before attempt {@code attempt}, for a given random number in {@code [0, 1)}: pure, so tests can pin the
     * spread. 0.5 gives the undisturbed delay, 0 the shortest, values near 1 the longest.
     */
    public long delayMillis(int attempt, double random) {
        double base = initialDelayMillis * Math.pow(2, Math.min(Math.max(attempt, 0), 62));
        double spread = base * randomizationFactor * (2 * random - 1);
        double delay = Math.min(base + spread, (double) maxDelayMillis);
        return Math.max(0, (long) delay);
    }
}
