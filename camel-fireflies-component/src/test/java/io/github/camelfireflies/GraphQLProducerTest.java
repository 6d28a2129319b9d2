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

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** to("fireflies:graphql") against the simulator. */
class GraphQLProducerTest {

    private FirefliesSimulator sim;
    private CamelContext context;
    private ProducerTemplate template;

    @BeforeEach
    void setUp() {
        sim = FirefliesSimulator.builder()
                .activeMeeting("g-1", "Planning", "erin@example.com", Duration.ZERO, null)
                .activeMeeting("g-2", "Later", "erin@example.com", Duration.ofHours(1), null)
                .start();
        context = new DefaultCamelContext();
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private String uri(String options) {
        return "fireflies:graphql?graphqlUrl=" + sim.graphqlUrl() + "&apiKey=RAW(" + sim.apiKey() + ")" + options;
    }

    @Test
    @SuppressWarnings("unchecked")
    void runsTheQueryInTheBody() {
        Map<String, Object> data = template.requestBody(uri(""),
                "query ActiveMeetings { active_meetings { id title } }", Map.class);
        List<Map<String, Object>> meetings = (List<Map<String, Object>>) data.get("active_meetings");
        assertThat(meetings).extracting(m -> m.get("id")).containsExactly("g-1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void passesVariablesFromTheHeader() {
        Map<String, Object> data = template.requestBodyAndHeader(uri(""),
                "query T($id: String!) { transcript(id: $id) { id title } }",
                FirefliesConstants.GRAPHQL_VARIABLES, "{\"id\":\"g-1\"}", Map.class);
        assertThat((Map<String, Object>) data.get("transcript")).containsEntry("title", "Planning");
    }

    @Test
    @SuppressWarnings("unchecked")
    void typedOperations() {
        List<Map<String, Object>> meetings = template.requestBody(uri("&operation=activeMeetings"), null, List.class);
        assertThat(meetings).singleElement().satisfies(m -> {
            assertThat(m).containsEntry("id", "g-1").containsEntry("organizer_email", "erin@example.com")
                    .containsEntry("state", "active");
        });
        assertThat(template.requestBodyAndHeader(uri("&operation=activeMeetings"), null, FirefliesConstants.EMAIL,
                "nobody@example.com", List.class)).isEmpty();

        sim.emitTranscription("g-1", "c1", "Erin", "First draft", 0, 1);
        sim.emitTranscription("g-1", "c1", "Erin", "First draft of the plan", 0, 1.5);
        sim.emitTranscription("g-1", "c2", "Frank", "Agreed", 1.5, 2);
        Map<String, Object> transcript = template.requestBodyAndHeader(uri("&operation=transcript"), null,
                FirefliesConstants.TRANSCRIPT_ID, "g-1", Map.class);
        assertThat((List<Map<String, Object>>) transcript.get("sentences")).extracting(s -> s.get("text"))
                .containsExactly("First draft of the plan", "Agreed");
    }

    private Throwable failure(String uri, Object body) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> template.requestBody(uri, body));
        assertThat(t).isInstanceOf(CamelExecutionException.class);
        return t.getCause();
    }

    @Test
    void errorsAreClearExceptionsWithoutTheKey() {
        Throwable auth = failure("fireflies:graphql?graphqlUrl=" + sim.graphqlUrl() + "&apiKey=RAW(not-the-right-key)",
                "query { active_meetings { id } }");
        assertThat(auth).isInstanceOf(GraphQLException.AuthenticationException.class).hasMessageContaining("401")
                .hasMessageNotContaining("not-the-right-key");

        sim.rateLimitGraphQL(1, 7);
        // budgetRetries=0: the 429 itself (by default the client sends the call again after the Retry-After)
        Throwable limited = failure(uri("&budgetRetries=0"), "query { active_meetings { id } }");
        assertThat(limited).isInstanceOf(GraphQLException.RateLimitedException.class).hasMessageContaining("429");
        assertThat(((GraphQLException.RateLimitedException) limited).getRetryAfter()).isEqualTo(Duration.ofSeconds(7));

        Throwable invalid = failure(uri(""), "query { users { id } }");
        assertThat(invalid).isExactlyInstanceOf(GraphQLException.class).hasMessageContaining("GRAPHQL_VALIDATION_FAILED");
        assertThat(((GraphQLException) invalid).getCode()).isEqualTo("GRAPHQL_VALIDATION_FAILED");

        Throwable unknown = failure(uri("&operation=transcript&transcriptId=nope"), null);
        assertThat(unknown).isInstanceOf(GraphQLException.class).hasMessageContaining("Transcript not found");
        for (Throwable t : List.of(auth, limited, invalid, unknown)) {
            assertThat(t.getMessage()).doesNotContain(sim.apiKey());
        }
    }

    @Test
    void eachTypeRefusesTheWrongDirection() throws Exception {
        assertThatThrownBy(() -> context.getEndpoint(uri("")).createConsumer((Processor) e -> {
        })).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("only be used as a producer");
        assertThatThrownBy(() -> context.getEndpoint("fireflies:meetings?apiKey=k").createProducer())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("only be used as a consumer");
        assertThatThrownBy(() -> context.getEndpoint("fireflies:bogus?apiKey=k"))
                // the component may offer more types (the webhook ones): the first three are these
                .hasStackTraceContaining("valid types are [live, meetings, graphql");
        assertThatThrownBy(() -> context.getEndpoint("fireflies:graphql?apiKey=k&graphqlUrl=http://example.com/graphql"))
                .hasStackTraceContaining("Refusing the plain http:// graphqlUrl");
    }
}
