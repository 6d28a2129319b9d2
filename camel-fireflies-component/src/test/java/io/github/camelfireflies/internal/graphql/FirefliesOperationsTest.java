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
package io.github.camelfireflies.internal.graphql;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.github.camelfireflies.api.graphql.Bite;
import io.github.camelfireflies.api.graphql.ConfirmUploadResponse;
import io.github.camelfireflies.api.graphql.GraphQLObject;
import io.github.camelfireflies.api.graphql.RuleExecutionsByMeetingResponse;
import io.github.camelfireflies.api.graphql.Transcript;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.testsupport.GraphQLSchemaServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every operation against a GraphQL server on 127.0.0.1 that validates and executes each request against the API's
 * schema: the document and variables sent are valid, the answer reads as the typed records; bad arguments fail before
 * any request; paging and the upload.
 */
class FirefliesOperationsTest {

    private static final String KEY = "sk-ops-test-key-0123456789";

    private GraphQLSchemaServer server;
    private GraphQLTransport transport;
    private FirefliesOperations ops;

    @BeforeEach
    void start() throws IOException {
        server = new GraphQLSchemaServer();
        transport = new GraphQLTransport(URI.create(server.url()), ApiKey.of(KEY), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        ops = new FirefliesOperations(transport);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Stream<Arguments> everyOperation() {
        List<Arguments> cases = new ArrayList<>();
        for (OperationSpec op : Catalogue.operations()) {
            cases.add(Arguments.of(op.name(), true));
            cases.add(Arguments.of(op.name(), false));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, every argument: {1}")
    @MethodSource("everyOperation")
    void everyOperationSendsAValidDocumentAndReadsTheTypedResult(String name, boolean all) throws Exception {
        OperationSpec op = Catalogue.operation(name);
        Map<String, Object> args = SampleArguments.of(name, all);
        Object result = ops.call(name, args, null);

        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.errors()).as(r.query()).isEmpty();
            assertThat(r.query()).startsWith(op.kind().keyword() + " " + name).contains(op.defaultSelection());
            assertThat(r.variables()).isEqualTo(args);
            assertThat(r.authorization()).isEqualTo("Bearer " + KEY);
        });
        Class<?> record = Selections.record(op.returns().namedType());
        if (op.returns().isList()) {
            assertThat((List<?>) result).hasSize(2).allSatisfy(item -> assertThat(item).isInstanceOf(record));
        } else {
            assertThat(result).isInstanceOf(record);
        }
        // every field of the default selection came back, with the API's names
        Object first = result instanceof List<?> l ? l.get(0) : result;
        assertThat(((GraphQLObject) first).toMap().keySet())
                .containsExactlyInAnyOrderElementsOf(FirefliesOperations.topLevel(op.defaultSelection()));
    }

    @Test
    void aChosenSelectionIsSentAndMapped() throws Exception {
        server.fetcher("Query.transcript", env -> Map.of("id", env.getArgument("id"), "title", "Weekly",
                "sentences", List.of(Map.of("text", "Hello", "speaker_name", "Ann"))));
        Transcript t = (Transcript) ops.call("transcript", Map.of("id", "t-1"), "{ id, title, sentences { text } }");
        assertThat(server.requests().get(0).query()).contains("{ id title sentences { text } }");
        assertThat(server.requests().get(0).errors()).isEmpty();
        assertThat(t.id()).isEqualTo("t-1");
        assertThat(t.title()).isEqualTo("Weekly");
        assertThat(t.sentences()).singleElement().satisfies(s -> {
            assertThat(s.text()).isEqualTo("Hello");
            assertThat(s.speakerName()).isNull(); // not selected
        });
        // in the schema's order of fields
        assertThat(t.toJson()).isEqualTo("{\"id\":\"t-1\",\"sentences\":[{\"text\":\"Hello\"}],\"title\":\"Weekly\"}");
    }

    static Stream<Arguments> badCalls() {
        return Stream.of(
                Arguments.of("createBite", Map.of("start_time", 1.0, "end_time", 2.0), null,
                        List.of("createBite", "transcript_Id", "required")),
                Arguments.of("transcript", Map.of("id", "t", "ids", "u"), null, List.of("transcript", "'ids'", "unknown")),
                Arguments.of("createBite", Map.of("transcript_Id", "t", "start_time", "1", "end_time", 2.0), null,
                        List.of("createBite", "start_time", "Float!", "'1'")),
                Arguments.of("updateMeetingState", Map.of("input", Map.of("meeting_id", "m", "action", "stop")), null,
                        List.of("updateMeetingState", "input.action", "pause_recording, resume_recording", "'stop'")),
                Arguments.of("uploadAudio", Map.of("input", Map.of("url", "https://x", "download_auth",
                        Map.of("type", "bearer", "bearer", Map.of("token", "t")))), null,
                        List.of("uploadAudio", "input.download_auth.type", "bearer_token", "'bearer'")),
                Arguments.of("uploadAudio", Map.of("input", Map.of("url", "https://x", "download_auth",
                        Map.of("type", "bearer_token", "token", "t"))), null,
                        List.of("uploadAudio", "input.download_auth", "'token'")),
                Arguments.of("transcripts", Map.of("limit", 51), null, List.of("transcripts", "limit", "50")),
                Arguments.of("transcripts", Map.of("fromDate", "yesterday"), null, List.of("transcripts", "fromDate")),
                Arguments.of("addToLiveMeeting", Map.of("meeting_link", "https://meet", "attendees",
                        List.of(Map.of("email", 5))), null, List.of("addToLiveMeeting", "attendees[0].email")),
                Arguments.of("transcript", Map.of("id", "t"), "id titel", List.of("transcript", "'titel'")),
                Arguments.of("transcript", Map.of("id", "t"), "id sentences", List.of("transcript", "sentences", "{ }")),
                Arguments.of("nonsense", Map.of(), null, List.of("nonsense", "transcripts", "addToLiveMeeting")));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("badCalls")
    void aBadCallFailsBeforeAnyRequestNamingOperationAndArgument(String name, Map<String, Object> args, String fields,
                                                                 List<String> named) {
        Throwable t = catchThrowable(() -> ops.call(name, args, fields));
        assertThat(t).isInstanceOf(IllegalArgumentException.class);
        for (String word : named) {
            assertThat(t.getMessage()).contains(word);
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void typedValuesAreAccepted() throws Exception {
        ops.call("transcripts", Map.of("fromDate", java.time.OffsetDateTime.parse("2026-12-01T10:00:00+01:00"),
                "organizers", new String[] { "a@example.com" }, "limit", 5L), "id");
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.errors()).isEmpty();
            assertThat(r.variables()).containsEntry("fromDate", "2026-12-01T09:00:00Z")
                    .containsEntry("organizers", List.of("a@example.com")).containsEntry("limit", 5);
        });
    }

    /** 120 transcripts, answered by limit and skip. */
    private void transcripts(int count) {
        server.fetcher("Query.transcripts", env -> {
            int limit = env.getArgument("limit");
            int skip = env.getArgument("skip");
            return IntStream.range(skip, Math.min(count, skip + limit)).mapToObj(i -> Map.of("id", "t-" + i)).toList();
        });
    }

    @Test
    void offsetPagingGathersEveryPage() throws Exception {
        transcripts(120);
        @SuppressWarnings("unchecked")
        List<Transcript> all = (List<Transcript>) ops.gather("transcripts", Map.of("mine", true), "id", 0);
        assertThat(all).extracting(Transcript::id).containsExactlyElementsOf(
                IntStream.range(0, 120).mapToObj(i -> "t-" + i).toList());
        assertThat(server.requests()).hasSize(3).allSatisfy(r -> assertThat(r.errors()).isEmpty())
                .extracting(r -> r.variables().get("skip") + "/" + r.variables().get("limit"))
                .containsExactly("0/50", "50/50", "100/50");
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.variables()).containsEntry("mine", true));
    }

    @Test
    void offsetPagingStopsAtMaxResults() throws Exception {
        transcripts(120);
        List<?> some = (List<?>) ops.gather("transcripts", Map.of("limit", 30), null, 70);
        assertThat(some).hasSize(70);
        assertThat(server.requests()).extracting(r -> r.variables().get("skip") + "/" + r.variables().get("limit"))
                .containsExactly("0/30", "30/30", "60/10");
    }

    @Test
    void bitesPageToo() throws Exception {
        server.fetcher("Query.bites", env -> {
            int limit = env.getArgument("limit");
            int skip = env.getArgument("skip");
            return IntStream.range(skip, Math.min(60, skip + limit)).mapToObj(i -> Map.of("id", "b-" + i)).toList();
        });
        List<?> all = (List<?>) ops.gather("bites", null, "id", 0);
        assertThat(all).hasSize(60).allSatisfy(b -> assertThat(b).isInstanceOf(Bite.class));
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void cursorPagingFollowsTheCursor() throws Exception {
        server.fetcher("Query.rule_executions_by_meeting", env -> {
            String cursor = env.getArgument("cursor");
            int page = cursor == null ? 0 : Integer.parseInt(cursor.substring(1));
            return Map.of("meetings", List.of(Map.of("meeting_id", "m-" + page, "executions", List.of())),
                    "has_more", page < 2, "next_cursor", "c" + (page + 1));
        });
        RuleExecutionsByMeetingResponse r = (RuleExecutionsByMeetingResponse) ops.gather("rule_executions_by_meeting",
                Map.of("limit", 1), "meetings { meeting_id }", 0);
        assertThat(r.meetings()).extracting(m -> m.meetingId()).containsExactly("m-0", "m-1", "m-2");
        assertThat(r.hasMore()).isFalse();
        assertThat(server.requests()).extracting(q -> q.variables().get("cursor")).containsExactly(null, "c1", "c2");
        assertThat(server.requests()).allSatisfy(q -> {
            assertThat(q.errors()).isEmpty();
            assertThat(q.query()).contains("has_more next_cursor");
        });
    }

    @Test
    void theGateIsAskedBeforeEachCallAndCanRefuse() throws Exception {
        transcripts(120);
        List<String> asked = new CopyOnWriteArrayList<>();
        transport.setCallGate(gate(asked::addAll));
        ops.gather("transcripts", null, "id", 0);
        assertThat(asked).containsExactly("transcripts", "transcripts", "transcripts");

        transport.setCallGate(gate(op -> {
            throw new GraphQLException.RateLimitedException("budget spent for " + op, 0, "budget", Duration.ofMinutes(1));
        }));
        assertThatThrownBy(() -> ops.call("user", null, null)).isInstanceOf(GraphQLException.RateLimitedException.class)
                .hasMessageContaining("user");
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void theEarlierClientAsksTheGateWithTheOperationsNames() throws Exception {
        FirefliesGraphQLClient client = new FirefliesGraphQLClient(URI.create(server.url()), ApiKey.of(KEY),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Runnable::run);
        List<String> asked = new CopyOnWriteArrayList<>();
        client.setCallGate(gate(asked::addAll));
        client.activeMeetings(null, List.of());
        client.liveTranscript("t-1");
        client.fullTranscript("t-1");
        client.execute("query { users { name } }", null);
        // a document of the user's is asked for by its root fields
        assertThat(asked).containsExactly("active_meetings", "transcript", "transcript", "users");
        assertThat(server.requests()).hasSize(4).allSatisfy(r -> assertThat(r.errors()).isEmpty());
    }

    @Test
    void uploadsARecordingInThreeSteps(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("standup.mp3"), bytes);
        server.fetcher("Mutation.createUploadUrl", env -> Map.of("upload_url", server.uploadUrl("m-9?sig=secret"),
                "meeting_id", "m-9", "expires_at", "2026-12-08T00:00:00Z"));
        server.fetcher("Mutation.confirmUpload", env -> Map.of("success", true,
                "meeting_id", ((Map<?, ?>) env.getArgument("input")).get("meeting_id"), "message", "queued"));

        ConfirmUploadResponse done = ops.upload(new Recording(() -> Files.newInputStream(file), bytes.length,
                "audio/mpeg", "standup"), Map.of("custom_language", "en"));

        assertThat(done.success()).isTrue();
        assertThat(done.meetingId()).isEqualTo("m-9");
        assertThat(server.uploads()).singleElement().satisfies(u -> {
            assertThat(u.path()).isEqualTo("/upload/m-9");
            assertThat(u.bytes()).isEqualTo(bytes.length);
            assertThat(u.sha256()).isEqualTo(HexFormat.of().formatHex(GraphQLSchemaServer.sha256().digest(bytes)));
            assertThat(u.contentType()).isEqualTo("audio/mpeg");
            assertThat(u.authorization()).isNull(); // the key goes to the GraphQL API only
        });
        assertThat(server.requests()).hasSize(2).allSatisfy(r -> assertThat(r.errors()).isEmpty());
        assertThat(server.requests().get(0).variables()).isEqualTo(Map.of("input", Map.of("title", "standup",
                "content_type", "audio/mpeg", "file_size", bytes.length, "custom_language", "en")));
        assertThat(server.requests().get(1).variables()).isEqualTo(Map.of("input", Map.of("meeting_id", "m-9")));
    }

    @Test
    void theUploadIsStreamedNotBuffered() throws Exception {
        // the recording's second half is given only once the server has read the first: a client that buffered the
        // body before sending would never get there (bounded by the read timeout of the waiting stream)
        server.fetcher("Mutation.createUploadUrl", env -> Map.of("upload_url", server.uploadUrl("s"),
                "meeting_id", "s", "expires_at", "x"));
        server.fetcher("Mutation.confirmUpload", env -> Map.of("success", true, "meeting_id", "s", "message", "ok"));
        int half = 4 * 1024 * 1024;
        InputStream gated = new InputStream() {
            private long given;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (given >= 2L * half) {
                    return -1;
                }
                if (given == half) {
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                            .until(() -> server.receivedSoFar() >= half - 256 * 1024);
                }
                int n = (int) Math.min(len, (given < half ? half : 2L * half) - given);
                given += n;
                return n;
            }
        };
        ConfirmUploadResponse done = ops.upload(new Recording(() -> gated, 2L * half, "audio/wav", "big"), null);
        assertThat(done.success()).isTrue();
        assertThat(server.uploads()).singleElement().satisfies(u -> assertThat(u.bytes()).isEqualTo(2L * half));
    }

    @Test
    void uploadAudioFromAUrlWithDownloadAuth() throws Exception {
        Object r = ops.call("uploadAudio", Map.of("input", Map.of("url", "https://files.example.com/a.mp3",
                "title", "A", "download_auth", Map.of("type", "basic_auth",
                        "basic", Map.of("username", "u", "password", "p")))), null);
        assertThat(r).isInstanceOf(io.github.camelfireflies.api.graphql.AudioUploadStatus.class);
        assertThat(server.requests()).singleElement().satisfies(q -> {
            assertThat(q.errors()).isEmpty();
            assertThat(q.query()).startsWith("mutation uploadAudio($input: AudioUploadInput)");
        });
    }

    /** What a gate does before a call; a rate-limited call is not retried. */
    @FunctionalInterface
    interface Acquire {
        void acquire(List<String> operations) throws GraphQLException;
    }

    private static CallGate gate(Acquire acquire) {
        return new CallGate() {
            @Override
            public void acquire(List<String> operations) throws GraphQLException {
                acquire.acquire(operations);
            }

            @Override
            public boolean rateLimited(Duration retryAfter, int attempt) {
                return false;
            }
        };
    }
}
