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
package io.github.camelfireflies.metrics;

import io.github.camelfireflies.internal.budget.RateBudget;
import org.apache.camel.CamelContext;

/**
 * The meters of one API key's rate budget, when the application has Micrometer and a {@code MeterRegistry} (found as
 * for {@link FirefliesMetrics}); else nothing. Tags: {@code camelContext}, {@code key} (the key's fingerprint, never the
 * key). Gauges {@code camel.fireflies.budget.remaining} and {@code camel.fireflies.budget.used} (tag {@code limit}:
 * {@code plan} or an operation such as {@code addToLiveMeeting}), {@code camel.fireflies.budget.members} (instances
 * sharing the key), {@code camel.fireflies.budget.waiting}; counters {@code camel.fireflies.budget.granted},
 * {@code .refused} (calls not sent), {@code .waited} and {@code .rate.limited} (429 answers).
 */
public interface BudgetMeters {

    /** Measures nothing. */
    BudgetMeters NONE = () -> {
    };

    /** Removes the meters. */
    void close();

    /** The meters of {@code budget} in the context's registry, or {@link #NONE}. */
    static BudgetMeters bind(CamelContext context, RateBudget budget) {
        if (!FirefliesMetrics.Holder.MICROMETER) {
            return NONE;
        }
        try {
            BudgetMeters m = MicrometerBudgetMeters.bind(context, budget);
            return m == null ? NONE : m;
        } catch (LinkageError e) {
            FirefliesMetrics.Holder.LOG.warn("No Fireflies budget metrics: Micrometer could not be used ({})", e.toString());
            return NONE;
        }
    }
}
