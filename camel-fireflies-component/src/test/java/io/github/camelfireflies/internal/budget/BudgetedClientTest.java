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

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.RateBudgetExceededException;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.internal.graphql.FirefliesGraphQLClient;
import io.github.camelfireflies.testsupport.GraphQLStubServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The GraphQL client with a budget, against a server on 127.0.0.1 that records what reaches it: a call the budget
 * refuses is never sent, and a 429 is sent again after the server's Retry-After (on a clock the test moves).
 */
class BudgetedClientTest {

    private static final String ADD = "mutation Add($link: String!) { addToLiveMeeting(meeting_link: $link) { success } }";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ManualClock clock = new ManualClock();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private GraphQLStubServer server;

    @BeforeEach
    void start() throws Exception {
        server = new GraphQLStubServer()
                .field("addToLiveMeeting", r -> Map.of("success", true))
                .field("transcripts", r -> java.util.List.of());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private FirefliesGraphQLClient client(RateBudget budget, Duration maxWait, int retries) {
        return new FirefliesGraphQLClient(URI.create(server.url()), ApiKey.of("ff-budget-key"), TIMEOUT, TIMEOUT, threads,
                new BudgetGate(budget, maxWait, retries));
    }

    @Test
    void theFourthAddToLiveMeetingWithinTwentyMinutesIsNeverSent() throws Exception {
        RateBudget budget = RateBudget.withDocumentedCaps("key-x", null, clock);
        FirefliesGraphQLClient client = client(budget, Duration.ZERO, 2);
        for (int i = 0; i < 3; i++) {
            client.execute(ADD, Map.of("link", "https://meet.example/" + i));
            clock.advance(Duration.ofMinutes(6));
        }
        RateBudgetExceededException e = catchThrowableOfType(
                () -> client.execute(ADD, Map.of("link", "https://meet.example/4")), RateBudgetExceededException.class);

        assertThat(server.count("addToLiveMeeting")).isEqualTo(3);
        assertThat(e.getLimit()).isEqualTo("addToLiveMeeting: 3 per 20 minutes");
        assertThat(e.getRetryAfter()).isEqualTo(Duration.ofMinutes(2)); // the first left 18 minutes ago
        assertThat(e.getMessage()).doesNotContain("ff-budget-key");
        // other operations still go
        client.execute("{ transcripts { id } }", null);
        assertThat(server.requests()).hasSize(4);

        clock.advance(Duration.ofMinutes(2));
        client.execute(ADD, Map.of("link", "https://meet.example/4"));
        assertThat(server.count("addToLiveMeeting")).isEqualTo(4);
    }

    @Test
    void aCallWaitingForTheCapIsSentWhenItFreesWithinTheBound() throws Exception {
        RateBudget budget = RateBudget.withDocumentedCaps("key-x", null, clock);
        FirefliesGraphQLClient client = client(budget, Duration.ofMinutes(30), 2);
        for (int i = 0; i < 3; i++) {
            client.execute(ADD, Map.of("link", "https://meet.example/" + i));
        }
        CompletableFuture<JsonNode> fourth = client.executeAsync(ADD, Map.of("link", "https://meet.example/4"));
        await().atMost(TIMEOUT).until(() -> budget.snapshot().waiting() == 1);
        clock.advance(Duration.ofMinutes(19));
        assertThat(fourth).isNotDone();
        assertThat(server.count("addToLiveMeeting")).isEqualTo(3);
        clock.advance(Duration.ofMinutes(1));
        assertThat(fourth.get(10, TimeUnit.SECONDS).path("addToLiveMeeting").path("success").asBoolean()).isTrue();
        assertThat(server.count("addToLiveMeeting")).isEqualTo(4);
    }

    @Test
    void a429IsSentAgainAfterTheServersRetryAfterABoundedNumberOfTimes() throws Exception {
        AtomicInteger refusals = new AtomicInteger(1);
        server.override(r -> refusals.getAndDecrement() > 0
                ? new GraphQLStubServer.Answer(429, Map.of("Retry-After", "30"), "{\"errors\":[{\"message\":\"slow down\"}]}")
                : null);
        RateBudget budget = RateBudget.withDocumentedCaps("key-x", null, clock);
        FirefliesGraphQLClient client = client(budget, Duration.ofMinutes(1), 2);

        CompletableFuture<JsonNode> call = client.executeAsync("{ transcripts { id } }", null);
        await().atMost(TIMEOUT).until(() -> budget.snapshot().waiting() == 1);
        assertThat(server.requests()).hasSize(1);
        assertThat(budget.snapshot().blockedForMillis()).isEqualTo(30_000);
        clock.advance(Duration.ofSeconds(29));
        assertThat(call).isNotDone();
        clock.advance(Duration.ofSeconds(1));
        call.get(10, TimeUnit.SECONDS);
        assertThat(server.requests()).hasSize(2);
        assertThat(budget.snapshot().rateLimited()).isEqualTo(1);

        // refused every time, also as GraphQL too_many_requests with retryAfter: two retries, then the server's error
        server.override(r -> new GraphQLStubServer.Answer(200, Map.of(),
                "{\"errors\":[{\"message\":\"Too many requests\",\"extensions\":{\"code\":\"too_many_requests\","
                                                                         + "\"retryAfter\":5}}]}"));
        CompletableFuture<JsonNode> failing = client.executeAsync("{ transcripts { id } }", null);
        for (int i = 0; i < 2; i++) {
            int seen = 3 + i;
            await().atMost(TIMEOUT).until(() -> server.requests().size() == seen && budget.snapshot().waiting() == 1);
            clock.advance(Duration.ofSeconds(5));
        }
        Throwable cause = catchThrowableOfType(() -> failing.get(10, TimeUnit.SECONDS),
                java.util.concurrent.ExecutionException.class).getCause();
        assertThat(cause).isInstanceOf(GraphQLException.RateLimitedException.class)
                .isNotInstanceOf(RateBudgetExceededException.class);
        assertThat(server.requests()).hasSize(5); // the first try and two retries
    }

    @Test
    void aRetryAfterLongerThanTheBoundIsNotWaitedFor() {
        server.override(r -> new GraphQLStubServer.Answer(429, Map.of("Retry-After", "3600"), "{}"));
        RateBudget budget = RateBudget.withDocumentedCaps("key-x", null, clock);
        FirefliesGraphQLClient client = client(budget, Duration.ofMinutes(1), 2);
        GraphQLException.RateLimitedException e = catchThrowableOfType(() -> client.execute("{ transcripts { id } }", null),
                GraphQLException.RateLimitedException.class);
        assertThat(e.getRetryAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(server.requests()).hasSize(1);
        // and the key waits: the next call is refused by the budget without reaching the server
        RateBudgetExceededException next = catchThrowableOfType(() -> client.execute("{ transcripts { id } }", null),
                RateBudgetExceededException.class);
        assertThat(next.getLimit()).isEqualTo("the server's Retry-After");
        assertThat(server.requests()).hasSize(1);
    }
}
