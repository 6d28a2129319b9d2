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
package io.github.camelfireflies;

import java.util.function.Supplier;

import io.github.camelfireflies.internal.budget.RateBudget;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** What the consumers' checks share: readiness only, in the "camel" group, named after the route. */
public abstract class FirefliesReadinessCheck extends AbstractHealthCheck {

    protected final String routeId;
    private volatile Supplier<RateBudget.Snapshot> budget;

    protected FirefliesReadinessCheck(String kind, String routeId) {
        super("camel", kind + "-" + routeId);
        this.routeId = routeId;
    }

    /** Where the check reads the rate budget of the consumer's key, for its details. */
    void budget(Supplier<RateBudget.Snapshot> budget) {
        this.budget = budget;
    }

    /**
     * The rate budget of the consumer's key as details: {@code budget.key} (its fingerprint), {@code budget.members},
     * {@code budget.plan.limit}, {@code budget.plan.remaining}, {@code budget.plan.used}, {@code budget.<operation>.remaining}
     * for each per-operation cap, {@code budget.refused}, {@code budget.waiting}, {@code budget.rate.limited} and,
     * while the server's Retry-After holds calls back, {@code budget.blocked.ms}. It never makes the check DOWN.
     */
    protected void budgetDetails(HealthCheckResultBuilder builder) {
        Supplier<RateBudget.Snapshot> b = budget;
        RateBudget.Snapshot s;
        try {
            s = b == null ? null : b.get();
        } catch (RuntimeException e) {
            return; // e.g. a key no longer valid: the check says so elsewhere
        }
        if (s == null) {
            return;
        }
        builder.detail("budget.key", s.name());
        builder.detail("budget.members", s.members());
        for (RateBudget.LimitState l : s.limits()) {
            String prefix = "budget." + l.limit().name();
            if (l.limit().name().equals(RateBudget.PLAN)) {
                builder.detail(prefix + ".limit", l.limit().requests() + " per " + l.limit().window().toMillis() + " ms");
                builder.detail(prefix + ".used", l.used());
            }
            builder.detail(prefix + ".remaining", l.remaining());
        }
        builder.detail("budget.refused", s.refused());
        builder.detail("budget.waiting", s.waiting());
        builder.detail("budget.rate.limited", s.rateLimited());
        if (s.blockedForMillis() > 0) {
            builder.detail("budget.blocked.ms", s.blockedForMillis());
        }
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /**
     * DOWN, saying why where every platform shows it: the message (Camel's own API and consoles), the detail
     * {@code reason} (Spring Boot Actuator and the like show details, not the message), the detail {@code last.error}
     * when there is an error, and the error itself when there is one (Camel Spring Boot shows it as
     * {@code error.message}). None of them holds the API key: the texts come from exceptions that never carry it.
     *
     * @param reason    what the check says, in a sentence
     * @param lastError the error's text, or null
     * @param error     the failure, or null
     */
    protected static void down(HealthCheckResultBuilder builder, String reason, String lastError, Throwable error) {
        builder.down();
        builder.message(reason);
        builder.detail("reason", reason);
        if (lastError != null) {
            builder.detail("last.error", lastError);
        }
        if (error != null) {
            builder.error(error);
        }
    }
}
