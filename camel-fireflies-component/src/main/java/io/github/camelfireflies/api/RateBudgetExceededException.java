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
import java.time.Instant;

/**
 * A GraphQL call that was not sent: the API key's rate budget knows that the API would refuse it now (the plan's
 * limit, or an operation's cap, is spent for this instance's share), and it would not free within the caller's
 * {@code budgetMaxWait}. Nothing reached the server. {@link #getRetryAfter()} is how long until it frees, so code that
 * backs off on a {@link RateLimitedException} backs off on this one alike.
 */
public class RateBudgetExceededException extends GraphQLException.RateLimitedException {

    private static final long serialVersionUID = 1L;

    /** The {@link #getCode()} of this exception. */
    public static final String CODE = "rate_budget_exceeded";

    private final String limit;
    private final Instant freesAt;

    /**
     * @param message  what was refused and why
     * @param limit    the limit that is spent, e.g. {@code addToLiveMeeting: 3 per 20 minutes}
     * @param freesAt  when a call frees (wall clock), or null when it never will (a share of zero)
     * @param waitLeft how long until then, or null
     */
    public RateBudgetExceededException(String message, String limit, Instant freesAt, Duration waitLeft) {
        super(message, 0, CODE, waitLeft);
        this.limit = limit;
        this.freesAt = freesAt;
    }

    /** The limit that is spent, in words, e.g. {@code addToLiveMeeting: 3 per 20 minutes}. */
    public String getLimit() {
        return limit;
    }

    /** When the next call frees, or null when this instance's share of the limit is zero. */
    public Instant getFreesAt() {
        return freesAt;
    }
}
