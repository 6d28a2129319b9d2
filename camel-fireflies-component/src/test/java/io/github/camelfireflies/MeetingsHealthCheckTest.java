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
import java.util.Optional;

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.testsupport.CapturingExceptionHandler;
import io.github.camelfireflies.testsupport.LogCapture;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The readiness check of fireflies:meetings, through Camel's consumers health repository, against the simulator. */
class MeetingsHealthCheckTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private FirefliesSimulator sim;
    private CamelContext context;
    private final CapturingExceptionHandler errors = new CapturingExceptionHandler();

    @BeforeEach
    void newContext() {
        context = new DefaultCamelContext();
        context.getRegistry().bind("capture", errors);
        // what Camel Main does by default: the repository that asks each route's consumer for its check
        assertThat(HealthCheckHelper.getHealthCheckRepository(context, "consumers")).isNotNull();
    }

    @AfterEach
    void tearDown() {
        context.stop();
        if (sim != null) {
            sim.close();
        }
    }

    private MeetingsConsumer start(String key, String options) throws Exception {
        String uri = "fireflies:meetings?url=" + sim.url() + "&graphqlUrl=" + sim.graphqlUrl() + "&apiKey=RAW(" + key
                     + ")&exceptionHandler=#capture" + options;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("discovery").to("mock:out");
            }
        });
        context.start();
        return (MeetingsConsumer) context.getRoute("discovery").getConsumer();
    }

    private Optional<HealthCheck.Result> readiness() {
        return HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("consumer:discovery")).findFirst();
    }

    private static String text(HealthCheck.Result r) {
        return r.getMessage().orElse("") + " " + r.getDetails() + " " + r.getError().map(Throwable::toString).orElse("");
    }

    @Test
    void upWhenTheLastPollSucceededWithTheMeetingsCountedAndNoKey() throws Exception {
        sim = FirefliesSimulator.builder().apiKey("sim-secret-key-1")
                .activeMeeting("h-1", "Health", "alice@example.com", Duration.ZERO, null)
                .start();
        start(sim.apiKey(), "&pollInterval=200");

        HealthCheck.Result r = await().atMost(WAIT).until(() -> readiness().orElse(null),
                x -> x != null && x.getState() == HealthCheck.State.UP
                     && Integer.valueOf(1).equals(x.getDetails().get("meetings.streaming")));
        assertThat(r.getCheck().isReadiness()).isTrue();
        assertThat(r.getCheck().isLiveness()).isFalse();
        assertThat(r.getDetails()).containsEntry("meetings.tracked", 1).containsEntry("polls.failed", 0L)
                .containsEntry("next.poll.delay.ms", 200L).containsEntry("route.id", "discovery")
                .doesNotContainKeys("last.poll.error", "final");
        assertThat((Long) r.getDetails().get("polls")).isPositive();
        assertThat(text(r)).doesNotContain(sim.apiKey());
    }

    @Test
    void downForGoodOn401WithoutTheKeyAndNoMorePolls() throws Exception {
        sim = FirefliesSimulator.builder().start();
        String key = "wrong-secret-key-" + System.nanoTime();
        MeetingsConsumer consumer = start(key, "&pollInterval=100");

        HealthCheck.Result r = await().atMost(WAIT).until(() -> readiness().orElse(null),
                x -> x != null && Boolean.TRUE.equals(x.getDetails().get("final")));
        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m)
                .contains("until the route is restarted").contains("HTTP 401"));
        assertThat(r.getDetails()).containsEntry("polls", 0L).containsEntry("polls.failed", 1L)
                .containsEntry("meetings.tracked", 0).containsKey("last.poll.error")
                .doesNotContainKey("next.poll.delay.ms");
        assertThat((String) r.getDetails().get("last.error")).contains("HTTP 401");
        assertThat((String) r.getDetails().get("reason")).contains("until the route is restarted");
        assertThat(r.getError()).hasValueSatisfying(e -> assertThat(e)
                .isInstanceOf(GraphQLException.AuthenticationException.class));
        assertThat(text(r)).doesNotContain(key);
        assertThat(consumer.isPollingStopped()).isTrue();
        assertThat(errors.errors()).singleElement().isInstanceOf(GraphQLException.AuthenticationException.class);
        assertThat(errors.allText()).doesNotContain(key);
        // with a 100 ms interval, ten more polls would have been made in a second: none is
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> sim.graphqlRequests() == 1);

        // a restart polls again (and fails again: the key is still wrong)
        context.getRouteController().stopRoute("discovery");
        context.getRouteController().startRoute("discovery");
        await().atMost(WAIT).until(() -> sim.graphqlRequests() == 2 && errors.errors().size() == 2);
    }

    @Test
    void a401IsOneWarnLineSayingWhatToDoWithoutAStackTrace() throws Exception {
        // with DEBUG on (the build's trace-level run, which -Dtest also selects) the consumer adds the stack trace
        assumeFalse(LoggerFactory.getLogger(MeetingsConsumer.class).isDebugEnabled(),
                "checks the log at the default level");
        sim = FirefliesSimulator.builder().start();
        String key = "wrong-secret-key-" + System.nanoTime();
        String uri = "fireflies:meetings?url=" + sim.url() + "&graphqlUrl=" + sim.graphqlUrl() + "&apiKey=RAW(" + key
                     + ")&pollInterval=100";
        try (LogCapture log = LogCapture.start()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("discovery").to("mock:out");
                }
            });
            context.start();
            MeetingsConsumer consumer = (MeetingsConsumer) context.getRoute("discovery").getConsumer();
            await().atMost(WAIT).until(consumer::isPollingStopped);
            await().atMost(WAIT).until(() -> !log.linesContaining("HTTP 401").isEmpty());
            context.stop();
            assertThat(log.linesContaining("HTTP 401").stream().filter(l -> l.matches("^\\d\\d:\\d\\d.*")))
                    .as(log.text()).singleElement().satisfies(l -> assertThat(l)
                            .contains(" WARN ", "Polling the meetings in progress failed", "Set a valid apiKey",
                                    "restart the route"));
            assertThat(log.stackTraceLines()).as(log.text()).isEmpty();
            assertThat(log.text()).doesNotContain(key);
        }
    }

    @Test
    void downWhileRateLimitedWithTheNextPollDelay() throws Exception {
        sim = FirefliesSimulator.builder().activeMeeting("h-2", "Busy", "bob@example.com", Duration.ZERO, null).start();
        sim.rateLimitGraphQL(1, 30);
        // budgetRetries=0: the poll fails with the 429 (by default the client waits the 30 s and sends it again)
        start(sim.apiKey(), "&pollInterval=100&budgetRetries=0");

        HealthCheck.Result r = await().atMost(WAIT).until(() -> readiness().orElse(null),
                x -> x != null && x.getDetails().containsKey("last.poll.error"));
        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("429")
                .contains("next poll in 30000 ms"));
        assertThat(r.getDetails()).containsEntry("next.poll.delay.ms", 30000L).doesNotContainKey("final");
        assertThat((String) r.getDetails().get("last.error")).contains("429");
        assertThat(r.getError()).hasValueSatisfying(e -> assertThat(e)
                .isInstanceOf(GraphQLException.RateLimitedException.class));
        assertThat(text(r)).doesNotContain(sim.apiKey());
    }

    @Test
    void healthCheckConsumerEnabledFalseTurnsTheCheckOff() throws Exception {
        sim = FirefliesSimulator.builder().activeMeeting("h-3", "Off", "carol@example.com", Duration.ZERO, null).start();
        context.getComponent("fireflies", FirefliesComponent.class).setHealthCheckConsumerEnabled(false);
        MeetingsConsumer consumer = start(sim.apiKey(), "&pollInterval=200");
        await().atMost(WAIT).until(() -> sim.subscribers("h-3") == 1);
        assertThat(consumer.getHealthCheck()).isNull();
        // only Camel's own route check remains, without the consumer's details
        assertThat(readiness()).hasValueSatisfying(r -> assertThat(r.getDetails()).doesNotContainKeys("polls",
                "meetings.tracked"));
    }
}
