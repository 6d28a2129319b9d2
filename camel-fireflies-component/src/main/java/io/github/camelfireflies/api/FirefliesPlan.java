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
package io.github.camelfireflies.api;

import java.time.Duration;
import java.util.Locale;

/**
 * The Fireflies plan of an API key, for its rate budget: how many GraphQL requests the API accepts and in what
 * window (docs.fireflies.ai, fundamentals/limits; Pro raised to 500 a day in API 2.24.1). The API does not say which
 * plan a key has, so it is an option.
 */
public enum FirefliesPlan {
    /** 50 requests a day. */
    FREE(50, Duration.ofDays(1)),
    /** 500 requests a day. */
    PRO(500, Duration.ofDays(1)),
    /** 60 requests a minute. */
    BUSINESS(60, Duration.ofMinutes(1)),
    /** 60 requests a minute (as Business, unless the contract says otherwise: then give the numbers). */
    ENTERPRISE(60, Duration.ofMinutes(1)),
    /** No plan-wide limit is enforced by the client (the per-operation caps and the server's 429 still are). */
    NONE(0, Duration.ZERO);

    private final int requests;
    private final Duration window;

    FirefliesPlan(int requests, Duration window) {
        this.requests = requests;
        this.window = window;
    }

    /** Requests allowed per {@link #window()}; 0 for {@link #NONE}. */
    public int requests() {
        return requests;
    }

    /** The window the requests are counted in; zero for {@link #NONE}. */
    public Duration window() {
        return window;
    }

    /** Parses {@code free}, {@code pro}, {@code business}, {@code enterprise} or {@code none} (any case). */
    public static FirefliesPlan parse(String text) {
        String t = text == null ? "" : text.trim();
        for (FirefliesPlan p : values()) {
            if (p.name().equalsIgnoreCase(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("plan must be free, pro, business, enterprise or none, was '" + t + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
