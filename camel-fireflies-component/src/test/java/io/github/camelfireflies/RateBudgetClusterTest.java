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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.camelfireflies.internal.budget.ManualClock;
import io.github.camelfireflies.internal.budget.RateBudget;
import io.github.camelfireflies.testsupport.GraphQLStubServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances that share a key through a cluster service share its budget: the key's view
 * ({@code fireflies-budget-<fingerprint>}) gives the member count, each takes its share; a share shrinks at once when
 * a member joins and grows a window after one left.
 */
class RateBudgetClusterTest {

    private static final String KEY = "ff-cluster-test-key";

    private GraphQLStubServer server;

    @BeforeEach
    void start() throws Exception {
        server = new GraphQLStubServer().field("users", r -> List.of());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void eachMemberTakesItsShareOfTheKeysLimits() throws Exception {
        ManualClock clock = new ManualClock();
        Cluster cluster = new Cluster();
        try (CamelContext context = new DefaultCamelContext()) {
            context.addService(cluster);
            FirefliesComponent component = new FirefliesComponent();
            component.setBudgetClock(clock);
            context.addComponent("fireflies", component);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:q").to("fireflies:graphql?apiKey=RAW(" + KEY + ")&graphqlUrl=" + server.url()
                                        + "&budgetMaxWait=0");
                }
            });
            cluster.members.add(new Member("other-1", false));
            cluster.members.add(new Member("other-2", false));
            context.start();

            RateBudget budget = component.budgets().all().get(0);
            View view = cluster.view;
            assertThat(view).isNotNull();
            assertThat(view.getNamespace()).isEqualTo(RateBudgets.VIEW_PREFIX + budget.name());
            assertThat(view.getNamespace()).doesNotContain(KEY);
            assertThat(budget.members()).isEqualTo(3);
            assertThat(budget.snapshot().plan().share()).isEqualTo(20); // Business: 60 a minute among 3
            assertThat(budget.snapshot().limit("addToLiveMeeting").share()).isEqualTo(1);

            for (int i = 0; i < 20; i++) {
                assertThat(context.createProducerTemplate()
                        .send("direct:q", x -> x.getMessage().setBody("{ users { id } }")).getException()).isNull();
            }
            assertThat(context.createProducerTemplate().send("direct:q", x -> x.getMessage().setBody("{ users { id } }"))
                    .getException()).hasMessageContaining("share: 20, 3 instances");
            assertThat(server.requests()).hasSize(20);

            // a member dies: its calls still count at the server for a minute, so the share grows a minute later
            Member gone = cluster.members.remove(0);
            view.removed(gone);
            assertThat(budget.members()).isEqualTo(2);
            assertThat(budget.snapshot().plan().share()).isEqualTo(20);
            clock.advance(Duration.ofMinutes(1));
            assertThat(budget.snapshot().plan().share()).isEqualTo(30);

            // a member joins: every share shrinks at once
            Member joined = new Member("other-3", false);
            cluster.members.add(joined);
            view.added(joined);
            assertThat(budget.members()).isEqualTo(3);
            assertThat(budget.snapshot().plan().share()).isEqualTo(20);
        }
        assertThat(cluster.released).isTrue();
    }

    /** A cluster service whose one view lists the members the test sets, this instance included. */
    static final class Cluster extends AbstractCamelClusterService<View> {
        final List<Member> members = new CopyOnWriteArrayList<>();
        volatile View view;
        volatile boolean released;

        Cluster() {
            super("budget-test");
        }

        @Override
        protected View createView(String namespace) {
            view = new View(this, namespace);
            return view;
        }

        @Override
        public void releaseView(CamelClusterView v) throws Exception {
            released = true;
            super.releaseView(v);
        }
    }

    static final class View extends AbstractCamelClusterView {
        private final Cluster cluster;
        private final Member local = new Member("local", true);

        View(Cluster cluster, String namespace) {
            super(cluster, namespace);
            this.cluster = cluster;
        }

        void added(Member m) {
            fireMemberAddedEvent(m);
        }

        void removed(Member m) {
            fireMemberRemovedEvent(m);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return Optional.of(local);
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            List<CamelClusterMember> all = new java.util.ArrayList<>(cluster.members);
            all.add(local);
            return all;
        }

        @Override
        protected void doStart() {
        }

        @Override
        protected void doStop() {
        }
    }

    record Member(String id, boolean local) implements CamelClusterMember {
        @Override
        public boolean isLeader() {
            return local;
        }

        @Override
        public boolean isLocal() {
            return local;
        }

        @Override
        public String getId() {
            return id;
        }
    }

}
