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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the Fireflies schema (17 queries, 18 mutations: all that the introspected schema has), one case
 * each: a valid document selecting every field of the answer (objects three levels deep) gets HTTP 200, no error, and
 * an answer of the schema's shape, not empty. The lists that the simulator fills from what was done before (bites,
 * threads, live action items) are made non-empty by the set-up, through the API itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphQLOperationsTest {

    /** The arguments of each operation's document, in the order the cases run (queries, then mutations). */
    private static final Map<String, String> ARGS = new LinkedHashMap<>();

    static {
        ARGS.put("apps", "(transcript_id: \"op-live\")");
        ARGS.put("transcripts", "(limit: 10)");
        ARGS.put("transcript", "(id: \"op-live\")");
        ARGS.put("active_meetings", "(input: { states: [active, paused] })");
        ARGS.put("users", "");
        ARGS.put("user", "(id: \"sim-user\")");
        ARGS.put("user_groups", "(mine: true)");
        ARGS.put("analytics", "(start_time: \"2026-01-01T00:00:00Z\", end_time: \"2026-02-01T00:00:00Z\")");
        ARGS.put("channels", "");
        ARGS.put("channel", "(id: \"sim-channel-1\")");
        ARGS.put("contacts", "");
        ARGS.put("bites", "(transcript_id: \"op-live\", limit: 5)");
        ARGS.put("bite", "(id: \"bite-1\")");
        ARGS.put("askfred_threads", "(transcript_id: \"op-live\")");
        ARGS.put("askfred_thread", "(id: \"thread-1\")");
        ARGS.put("live_action_items", "(meeting_id: \"op-live\")");
        ARGS.put("rule_executions_by_meeting", "(limit: 5)");
        ARGS.put("updateMeetingTitle", "(input: { id: \"op-live\", title: \"Renamed\" })");
        ARGS.put("updateMeetingPrivacy", "(input: { id: \"op-live\", privacy: participants })");
        ARGS.put("updateMeetingChannel", "(input: { transcript_ids: [\"op-live\"], channel_id: \"sim-channel-1\" })");
        ARGS.put("deleteTranscript", "(id: \"op-delete\")");
        ARGS.put("addToLiveMeeting",
                "(meeting_link: \"https://meet.example.invalid/abc\", title: \"Added\", duration: 30)");
        ARGS.put("uploadAudio", "(input: { url: \"https://files.example.invalid/a.mp3\", title: \"Audio\" })");
        ARGS.put("shareMeeting", "(input: { meeting_id: \"op-live\", emails: [\"x@example.com\"], expiry_days: 7 })");
        ARGS.put("revokeSharedMeetingAccess", "(input: { meeting_id: \"op-live\", email: \"y@example.com\" })");
        ARGS.put("setUserRole", "(user_id: \"sim-teammate\", role: admin)");
        ARGS.put("createBite", "(transcript_Id: \"op-live\", name: \"Bite\", start_time: 1.0, end_time: 5.0)");
        ARGS.put("continueAskFredThread", "(input: { thread_id: \"thread-1\", query: \"And then?\" })");
        ARGS.put("createAskFredThread", "(input: { query: \"What happened?\", transcript_id: \"op-live\" })");
        ARGS.put("deleteAskFredThread", "(id: \"thread-2\")");
        ARGS.put("updateMeetingState", "(input: { meeting_id: \"op-live\", action: pause_recording })");
        ARGS.put("createLiveActionItem", "(input: { meeting_id: \"op-live\", prompt: \"Send the notes\" })");
        ARGS.put("createLiveSoundbite", "(input: { meeting_id: \"op-live\", prompt: \"The demo\" })");
        ARGS.put("createUploadUrl", "(input: { content_type: \"audio/mpeg\", file_size: 1024, title: \"Upload\" })");
        ARGS.put("confirmUpload", "(input: { meeting_id: \"upload-1\" })");
    }

    private FirefliesSimulator sim;

    @BeforeAll
    void startAndPrepare() {
        sim = FirefliesSimulator.builder()
                .activeMeeting("op-live", "Operations review", "erin@example.com", Duration.ZERO, null)
                .activeMeeting("op-delete", "To delete", "erin@example.com", Duration.ZERO, null)
                .start();
        // what the list queries list, made through the API: bite-1, thread-1 and thread-2, an action item, a share
        ok("mutation { createBite(transcript_Id: \"op-live\", start_time: 0, end_time: 2) { id } }");
        ok("mutation { createAskFredThread(input: { query: \"Summary?\", transcript_id: \"op-live\" }) { cost } }");
        ok("mutation { createAskFredThread(input: { query: \"Who?\", transcript_id: \"op-live\" }) { cost } }");
        ok("mutation { createLiveActionItem(input: { meeting_id: \"op-live\", prompt: \"Book a room\" }) {"
           + " success } }");
        ok("mutation { shareMeeting(input: { meeting_id: \"op-live\", emails: [\"y@example.com\"] }) { success } }");
        // upload-1: announced, and its bytes PUT to the upload URL
        JsonNode url = ok("mutation { createUploadUrl(input: { content_type: \"audio/mpeg\", file_size: 3 }) {"
                          + " upload_url meeting_id } }").path("createUploadUrl");
        assertThat(url.path("meeting_id").asText()).isEqualTo("upload-1");
        assertThat(GraphQLHttp.put(url.path("upload_url").asText(), new byte[] { 1, 2, 3 })).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private JsonNode ok(String document) {
        GraphQLHttp.Response r = GraphQLHttp.query(sim, document, Map.of());
        assertThat(r.json().path("errors").isMissingNode()).as("%s: %s", document, r.json()).isTrue();
        assertThat(r.status()).isEqualTo(200);
        return r.json().path("data");
    }

    Stream<Arguments> operations() {
        List<Arguments> cases = new ArrayList<>();
        ARGS.forEach((name, args) -> cases.add(Arguments.of(name, SchemaDocuments.document(name, args, 3))));
        return cases.stream();
    }

    @Test
    void theCasesCoverEveryOperationOfTheSchema() {
        // the schema the simulator serves: 35 operations (the API's newer auditEvents and user-group mutations are not
        // in the introspection it was copied from)
        assertThat(SchemaDocuments.queries()).hasSize(17);
        assertThat(SchemaDocuments.mutations()).hasSize(18);
        List<String> all = new ArrayList<>(SchemaDocuments.queries());
        all.addAll(SchemaDocuments.mutations());
        assertThat(ARGS.keySet()).containsExactlyInAnyOrderElementsOf(all);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void everyOperationIsAnsweredWithValuesOfTheSchemasShape(String operation, String document) {
        JsonNode answer = ok(document).path(operation);

        assertThat(answer.isMissingNode() || answer.isNull()).as("%s answered", operation).isFalse();
        if (answer.isArray()) {
            assertThat(answer).as("%s lists something", operation).isNotEmpty();
        } else {
            assertThat(answer.isObject()).isTrue();
            assertThat(answer.size()).as("%s has fields", operation).isPositive();
        }
        SchemaDocuments.assertShape(answer, SchemaDocuments.operation(operation).getType(), operation);
    }

    @Test
    void madeUpValuesAreTheSameOnEveryCall() {
        String document = SchemaDocuments.document("analytics", "", 3);
        assertThat(ok(document)).isEqualTo(ok(document));
    }
}
