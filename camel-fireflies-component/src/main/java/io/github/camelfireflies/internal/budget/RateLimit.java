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
import java.util.Objects;

/**
 * At most {@code requests} calls in any {@code window}: a plan's limit ({@code name} = {@code plan}) or one
 * operation's cap ({@code name} = the operation, e.g. {@code addToLiveMeeting}).
 */
public record RateLimit(String name, int requests, Duration window) {

    public RateLimit {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(window, "window");
        if (requests <= 0) {
            throw new IllegalArgumentException(name + ": the number of requests must be positive, was " + requests);
        }
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException(name + ": the window must be positive, was " + window);
        }
    }

    /** {@code addToLiveMeeting: 3 per 20 minutes}. */
    public String describe() {
        return name + ": " + requests + " per " + words(window);
    }

    /** A window in words: {@code day}, {@code hour}, {@code 20 minutes}, {@code 1500 ms}. */
    static String words(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms == 86_400_000L ? "day" : ms / 86_400_000L + " days";
        }
        if (ms % 3_600_000L == 0) {
            return ms == 3_600_000L ? "hour" : ms / 3_600_000L + " hours";
        }
        if (ms % 60_000L == 0) {
            return ms == 60_000L ? "minute" : ms / 60_000L + " minutes";
        }
        if (ms % 1000L == 0) {
            return ms == 1000L ? "second" : ms / 1000L + " seconds";
        }
        return ms + " ms";
    }
}
