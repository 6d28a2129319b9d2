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
import java.util.Map;

import io.github.camelfireflies.api.RateBudgetExceededException;
import io.github.camelfireflies.internal.budget.ManualClock;
import io.github.camelfireflies.testsupport.GraphQLStubServer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One rate budget per API key in a CamelContext, against a GraphQL server on 127.0.0.1 that counts what reaches it:
 * the consumers and producers of one key together never exceed a small daily budget, and the fourth
 * addToLiveMeeting within 20 minutes, sent as a raw query through the producer, is never sent.
 */
class RateBudgetSharingTest {

    private static final String KEY = "ff-sharing-test-key";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private GraphQLStubServer server;

    @BeforeEach
    void start() throws Exception {
        server = new GraphQLStubServer()
                .field("active_meetings", r -> List.of())
                .field("transcripts", r -> List.of())
                .field("users", r -> List.of(Map.of("name", "Alice")))
                .field("addToLiveMeeting", r -> Map.of("success", true));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String options() {
        return "apiKey=RAW(" + KEY + ")&graphqlUrl=" + server.url() + "&budgetMaxWait=0";
    }

    @Test
    void theConsumersAndProducersOfOneKeyTogetherNeverExceedItsDailyBudget() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            FirefliesComponent component = new FirefliesComponent();
            component.getConfiguration().setPlan(io.github.camelfireflies.api.FirefliesPlan.FREE);
            component.getConfiguration().setBudgetRequests(7); // a small "day"
            context.addComponent("fireflies", component);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("fireflies:meetings?pollInterval=50&backfill=none&" + options()).routeId("meetings")
                            .to("mock:meetings");
                    from("fireflies:transcripts?delay=50&initialDelay=0&" + options()).routeId("transcripts")
                            .to("mock:transcripts");
                    from("direct:users").to("fireflies:graphql?" + options());
                }
            });
            context.start();
            ProducerTemplate producer = context.createProducerTemplate();
            int sent = 0;
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                Exchange e = producer.send("direct:users", x -> x.getMessage().setBody("{ users { name } }"));
                if (e.getException() == null) {
                    sent++;
                } else {
                    assertThat(e.getException()).isInstanceOf(RateBudgetExceededException.class);
                    assertThat(e.getException().getMessage()).contains("plan: 7 per day").doesNotContain(KEY);
                    refused++;
                }
            }
            MeetingsConsumer meetings = (MeetingsConsumer) context.getRoute("meetings").getConsumer();
            TranscriptsConsumer transcripts = (TranscriptsConsumer) context.getRoute("transcripts").getConsumer();
            // both consumers are refused too, and then wait for the time the budget said it frees (not polling)
            await().atMost(WAIT).until(() -> meetings.getFailedPolls() >= 1 && transcripts.getFailedPolls() >= 1);

            assertThat(refused).isPositive();
            assertThat(server.requests()).hasSize(7); // the whole day's budget, not one more
            assertThat(server.count("users")).isEqualTo(sent);
            assertThat(server.count("active_meetings") + server.count("transcripts") + sent).isEqualTo(7);
            assertThat(meetings.getBudgetRemaining()).isZero();
            // each consumer was refused once, then waits for when the budget frees (a day) instead of asking again
            assertThat(meetings.getBudgetRefused()).isEqualTo(refused + 2);
            assertThat(transcripts.getBudgetRemaining()).isZero();

            HealthCheck.Result health = meetings.getHealthCheck().call();
            assertThat(health.getDetails()).containsEntry("budget.plan.remaining", 0)
                    .containsEntry("budget.plan.used", 7)
                    .containsEntry("budget.plan.limit", "7 per 86400000 ms")
                    .containsEntry("budget.addToLiveMeeting.remaining", 3)
                    .containsKey("budget.refused");
            assertThat(health.getDetails().get("budget.key").toString()).startsWith("key-").doesNotContain(KEY);
            assertThat(health.getMessage().orElse("")).contains("rate budget");
        }
    }

    @Test
    void theFourthAddToLiveMeetingThroughTheRawQueryProducerIsNeverSent() throws Exception {
        ManualClock clock = new ManualClock();
        try (CamelContext context = new DefaultCamelContext()) {
            FirefliesComponent component = new FirefliesComponent();
            component.setBudgetClock(clock);
            context.addComponent("fireflies", component);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:add").to("fireflies:graphql?operation=query&" + options());
                }
            });
            context.start();
            ProducerTemplate producer = context.createProducerTemplate();
            String add = "mutation { addToLiveMeeting(meeting_link: \"https://meet.example/x\") { success } }";
            for (int i = 0; i < 3; i++) {
                assertThat(producer.send("direct:add", x -> x.getMessage().setBody(add)).getException()).isNull();
                clock.advance(Duration.ofMinutes(1));
            }
            Exchange fourth = producer.send("direct:add", x -> x.getMessage().setBody(add));
            assertThat(fourth.getException()).isInstanceOf(RateBudgetExceededException.class)
                    .hasMessageContaining("addToLiveMeeting: 3 per 20 minutes");
            assertThat(server.count("addToLiveMeeting")).isEqualTo(3);

            clock.advance(Duration.ofMinutes(17)); // the first one leaves its window
            assertThat(producer.send("direct:add", x -> x.getMessage().setBody(add)).getException()).isNull();
            assertThat(server.count("addToLiveMeeting")).isEqualTo(4);
        }
    }
}
