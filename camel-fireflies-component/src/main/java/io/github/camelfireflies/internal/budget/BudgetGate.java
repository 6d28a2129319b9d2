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
import java.util.List;
import java.util.Objects;

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.internal.graphql.CallGate;

/**
 * One caller's door to the {@link RateBudget} of its key: how long it may wait for room ({@code budgetMaxWait}) and how
 * often a call the server refused with 429 is sent again ({@code budgetRetries}). Many gates share one budget.
 */
public final class BudgetGate implements CallGate {

    private final RateBudget budget;
    private final Duration maxWait;
    private final int retries;

    /**
     * @param budget  the key's budget
     * @param maxWait the longest a call waits for room (and for the server's Retry-After) before it fails
     * @param retries how many times a call the server refused as rate limited is sent again
     */
    public BudgetGate(RateBudget budget, Duration maxWait, int retries) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("budgetMaxWait must not be negative, was " + maxWait.toMillis());
        }
        if (retries < 0) {
            throw new IllegalArgumentException("budgetRetries must not be negative, was " + retries);
        }
        this.retries = retries;
    }

    public RateBudget budget() {
        return budget;
    }

    @Override
    public void acquire(List<String> operations) throws GraphQLException {
        budget.acquire(operations, maxWait);
    }

    /** Holds the key back for the server's wait; sends again while retries are left and the wait is within bound. */
    @Override
    public boolean rateLimited(Duration retryAfter, int attempt) {
        Duration hold = budget.rateLimited(retryAfter, attempt);
        return attempt <= retries && hold.compareTo(maxWait) <= 0;
    }
}
