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
package io.github.camelfireflies.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the GraphQL mutations change (meetings started, paused, action items, deleted and renamed transcripts, uploads,
 * AskFred), the per-operation caps (429 with Retry-After, on a clock the test moves), and graphql-java's validation.
 */
class GraphQLMutationsTest {

    private static final String ADD = "mutation Add($link: String!) { addToLiveMeeting(meeting_link: $link) {"
                                      + " success message } }";

    private final List<FirefliesSimulator> sims = new ArrayList<>();

    @AfterEach
    void tearDown() {
        sims.forEach(FirefliesSimulator::close);
    }

    private FirefliesSimulator start(FirefliesSimulator.Builder b) {
        FirefliesSimulator sim = b.start();
        sims.add(sim);
        return sim;
    }

    private static GraphQLHttp.Response add(FirefliesSimulator sim, int n) {
        return GraphQLHttp.query(sim, ADD, Map.of("link", "https://meet.example.invalid/m" + n));
    }

    private static JsonNode firstError(GraphQLHttp.Response r) {
        return r.json().path("errors").path(0);
    }

    @Test
    void theFourthAddToLiveMeetingWithinTwentyMinutesIsRefusedWithRetryAfter() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder());
        for (int i = 1; i <= 3; i++) {
            assertThat(add(sim, i).status()).isEqualTo(200);
        }
        assertThat(sim.graphql().remainingCalls("addToLiveMeeting")).isZero();

        sim.graphql().advanceClock(Duration.ofMinutes(5));
        GraphQLHttp.Response fourth = add(sim, 4);

        assertThat(fourth.status()).isEqualTo(429);
        // the oldest of the three leaves the 20-minute window 15 minutes from now
        long retryAfter = Long.parseLong(fourth.raw().headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(14 * 60L, 15 * 60L);
        assertThat(fourth.raw().headers().firstValue("X-RateLimit-Limit")).hasValue("3");
        assertThat(firstError(fourth).path("extensions").path("code").asText()).isEqualTo("too_many_requests");
        assertThat(firstError(fourth).path("code").asText()).isEqualTo("too_many_requests");
        long retryAt = firstError(fourth).path("extensions").path("metadata").path("retryAfter").asLong();
        assertThat(Instant.ofEpochMilli(retryAt)).isAfter(sim.graphql().now().plus(Duration.ofMinutes(14)));
        assertThat(fourth.json().path("data").isMissingNode()).isTrue();
        // a refused call starts nothing, and other operations are not capped by it
        assertThat(sim.activeMeetings()).hasSize(3);
        assertThat(GraphQLHttp.query(sim, "{ active_meetings { id } }", Map.of()).status()).isEqualTo(200);

        // twenty minutes after the first three, three more
        sim.graphql().advanceClock(Duration.ofMinutes(15));
        for (int i = 5; i <= 7; i++) {
            assertThat(add(sim, i).status()).isEqualTo(200);
        }
        assertThat(add(sim, 8).status()).isEqualTo(429);
        sim.graphql().resetCaps();
        assertThat(add(sim, 9).status()).isEqualTo(200);
        assertThat(sim.graphqlRequests("addToLiveMeeting")).isEqualTo(9);
    }

    @Test
    void capsAreSetPerOperationInTheBuilder() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .activeMeeting("m", "Weekly", "erin@example.com", Duration.ZERO, null)
                .graphqlCap("createLiveActionItem", 1, Duration.ofMinutes(1)));
        String item = "mutation { createLiveActionItem(input: { meeting_id: \"m\", prompt: \"x\" }) { success } }";
        assertThat(GraphQLHttp.query(sim, item, Map.of()).status()).isEqualTo(200);
        GraphQLHttp.Response refused = GraphQLHttp.query(sim, item, Map.of());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("60");

        FirefliesSimulator uncapped = start(FirefliesSimulator.builder().noGraphqlCaps());
        for (int i = 1; i <= 5; i++) {
            assertThat(add(uncapped, i).status()).isEqualTo(200);
        }
        assertThat(uncapped.graphql().caps()).isEmpty();
    }

    @Test
    void aDocumentThatDoesNotValidateGetsGraphqlJavasMessage() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder());
        GraphQLHttp.Response r = GraphQLHttp.query(sim, "{ transcript(id: \"x\") { id no_such_field } }", Map.of());

        assertThat(r.status()).isEqualTo(400);
        JsonNode e = firstError(r);
        assertThat(e.path("message").asText()).contains("Validation error").contains("no_such_field");
        assertThat(e.path("extensions").path("code").asText()).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        assertThat(e.path("locations").path(0).path("line").asInt()).isEqualTo(1);

        GraphQLHttp.Response missingArg = GraphQLHttp.query(sim, "mutation { addToLiveMeeting { success } }", Map.of());
        assertThat(missingArg.status()).isEqualTo(400);
        assertThat(firstError(missingArg).path("message").asText()).contains("meeting_link");

        GraphQLHttp.Response syntax = GraphQLHttp.query(sim, "{ transcript(id: ", Map.of());
        assertThat(syntax.status()).isEqualTo(400);
        assertThat(firstError(syntax).path("extensions").path("code").asText()).isEqualTo("GRAPHQL_PARSE_FAILED");
        GraphQLHttp.Response noVariable = GraphQLHttp.query(sim, "query($id: String!) { transcript(id: $id) { id } }",
                Map.of());
        assertThat(noVariable.status()).isEqualTo(400);
        assertThat(firstError(noVariable).path("message").asText()).contains("id");
        assertThat(firstError(noVariable).path("extensions").path("code").asText()).isEqualTo("BAD_USER_INPUT");
        // an invalid document spends no capped call
        assertThat(sim.graphql().remainingCalls("addToLiveMeeting")).isEqualTo(3);
    }

    @Test
    void addToLiveMeetingStartsAMeetingThatUpdateMeetingStatePausesAndResumes() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder());
        GraphQLHttp.Response added = GraphQLHttp.query(sim, "mutation { addToLiveMeeting(meeting_link:"
                + " \"https://meet.example.invalid/x\", title: \"Standup\") { success message } }", Map.of());
        assertThat(added.json().path("data").path("addToLiveMeeting").path("success").asBoolean()).isTrue();
        JsonNode meetings = GraphQLHttp.query(sim, "{ active_meetings { id title state } }", Map.of())
                .json().path("data").path("active_meetings");
        assertThat(meetings).hasSize(1);
        assertThat(meetings.get(0).path("title").asText()).isEqualTo("Standup");
        String id = meetings.get(0).path("id").asText();

        String pause = "mutation($id: ID!, $a: MeetingStateAction!) { updateMeetingState(input: { meeting_id: $id,"
                       + " action: $a }) { success action } }";
        JsonNode paused = GraphQLHttp.query(sim, pause, Map.of("id", id, "a", "pause_recording")).json();
        assertThat(paused.path("data").path("updateMeetingState").path("action").asText()).isEqualTo("pause_recording");
        assertThat(sim.activeMeetings()).singleElement().extracting(FirefliesSimulator.ScheduledMeeting::state)
                .isEqualTo("paused");
        assertThat(GraphQLHttp.query(sim, "{ active_meetings(input: { states: [active] }) { id } }", Map.of())
                .json().path("data").path("active_meetings")).isEmpty();
        GraphQLHttp.query(sim, pause, Map.of("id", id, "a", "resume_recording"));
        assertThat(sim.activeMeetings()).singleElement().extracting(FirefliesSimulator.ScheduledMeeting::state)
                .isEqualTo("active");

        GraphQLHttp.Response unknown = GraphQLHttp.query(sim, pause, Map.of("id", "nope", "a", "pause_recording"));
        assertThat(firstError(unknown).path("extensions").path("code").asText()).isEqualTo("object_not_found");
    }

    @Test
    void liveActionItemsListWhatCreateLiveActionItemRecorded() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .activeMeeting("m", "Weekly", "erin@example.com", Duration.ZERO, null));
        String create = "mutation($p: String!) { createLiveActionItem(input: { meeting_id: \"m\", prompt: $p }) {"
                        + " success } }";
        GraphQLHttp.query(sim, create, Map.of("p", "Send the notes"));
        GraphQLHttp.query(sim, create, Map.of("p", "Book the room"));

        JsonNode items = GraphQLHttp.query(sim, "{ live_action_items(meeting_id: \"m\") { name action_item } }",
                Map.of()).json().path("data").path("live_action_items");
        assertThat(items).extracting(i -> i.path("action_item").asText())
                .containsExactly("Send the notes", "Book the room");
        assertThat(sim.graphql().liveActionItems("m")).containsExactly("Send the notes", "Book the room");
        assertThat(sim.graphql().remainingCalls("createLiveActionItem")).isEqualTo(8);
    }

    @Test
    void deletedAndRenamedTranscriptsAreSeenByTheQueries() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .activeMeeting("a", "Alpha", "erin@example.com", Duration.ZERO, Duration.ofMillis(1))
                .activeMeeting("b", "Beta", "erin@example.com", Duration.ZERO, Duration.ofMillis(1)));
        GraphQLHttp.query(sim, "mutation { updateMeetingTitle(input: { id: \"a\", title: \"Alpha 2\" }) { title } }",
                Map.of());
        JsonNode deleted = GraphQLHttp.query(sim, "mutation { deleteTranscript(id: \"b\") { id title } }", Map.of())
                .json().path("data").path("deleteTranscript");
        assertThat(deleted.path("title").asText()).isEqualTo("Beta");

        JsonNode list = GraphQLHttp.query(sim, "{ transcripts { id title } }", Map.of()).json().path("data")
                .path("transcripts");
        assertThat(list).extracting(t -> t.path("title").asText()).containsExactly("Alpha 2");
        GraphQLHttp.Response gone = GraphQLHttp.transcript(sim, "b");
        assertThat(gone.status()).isEqualTo(200);
        assertThat(gone.transcript().isNull()).isTrue();
        assertThat(firstError(gone).path("extensions").path("code").asText()).isEqualTo("object_not_found");
        assertThat(sim.graphql().isDeleted("b")).isTrue();
    }

    @Test
    void anUploadUrlTakesTheBytesAndConfirmUploadThenSucceeds() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder());
        JsonNode url = GraphQLHttp.query(sim, "mutation { createUploadUrl(input: { content_type: \"audio/mpeg\","
                + " file_size: 5, title: \"Interview\" }) { upload_url meeting_id expires_at } }", Map.of())
                .json().path("data").path("createUploadUrl");
        String id = url.path("meeting_id").asText();
        String confirm = "mutation($id: String!) { confirmUpload(input: { meeting_id: $id }) { success message } }";
        assertThat(GraphQLHttp.query(sim, confirm, Map.of("id", id)).json().path("data").path("confirmUpload")
                .path("success").asBoolean()).isFalse();

        assertThat(url.path("upload_url").asText()).startsWith("http://127.0.0.1:" + sim.port() + "/upload/");
        assertThat(GraphQLHttp.put(url.path("upload_url").asText() + "x", new byte[5])).isEqualTo(403);
        assertThat(GraphQLHttp.put(url.path("upload_url").asText(), new byte[5])).isEqualTo(200);
        assertThat(sim.graphql().uploadedBytes(id)).isEqualTo(5);

        assertThat(GraphQLHttp.query(sim, confirm, Map.of("id", id)).json().path("data").path("confirmUpload")
                .path("success").asBoolean()).isTrue();
        JsonNode list = GraphQLHttp.query(sim, "{ transcripts { id title } }", Map.of()).json().path("data")
                .path("transcripts");
        assertThat(list).extracting(t -> t.path("title").asText()).containsExactly("Interview");
    }

    @Test
    void askFredAnswersFromWhatTheMeetingSaid() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .activeMeeting("m", "Planning", "erin@example.com", Duration.ZERO, null));
        sim.emitTranscription("m", "c1", "Alice", "Let us ship on Friday", 0, 2);
        JsonNode created = GraphQLHttp.query(sim, "mutation { createAskFredThread(input: { query: \"When?\","
                + " transcript_id: \"m\" }) { message { thread_id answer status } } }", Map.of())
                .json().path("data").path("createAskFredThread").path("message");
        assertThat(created.path("answer").asText()).contains("Planning").contains("Alice").contains("ship on Friday");
        assertThat(created.path("status").asText()).isEqualTo("completed");

        String thread = created.path("thread_id").asText();
        GraphQLHttp.query(sim, "mutation($t: String!) { continueAskFredThread(input: { thread_id: $t, query:"
                + " \"Who?\" }) { message { id } } }", Map.of("t", thread));
        JsonNode messages = GraphQLHttp.query(sim,
                "query($t: String!) { askfred_thread(id: $t) { messages { query } } }", Map.of("t", thread)).json().path("data").path("askfred_thread").path("messages");
        assertThat(messages).extracting(m -> m.path("query").asText()).containsExactly("When?", "Who?");
    }
}
