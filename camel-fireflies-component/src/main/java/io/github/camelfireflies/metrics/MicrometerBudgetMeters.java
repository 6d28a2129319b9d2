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

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.github.camelfireflies.internal.budget.RateBudget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;

/** The Micrometer side of {@link BudgetMeters}: only loaded when Micrometer is on the class path. */
final class MicrometerBudgetMeters implements BudgetMeters {

    private final MeterRegistry registry;
    /** Held here: Micrometer holds the objects its function meters read only weakly. */
    private final RateBudget budget;
    private final List<Meter> meters = new ArrayList<>();

    private MicrometerBudgetMeters(MeterRegistry registry, Tags tags, RateBudget budget) {
        this.registry = registry;
        this.budget = budget;
        List<String> limits = new ArrayList<>();
        if (budget.planLimit() != null) {
            limits.add(RateBudget.PLAN);
        }
        budget.operationLimits().forEach(l -> limits.add(l.name()));
        for (String limit : limits) {
            gauge("camel.fireflies.budget.remaining", "Calls this instance may still make in the limit's window now",
                    tags.and("limit", limit), b -> {
                        RateBudget.LimitState s = b.snapshot().limit(limit);
                        return s == null ? Double.NaN : s.remaining();
                    });
            gauge("camel.fireflies.budget.used", "Calls in the limit's window now", tags.and("limit", limit), b -> {
                RateBudget.LimitState s = b.snapshot().limit(limit);
                return s == null ? Double.NaN : s.used();
            });
        }
        gauge("camel.fireflies.budget.members", "Instances sharing the key's budget", tags, b -> b.snapshot().members());
        gauge("camel.fireflies.budget.waiting", "Calls waiting for the budget now", tags, b -> b.snapshot().waiting());
        counter("camel.fireflies.budget.granted", "Calls the budget let through", tags, b -> b.snapshot().granted());
        counter("camel.fireflies.budget.refused", "Calls refused by the budget, never sent", tags,
                b -> b.snapshot().refused());
        counter("camel.fireflies.budget.waited", "Calls that waited for the budget", tags, b -> b.snapshot().waited());
        counter("camel.fireflies.budget.rate.limited", "Rate-limit answers (HTTP 429) of the server", tags,
                b -> b.snapshot().rateLimited());
    }

    private void gauge(String name, String description, Tags tags, ToDoubleFunction<RateBudget> f) {
        meters.add(Gauge.builder(name, budget, f).description(description).tags(tags).register(registry));
    }

    private void counter(String name, String description, Tags tags, ToDoubleFunction<RateBudget> f) {
        meters.add(FunctionCounter.builder(name, budget, f).description(description).tags(tags).register(registry));
    }

    static BudgetMeters bind(CamelContext context, RateBudget budget) {
        MeterRegistry registry = MicrometerMetrics.find(context);
        if (registry == null) {
            return null;
        }
        return new MicrometerBudgetMeters(registry, Tags.of("camelContext", context.getName(), "key", budget.name()),
                budget);
    }

    @Override
    public void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }
}
