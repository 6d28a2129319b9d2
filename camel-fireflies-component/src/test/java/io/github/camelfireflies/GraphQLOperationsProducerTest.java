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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.api.graphql.ConfirmUploadResponse;
import io.github.camelfireflies.api.graphql.GraphQLObject;
import io.github.camelfireflies.api.graphql.Transcript;
import io.github.camelfireflies.api.graphql.UpdateMeetingStateResult;
import io.github.camelfireflies.internal.graphql.Catalogue;
import io.github.camelfireflies.internal.graphql.OperationSpec;
import io.github.camelfireflies.internal.graphql.SampleArguments;
import io.github.camelfireflies.testsupport.GraphQLSchemaServer;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** {@code to("fireflies:graphql?operation=NAME")} for every operation, against a server that checks the schema. */
class GraphQLOperationsProducerTest {

    private static final String KEY = "sk-producer-test-0123456789";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GraphQLSchemaServer server;
    private CamelContext context;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        server = new GraphQLSchemaServer();
        context = new DefaultCamelContext();
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
        server.close();
    }

    private String uri(String operation, String options) {
        return "fireflies:graphql?operation=" + operation + "&graphqlUrl=" + server.url() + "&apiKey=RAW(" + KEY + ")"
               + options;
    }

    static Stream<String> operations() {
        return Catalogue.operations().stream().map(OperationSpec::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void everyOperationRunsFromAMapBody(String name) throws Exception {
        OperationSpec op = Catalogue.operation(name);
        Map<String, Object> args = SampleArguments.of(name, true);
        Object body = template.requestBody(uri(name, ""), args);

        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.errors()).as(r.query()).isEmpty();
            assertThat(r.variables()).isEqualTo(args);
        });
        Object first = body instanceof List<?> l ? l.get(0) : body;
        assertThat(first).isInstanceOf(GraphQLObject.class);
        assertThat(first.getClass().getSimpleName()).isEqualTo(op.returns().namedType());
        // Camel converts the typed result to a Map and to JSON with the API's field names
        Map<?, ?> map = context.getTypeConverter().mandatoryConvertTo(Map.class, first);
        assertThat(map.keySet()).allSatisfy(k -> assertThat(op.defaultSelection()).contains((String) k));
        JsonNode json = MAPPER.readTree(context.getTypeConverter().mandatoryConvertTo(String.class, first));
        assertThat(MAPPER.convertValue(json, Map.class)).isEqualTo(map);
    }

    @Test
    void theInputObjectItselfAndTheMeetingIdHeader() {
        UpdateMeetingStateResult r = template.requestBodyAndHeader(uri("updateMeetingState", ""),
                Map.of("action", "pause_recording"), FirefliesConstants.MEETING_ID, "m-1", UpdateMeetingStateResult.class);
        assertThat(r.success()).isTrue();
        assertThat(server.requests().get(0).variables())
                .isEqualTo(Map.of("input", Map.of("meeting_id", "m-1", "action", "pause_recording")));
        template.requestBody(uri("live_action_items", "&meetingId=m-2"), (Object) null);
        assertThat(server.requests().get(1).variables()).isEqualTo(Map.of("meeting_id", "m-2"));
        assertThat(server.requests()).allSatisfy(q -> assertThat(q.errors()).isEmpty());
    }

    @Test
    void transcriptKeepsItsEarlierBehaviour() {
        server.fetcher("Query.transcript", env -> Map.of("id", env.getArgument("id"), "title", "Planning",
                "sentences", List.of(Map.of("text", "First", "speaker_name", "Erin"), Map.of("text", "Second"))));
        context.getRegistry().bind("dummy", "x");
        // the body is a meeting of active_meetings (as after a split) and the id comes from the header: body not read
        Exchange out = template.request(uri("transcript", ""), e -> {
            e.getMessage().setBody(Map.of("id", "g-1", "title", "Planning", "state", "active"));
            e.getMessage().setHeader(FirefliesConstants.TRANSCRIPT_ID, "g-1");
        });
        assertThat(out.getException()).isNull();
        Transcript t = out.getMessage().getBody(Transcript.class);
        assertThat(t.id()).isEqualTo("g-1");
        assertThat(server.requests().get(0).query())
                .contains("id title organizer_email date duration transcript_url"
                          + " sentences { index speaker_name text raw_text start_time end_time }");
        Map<?, ?> map = out.getMessage().getBody(Map.class);
        assertThat(map.get("title")).isEqualTo("Planning");
        assertThat((List<?>) map.get("sentences")).hasSize(2);
        String title = context.resolveLanguage("simple").createExpression("${body[title]}").evaluate(out, String.class);
        assertThat(title).isEqualTo("Planning");
        Integer count = context.resolveLanguage("simple").createExpression("${body[sentences].size()}")
                .evaluate(out, Integer.class);
        assertThat(count).isEqualTo(2);
        // and the record's accessors, as the docs show
        assertThat(context.resolveLanguage("simple").createExpression("${body.title}").evaluate(out, String.class))
                .isEqualTo("Planning");
    }

    @Test
    void fieldsFromTheOptionOrTheHeader() {
        template.requestBodyAndHeader(uri("transcript", "&fields=id title"), null, FirefliesConstants.TRANSCRIPT_ID, "a");
        template.requestBodyAndHeaders(uri("transcript", "&fields=id title"), null,
                Map.of(FirefliesConstants.TRANSCRIPT_ID, "b", FirefliesConstants.GRAPHQL_FIELDS, "id is_live"));
        assertThat(server.requests()).extracting(GraphQLSchemaServer.Request::query).containsExactly(
                "query transcript($id: String!) { transcript(id: $id) { id title } }",
                "query transcript($id: String!) { transcript(id: $id) { id is_live } }");
    }

    @Test
    void allPagesGathersEveryPage() {
        server.fetcher("Query.transcripts", env -> {
            int limit = env.getArgument("limit");
            int skip = env.getArgument("skip");
            return IntStream.range(skip, Math.min(120, skip + limit)).mapToObj(i -> Map.of("id", "t-" + i)).toList();
        });
        List<?> all = template.requestBody(uri("transcripts", "&allPages=true&fields=id"), Map.of("mine", true), List.class);
        assertThat(all).hasSize(120);
        assertThat(server.requests()).hasSize(3);
        List<?> some = template.requestBodyAndHeader(uri("transcripts", ""), null, FirefliesConstants.MAX_RESULTS, 60,
                List.class);
        assertThat(some).hasSize(60);
        assertThat(server.requests()).hasSize(5);
        assertThat(server.requests()).allSatisfy(q -> assertThat(q.errors()).isEmpty());
    }

    @Test
    void aBadArgumentFailsBeforeAnyRequest() {
        Throwable t = catchThrowable(() -> template.requestBody(uri("createBite", ""),
                Map.of("transcript_id", "t", "start_time", 1.0, "end_time", 2.0)));
        assertThat(t).isInstanceOf(CamelExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("createBite").hasMessageContaining("transcript_id")
                .hasMessageContaining("transcript_Id: ID!");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void activeMeetingsKeepsItsListOfMaps() {
        List<?> meetings = template.requestBody(uri("activeMeetings", ""), null, List.class);
        assertThat(meetings).hasSize(2).allSatisfy(m -> assertThat(m).isInstanceOf(Map.class));
        List<?> typed = template.requestBodyAndHeader(uri("active_meetings", "&states=active"), null,
                FirefliesConstants.EMAIL, "a@example.com", List.class);
        assertThat(typed).hasSize(2).allSatisfy(m -> assertThat(m).isInstanceOf(GraphQLObject.class));
        assertThat(server.requests().get(1).variables())
                .isEqualTo(Map.of("input", Map.of("email", "a@example.com", "states", List.of("active"))));
        assertThat(server.requests()).allSatisfy(q -> assertThat(q.errors()).isEmpty());
    }

    @Test
    void recordingsFromAFileRouteAreUploaded(@TempDir Path dir) throws Exception {
        server.fetcher("Mutation.createUploadUrl", env -> Map.of("upload_url", server.uploadUrl("u-1"),
                "meeting_id", "u-1", "expires_at", "2026-12-08T00:00:00Z"));
        server.fetcher("Mutation.confirmUpload", env -> Map.of("success", true, "meeting_id", "u-1", "message", "ok"));
        Path inbox = Files.createDirectories(dir.resolve("recordings"));
        List<Exchange> done = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + inbox + "?noop=true&initialDelay=0&delay=50").routeId("uploads")
                        .setHeader(FirefliesConstants.GRAPHQL_ARGUMENTS, constant(Map.of("custom_language", "de")))
                        .to(uri("uploadAudio", ""))
                        .process(done::add);
            }
        });
        byte[] bytes = new byte[200_000];
        new java.util.Random(3).nextBytes(bytes);
        Files.write(inbox.resolve("board-meeting.m4a"), bytes);

        await().atMost(Duration.ofSeconds(20)).until(() -> done.size() == 1);
        Exchange e = done.get(0);
        assertThat(e.getMessage().getBody()).isInstanceOf(ConfirmUploadResponse.class);
        assertThat(e.getMessage().getHeader(FirefliesConstants.MEETING_ID)).isEqualTo("u-1");
        assertThat(server.uploads()).singleElement().satisfies(u -> {
            assertThat(u.bytes()).isEqualTo(bytes.length);
            assertThat(u.contentType()).isEqualTo("audio/mp4");
            assertThat(u.authorization()).isNull();
        });
        assertThat(server.requests()).hasSize(2).allSatisfy(q -> assertThat(q.errors()).isEmpty());
        assertThat(server.requests().get(0).variables()).isEqualTo(Map.of("input", Map.of("title", "board-meeting",
                "content_type", "audio/mp4", "file_size", bytes.length, "custom_language", "de")));
    }

    @Test
    void anInputStreamOfUnknownLengthIsSpooledAndUploaded() {
        server.fetcher("Mutation.createUploadUrl", env -> Map.of("upload_url", server.uploadUrl("s-1"),
                "meeting_id", "s-1", "expires_at", "x"));
        server.fetcher("Mutation.confirmUpload", env -> Map.of("success", true, "meeting_id", "s-1", "message", "ok"));
        Exchange in = new DefaultExchange(context);
        in.getMessage().setBody(new java.io.ByteArrayInputStream(new byte[12345]));
        in.getMessage().setHeader(Exchange.CONTENT_TYPE, "audio/wav");
        Exchange out = template.send(uri("uploadAudio", ""), in);
        assertThat(out.getException()).isNull();
        assertThat(server.uploads()).singleElement().satisfies(u -> assertThat(u.bytes()).isEqualTo(12345));
    }

    @Test
    void byteArrayAndPathBodiesAreUploadedToo(@TempDir Path dir) throws Exception {
        server.fetcher("Mutation.createUploadUrl", env -> Map.of("upload_url", server.uploadUrl("b-1"),
                "meeting_id", "b-1", "expires_at", "x"));
        server.fetcher("Mutation.confirmUpload", env -> Map.of("success", true, "meeting_id", "b-1", "message", "ok"));
        template.requestBodyAndHeader(uri("uploadAudio", ""), new byte[321], Exchange.FILE_NAME, "call.wav");
        Path file = Files.write(dir.resolve("interview.webm"), new byte[654]);
        template.requestBody(uri("uploadAudio", ""), file);
        assertThat(server.uploads()).extracting(GraphQLSchemaServer.Upload::bytes).containsExactly(321L, 654L);
        assertThat(server.uploads()).extracting(GraphQLSchemaServer.Upload::contentType)
                .containsExactly("audio/wav", "video/webm");
        assertThat(server.requests()).hasSize(4).allSatisfy(q -> assertThat(q.errors()).isEmpty());
        assertThat(((Map<?, ?>) server.requests().get(2).variables().get("input")).get("title")).isEqualTo("interview");
    }

    @Test
    void anUnknownContentTypeFailsBeforeAnyRequest() {
        Throwable t = catchThrowable(() -> template.requestBody(uri("uploadAudio", ""), new byte[10]));
        assertThat(t.getCause()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uploadAudio")
                .hasMessageContaining("Content-Type");
        assertThat(server.requests()).isEmpty();
    }
}
