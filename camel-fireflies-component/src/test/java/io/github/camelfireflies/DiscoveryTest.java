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
import java.util.stream.Collectors;

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.testsupport.CapturingExceptionHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** fireflies:meetings against the simulator's GraphQL endpoint and its live meetings. */
class DiscoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private FirefliesSimulator sim;
    private CamelContext context;
    private final CapturingExceptionHandler errors = new CapturingExceptionHandler();

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private MeetingsConsumer startRoute(String options) throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind("capture", errors);
        String uri = "fireflies:meetings?url=" + sim.url() + "&graphqlUrl=" + sim.graphqlUrl() + "&apiKey=RAW("
                     + sim.apiKey() + ")&exceptionHandler=#capture" + options;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("discovery").to("mock:out");
            }
        });
        context.start();
        return (MeetingsConsumer) context.getRoute("discovery").getConsumer();
    }

    private List<Exchange> received() {
        return context.getEndpoint("mock:out", MockEndpoint.class).getReceivedExchanges();
    }

    private List<String> eventsOf(String meetingId) {
        return received().stream()
                .filter(e -> meetingId.equals(e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID)))
                .map(e -> e.getMessage().getHeader(FirefliesConstants.EVENT, String.class))
                .collect(Collectors.toList());
    }

    @Test
    void followsMeetingsAsTheyComeAndGoWithHeadersNamingThem() throws Exception {
        sim = FirefliesSimulator.builder()
                .activeMeeting("m-1", "Weekly sync", "alice@example.com", Duration.ZERO, null)
                .start();
        MeetingsConsumer consumer = startRoute("&pollInterval=200&events=*");

        await().atMost(WAIT).until(() -> sim.subscribers("m-1") == 1);
        await().atMost(WAIT).until(() -> eventsOf("m-1").contains("connection.established"));
        sim.emitTranscription("m-1", "c1", "Alice", "Hello", 0, 1.2);

        sim.startMeeting("m-2", "Design review", "bob@example.com");
        await().atMost(WAIT).until(() -> sim.subscribers("m-2") == 1);
        await().atMost(WAIT).until(() -> eventsOf("m-2").contains("connection.established"));
        sim.emitTranscription("m-2", "d1", "Bob", "Hi", 0, 0.8);
        assertThat(consumer.streamingMeetingIds()).containsExactly("m-1", "m-2");

        sim.endMeeting("m-1");
        await().atMost(WAIT).until(() -> eventsOf("m-1").contains("meeting.ended"));
        await().atMost(WAIT).until(() -> !consumer.streamingMeetingIds().contains("m-1"));
        await().atMost(WAIT).until(() -> eventsOf("m-2").contains("transcription.broadcast"));
        assertThat(sim.subscribers("m-1")).isZero();
        assertThat(sim.subscribers("m-2")).isEqualTo(1);

        List<String> m1 = eventsOf("m-1");
        assertThat(m1).startsWith("meeting.started").endsWith("meeting.ended")
                .contains("auth.success", "connection.established", "transcription.broadcast");
        assertThat(eventsOf("m-2")).startsWith("meeting.started").doesNotContain("meeting.ended");

        Exchange caption = received().stream()
                .filter(e -> "transcription.broadcast".equals(e.getMessage().getHeader(FirefliesConstants.EVENT))
                             && "m-1".equals(e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID)))
                .findFirst().orElseThrow();
        assertThat(caption.getMessage().getHeader(FirefliesConstants.MEETING_TITLE)).isEqualTo("Weekly sync");
        assertThat(caption.getMessage().getHeader(FirefliesConstants.ORGANIZER_EMAIL)).isEqualTo("alice@example.com");
        assertThat(caption.getMessage().getHeader(FirefliesConstants.MEETING_STATE)).isEqualTo("active");
        assertThat(caption.getMessage().getBody(TranscriptionEvent.class).text()).isEqualTo("Hello");

        Exchange started = received().stream()
                .filter(e -> "meeting.started".equals(e.getMessage().getHeader(FirefliesConstants.EVENT))
                             && "m-2".equals(e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID)))
                .findFirst().orElseThrow();
        assertThat(started.getMessage().getHeader(FirefliesConstants.MEETING_TITLE)).isEqualTo("Design review");
        assertThat(started.getMessage().getBody(java.util.Map.class)).containsEntry("organizer_email", "bob@example.com");
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void onlyTranscriptionsByDefaultAndScheduledMeetingsEndOnTheirOwn() throws Exception {
        sim = FirefliesSimulator.builder()
                .activeMeeting("s-1", "Stand-up", "carol@example.com", Duration.ZERO, Duration.ofSeconds(3))
                .start();
        MeetingsConsumer consumer = startRoute("&pollInterval=200");
        await().atMost(WAIT).until(() -> sim.subscribers("s-1") == 1);
        await().atMost(WAIT).until(() -> sim.emitTranscription("s-1", "c1", "Carol", "Morning", 0, 1) == 1
                                          && !received().isEmpty());
        await().atMost(WAIT).until(() -> consumer.streamingMeetingIds().isEmpty());
        assertThat(received()).allSatisfy(e -> assertThat(e.getMessage().getHeader(FirefliesConstants.EVENT))
                .isEqualTo("transcription.broadcast"));
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void backsOffWhileRateLimitedAndRecovers() throws Exception {
        sim = FirefliesSimulator.builder()
                .activeMeeting("r-1", "Rate limited", "dave@example.com", Duration.ZERO, null)
                .start();
        sim.rateLimitGraphQL(2, 2);
        // budgetRetries=0: the consumer sees each 429 itself (by default the client sends it again after Retry-After)
        MeetingsConsumer consumer = startRoute("&pollInterval=100&budgetRetries=0");

        await().atMost(WAIT).until(() -> !errors.errors().isEmpty());
        assertThat(errors.errors().get(0)).isInstanceOf(GraphQLException.RateLimitedException.class)
                .hasMessageContaining("429");
        assertThat(((GraphQLException.RateLimitedException) errors.errors().get(0)).getRetryAfter())
                .isEqualTo(Duration.ofSeconds(2));
        // the server's Retry-After, not the 100 ms poll interval
        assertThat(consumer.getNextPollDelay()).isEqualTo(2000);
        assertThat(sim.graphqlRequests()).isEqualTo(1);

        await().atMost(WAIT).until(() -> sim.subscribers("r-1") == 1);
        assertThat(errors.errors()).hasSize(2);
        assertThat(errors.allText()).doesNotContain(sim.apiKey());
        // two 429s at least 2 s apart each, then one successful poll: far fewer calls than one per 100 ms
        assertThat(sim.graphqlRequests()).isBetween(3, 8);
    }

    @Test
    void aRejectedKeyIsReportedWithoutTheKey() throws Exception {
        sim = FirefliesSimulator.builder().start();
        context = new DefaultCamelContext();
        context.getRegistry().bind("capture", errors);
        String uri = "fireflies:meetings?url=" + sim.url() + "&graphqlUrl=" + sim.graphqlUrl()
                     + "&apiKey=RAW(wrong-secret-key)&exceptionHandler=#capture&pollInterval=100";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:out");
            }
        });
        context.start();
        await().atMost(WAIT).until(() -> !errors.errors().isEmpty());
        assertThat(errors.errors().get(0)).isInstanceOf(GraphQLException.AuthenticationException.class)
                .hasMessageContaining("401");
        assertThat(errors.allText()).doesNotContain("wrong-secret-key");
    }
}
