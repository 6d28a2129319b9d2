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

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.github.camelfireflies.api.FirefliesPlan;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.internal.budget.BudgetClock;
import io.github.camelfireflies.internal.budget.RateBudget;
import io.github.camelfireflies.internal.budget.RateLimit;
import io.github.camelfireflies.metrics.BudgetMeters;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate budgets of one component: one per API key (by its fingerprint, never the key itself), shared by every
 * consumer and producer of the component that calls the GraphQL API with that key. With a
 * {@link CamelClusterService} in the context, each budget joins the cluster view {@code fireflies-budget-<fingerprint>}
 * and takes the share of its limits that the view's member count gives (see {@link RateBudget}).
 */
final class RateBudgets {

    private static final Logger LOG = LoggerFactory.getLogger(RateBudgets.class);

    /** The namespace prefix of the per-key cluster views. */
    static final String VIEW_PREFIX = "fireflies-budget-";

    private final CamelContext context;
    private final BudgetClock clock;
    private final Map<String, Entry> budgets = new LinkedHashMap<>();

    RateBudgets(CamelContext context, BudgetClock clock) {
        this.context = Objects.requireNonNull(context, "context");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The plan's limit as configured: explicit numbers win over the plan; null for none. */
    static RateLimit planLimit(FirefliesConfiguration c) {
        FirefliesPlan plan = c.getPlan() == null ? FirefliesPlan.BUSINESS : c.getPlan();
        int requests = c.getBudgetRequests() > 0 ? c.getBudgetRequests() : plan.requests();
        long window = c.getBudgetWindow() > 0 ? c.getBudgetWindow() : plan.window().toMillis();
        if (c.getBudgetRequests() < 0 || c.getBudgetWindow() < 0) {
            throw new IllegalArgumentException("budgetRequests and budgetWindow must not be negative");
        }
        if (requests == 0) {
            return null;
        }
        if (window == 0) {
            throw new IllegalArgumentException("budgetRequests=" + requests + " needs a budgetWindow (plan=none has none)");
        }
        return new RateLimit(RateBudget.PLAN, requests, Duration.ofMillis(window));
    }

    /**
     * The budget of a key, made at the first call with the limits given; every later call must give the same limits.
     *
     * @throws IllegalArgumentException when another endpoint of this component gave the key other limits
     */
    synchronized RateBudget budget(ApiKey key, RateLimit plan) {
        String name = key.fingerprint();
        Entry e = budgets.get(name);
        if (e != null) {
            if (!Objects.equals(e.budget.planLimit(), plan)) {
                throw new IllegalArgumentException("The API key " + name + " has the rate budget "
                                                   + describe(e.budget.planLimit()) + " from another endpoint of this"
                                                   + " component; this endpoint asks for " + describe(plan)
                                                   + ": give every endpoint of one key the same plan / budgetRequests /"
                                                   + " budgetWindow (best on the component)");
            }
            return e.budget;
        }
        RateBudget budget = RateBudget.withDocumentedCaps(name, plan, clock);
        e = new Entry(budget);
        budgets.put(name, e);
        e.meters = BudgetMeters.bind(context, budget);
        e.join(ClusterServiceHelper.lookupService(context).orElse(null));
        LOG.info("Rate budget of API key {}: {}, and the documented per-operation caps{}", name, describe(plan),
                e.view == null ? "" : "; shared through cluster view " + e.view.getNamespace() + " (" + budget.members()
                                      + " member(s))");
        return budget;
    }

    private static String describe(RateLimit plan) {
        return plan == null ? "no plan-wide limit" : plan.requests() + " requests per " + plan.window().toMillis() + " ms";
    }

    /** The budget of a key if one was made, else null. */
    synchronized RateBudget existing(ApiKey key) {
        Entry e = budgets.get(key.fingerprint());
        return e == null ? null : e.budget;
    }

    /** The budgets made so far. */
    synchronized List<RateBudget> all() {
        return budgets.values().stream().map(e -> e.budget).toList();
    }

    /** Leaves the cluster views and removes the meters; the budgets are forgotten. */
    synchronized void stop() {
        for (Entry e : budgets.values()) {
            e.leave();
            e.meters.close();
        }
        budgets.clear();
    }

    private static final class Entry implements CamelClusterEventListener.Membership {
        final RateBudget budget;
        BudgetMeters meters = BudgetMeters.NONE;
        volatile CamelClusterService cluster;
        volatile CamelClusterView view;

        Entry(RateBudget budget) {
            this.budget = budget;
        }

        void join(CamelClusterService service) {
            if (service == null) {
                return;
            }
            try {
                CamelClusterView v = service.getView(VIEW_PREFIX + budget.name());
                cluster = service;
                view = v;
                v.addEventListener(this);
                count(v);
            } catch (Exception ex) {
                LOG.warn("Rate budget {}: cannot join the cluster view of the key ({}); this instance takes the whole"
                         + " budget", budget.name(), ex.toString());
            }
        }

        void leave() {
            CamelClusterView v = view;
            view = null;
            if (v == null) {
                return;
            }
            try {
                v.removeEventListener(this);
                cluster.releaseView(v);
            } catch (Exception ex) {
                LOG.debug("Rate budget {}: cannot release its cluster view: {}", budget.name(), ex.toString());
            }
        }

        /** The members of the view, this one included, however the view lists them. */
        void count(CamelClusterView v) {
            Set<String> ids = new HashSet<>();
            try {
                for (CamelClusterMember m : v.getMembers()) {
                    ids.add(m.getId());
                }
                ids.add(v.getLocalMember().getId());
            } catch (RuntimeException ex) {
                LOG.debug("Rate budget {}: its cluster view cannot list its members now: {}", budget.name(),
                        ex.toString());
                return;
            }
            budget.members(ids.size());
        }

        @Override
        public void memberAdded(CamelClusterView v, CamelClusterMember member) {
            count(v);
        }

        @Override
        public void memberRemoved(CamelClusterView v, CamelClusterMember member) {
            count(v);
        }
    }
}
