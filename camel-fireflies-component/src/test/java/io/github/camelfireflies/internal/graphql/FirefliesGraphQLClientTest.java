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

import io.github.camelfireflies.api.LiveTranscript;
import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.Transcript;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.api.TranscriptSentence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Camel-free GraphQL client against a stub HTTP server on 127.0.0.1: the exact request it sends, and how each kind
 * of answer maps to a result or a typed {@link GraphQLException} whose message never holds the key.
 */
class FirefliesGraphQLClientTest {

    private static final String KEY = "ff-secret-key-0123456789";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One request as the stub saw it. */
    private record Seen(String method, URI uri, Map<String, List<String>> headers, String body) {
    }

    private HttpServer server;
    private ExecutorService async;
    private final List<Seen> seen = new ArrayList<>();
    private volatile int status = 200;
    private volatile String responseBody = "{\"data\":{}}";
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/graphql", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                synchronized (seen) {
                    seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI(),
                            Map.copyOf(exchange.getRequestHeaders()), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            byte[] out = responseBody.getBytes(StandardCharsets.UTF_8);
            synchronized (responseHeaders) {
                responseHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
        async = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
        async.shutdownNow();
    }

    private FirefliesGraphQLClient client(String apiKey) {
        return new FirefliesGraphQLClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/graphql"),
                ApiKey.of(apiKey), TIMEOUT, TIMEOUT, async);
    }

    private void answer(int status, String body, String... headers) {
        this.status = status;
        this.responseBody = body;
        synchronized (responseHeaders) {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                responseHeaders.put(headers[i], headers[i + 1]);
            }
        }
    }

    private Seen onlyRequest() {
        synchronized (seen) {
            assertThat(seen).hasSize(1);
            return seen.get(0);
        }
    }

    private static void assertNoKey(Throwable t) {
        assertThat(t.getMessage()).doesNotContain(KEY);
        assertThat(String.valueOf(t)).doesNotContain(KEY);
        assertThat(t.getCause() == null ? "" : t.getCause().toString()).doesNotContain(KEY);
    }

    // ------------------------------------------------------------------------------------ the request

    @Test
    void postsTheQueryAndVariablesAsJsonWithTheKeyOnlyInTheAuthorizationHeader() throws Exception {
        answer(200, "{\"data\":{\"active_meetings\":[]}}");
        // the key given with its "Bearer " prefix is sent once, not as "Bearer Bearer ..."
        List<ActiveMeeting> meetings = client("Bearer " + KEY).activeMeetings(" alice@example.com ",
                List.of("active", "paused"));
        assertThat(meetings).isEmpty();

        Seen r = onlyRequest();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri().getPath()).isEqualTo("/graphql");
        assertThat(r.uri().getRawQuery()).isNull();
        assertThat(r.headers().get("Authorization")).containsExactly("Bearer " + KEY);
        // plain HTTP/1.1: no h2c upgrade request, which Node servers and some proxies drop
        assertThat(r.headers()).doesNotContainKeys("Upgrade", "Http2-settings");
        assertThat(r.headers().get("Content-type")).containsExactly("application/json");
        assertThat(r.headers().get("Accept")).containsExactly("application/json");

        JsonNode body = MAPPER.readTree(r.body());
        assertThat(body.path("query").asText()).isEqualTo(FirefliesGraphQLClient.ACTIVE_MEETINGS_QUERY);
        assertThat(body.path("variables").path("email").asText()).isEqualTo("alice@example.com");
        assertThat(MAPPER.convertValue(body.path("variables").path("states"), List.class))
                .containsExactly("active", "paused");
        assertThat(body.size()).isEqualTo(2);

        // the key is nowhere but in that header
        assertThat(r.body()).doesNotContain(KEY);
        assertThat(r.uri().toString()).doesNotContain(KEY);
        r.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Authorization")) {
                assertThat(values).as(name).noneMatch(v -> v.contains(KEY));
            }
        });
        assertThat(client(KEY).toString()).doesNotContain(KEY);
    }

    @Test
    void noVariablesMeansNoVariablesField() throws Exception {
        answer(200, "{\"data\":{\"user\":{\"name\":\"Alice\"}}}");
        JsonNode data = client(KEY).execute("{ user { name } }", null);
        assertThat(data.path("user").path("name").asText()).isEqualTo("Alice");
        JsonNode body = MAPPER.readTree(onlyRequest().body());
        assertThat(body.has("variables")).isFalse();
        assertThat(body.path("query").asText()).isEqualTo("{ user { name } }");
    }

    @Test
    void aBlankKeyOrQueryIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> client(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client("Bearer  ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client(KEY).execute("  ", Map.of())).isInstanceOf(GraphQLException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> client(KEY).transcript(null)).isInstanceOf(GraphQLException.class);
        synchronized (seen) {
            assertThat(seen).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------ answers

    @Test
    void mapsActiveMeetingsAndSkipsEntriesWithoutAnId() throws Exception {
        answer(200, """
                {"data":{"active_meetings":[
                  {"id":"m-1","title":"Weekly sync","organizer_email":"alice@example.com","meeting_link":"https://meet/x",
                   "start_time":"2026-11-25T10:00:00Z","end_time":null,"privacy":"teammates","state":"active"},
                  {"title":"no id"},
                  {"id":"m-2","state":"paused"}]}}""");
        List<ActiveMeeting> meetings = client(KEY).activeMeetings(null, null);
        assertThat(meetings).containsExactly(
                new ActiveMeeting("m-1", "Weekly sync", "alice@example.com", "https://meet/x", "2026-11-25T10:00:00Z",
                        null, "teammates", "active"),
                new ActiveMeeting("m-2", null, null, null, null, null, null, "paused"));
        assertThat(MAPPER.readTree(onlyRequest().body()).has("variables")).isFalse();
    }

    @Test
    void transcriptIsNullWhenTheApiHasNone() throws Exception {
        answer(200, "{\"data\":{\"transcript\":null}}");
        assertThat(client(KEY).transcript("t-1")).isNull();
        assertThat(MAPPER.readTree(onlyRequest().body()).path("variables").path("id").asText()).isEqualTo("t-1");
    }

    @Test
    void graphQLErrorsBecomeAGraphQLExceptionWithTheirMessagesAndCodeButNotTheKey() {
        answer(200, "{\"data\":null,\"errors\":[{\"message\":\"Object not found for " + KEY + "\","
                    + "\"extensions\":{\"code\":\"object_not_found\"}},{\"message\":\"second problem\"}]}");
        GraphQLException e = catchThrowableOfType(() -> client(KEY).transcript("t-x"), GraphQLException.class);
        assertThat(e).isExactlyInstanceOf(GraphQLException.class);
        assertThat(e.getStatus()).isEqualTo(200);
        assertThat(e.getCode()).isEqualTo("object_not_found");
        assertThat(e.getMessage()).contains("answered with errors").contains("HTTP 200").contains("object_not_found")
                .contains("Object not found for ***").contains("second problem");
        assertNoKey(e);
    }

    @Test
    void http401IsAnAuthenticationExceptionWithoutTheKey() {
        answer(401, "{\"errors\":[{\"message\":\"Invalid API key " + KEY + "\",\"code\":\"auth_failed\"}]}");
        GraphQLException e = catchThrowableOfType(() -> client(KEY).activeMeetings(null, null), GraphQLException.class);
        assertThat(e).isInstanceOf(GraphQLException.AuthenticationException.class);
        assertThat(e.getStatus()).isEqualTo(401);
        assertThat(e.getCode()).isEqualTo("auth_failed");
        assertThat(e.getMessage()).contains("refused the API key").contains("HTTP 401").contains("check the apiKey");
        assertNoKey(e);
    }

    @Test
    void anAuthenticationErrorCodeAtHttp200IsAnAuthenticationException() {
        answer(200, "{\"errors\":[{\"message\":\"Unauthorized\",\"extensions\":{\"code\":\"UNAUTHENTICATED\"}}]}");
        GraphQLException e = catchThrowableOfType(() -> client(KEY).execute("{ x }", null), GraphQLException.class);
        assertThat(e).isInstanceOf(GraphQLException.AuthenticationException.class);
        assertThat(e.getCode()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void http429WithRetryAfterInSeconds() {
        answer(429, "{\"errors\":[{\"message\":\"Too many requests\",\"code\":\"too_many_requests\"}]}",
                "Retry-After", "7");
        GraphQLException e = catchThrowableOfType(() -> client(KEY).activeMeetings(null, null), GraphQLException.class);
        assertThat(e).isInstanceOf(GraphQLException.RateLimitedException.class);
        assertThat(((GraphQLException.RateLimitedException) e).getRetryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(e.getStatus()).isEqualTo(429);
        assertThat(e.getMessage()).contains("rate limiting").contains("HTTP 429").contains("retry after 7000 ms");
        assertNoKey(e);
    }

    @Test
    void http429WithRetryAfterAsAnHttpDate() {
        String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(90));
        answer(429, "", "Retry-After", in90s);
        GraphQLException e = catchThrowableOfType(() -> client(KEY).activeMeetings(null, null), GraphQLException.class);
        assertThat(e).isInstanceOf(GraphQLException.RateLimitedException.class);
        // the date has whole seconds and a little time passes before it is read
        assertThat(((GraphQLException.RateLimitedException) e).getRetryAfter())
                .isBetween(Duration.ofSeconds(80), Duration.ofSeconds(90));
    }

    @Test
    void http429WithoutRetryAfterSaysNothingOrTakesTheErrorsHint() {
        answer(429, "");
        GraphQLException.RateLimitedException bare = catchThrowableOfType(
                () -> client(KEY).activeMeetings(null, null), GraphQLException.RateLimitedException.class);
        assertThat(bare.getRetryAfter()).isNull();
        assertThat(bare.getMessage()).doesNotContain("retry after");

        // a too_many_requests error at HTTP 200 with extensions.metadata.retryAfter (seconds)
        answer(200, "{\"errors\":[{\"message\":\"slow down\",\"extensions\":{\"code\":\"too_many_requests\","
                    + "\"metadata\":{\"retryAfter\":12}}}]}");
        GraphQLException.RateLimitedException hinted = catchThrowableOfType(
                () -> client(KEY).activeMeetings(null, null), GraphQLException.RateLimitedException.class);
        assertThat(hinted.getRetryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(hinted.getCode()).isEqualTo("too_many_requests");
    }

    @Test
    void unreadableRetryAfterIsIgnored() {
        assertThat(FirefliesGraphQLClient.retryAfter("soon")).isNull();
        assertThat(FirefliesGraphQLClient.retryAfter("-3")).isNull();
        assertThat(FirefliesGraphQLClient.retryAfter(" 5 ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(FirefliesGraphQLClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    }

    @Test
    void http5xxIsAGraphQLExceptionWithTheStatusAndAScrubbedBody() {
        answer(503, "upstream down while serving " + KEY);
        GraphQLException e = catchThrowableOfType(() -> client(KEY).activeMeetings(null, null), GraphQLException.class);
        assertThat(e).isExactlyInstanceOf(GraphQLException.class);
        assertThat(e.getStatus()).isEqualTo(503);
        assertThat(e.getMessage()).contains("HTTP 503").contains("upstream down while serving ***");
        assertNoKey(e);
    }

    @Test
    void malformedJsonIsAGraphQLExceptionNotAParserError() {
        answer(200, "{\"data\": {\"active_meetings\": [ " + KEY);
        GraphQLException e = catchThrowableOfType(() -> client(KEY).activeMeetings(null, null), GraphQLException.class);
        assertThat(e).isExactlyInstanceOf(GraphQLException.class);
        assertThat(e.getStatus()).isEqualTo(200);
        assertThat(e.getMessage()).contains("without data");
        assertNoKey(e);
    }

    @Test
    void anUnreachableServerIsAGraphQLExceptionWithStatusZero() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        FirefliesGraphQLClient c = new FirefliesGraphQLClient(URI.create("http://127.0.0.1:" + closedPort + "/graphql"),
                ApiKey.of(KEY), TIMEOUT, TIMEOUT, async);
        GraphQLException e = catchThrowableOfType(() -> c.activeMeetings(null, null), GraphQLException.class);
        assertThat(e).isExactlyInstanceOf(GraphQLException.class);
        assertThat(e.getStatus()).isZero();
        assertThat(e.getMessage()).contains("Cannot reach").contains("127.0.0.1:" + closedPort);
        assertNoKey(e);
    }

    // ------------------------------------------------------------------------------------ live sentences (backfill)

    @Test
    void liveTranscriptAsksForIsLiveDateAndTypedSentences() throws Exception {
        answer(200, "{\"data\":{\"transcript\":{\"id\":\"t1\",\"date\":1764580000000,\"is_live\":true,\"sentences\":["
                    + "{\"index\":0,\"speaker_name\":\"Alice\",\"speaker_id\":1,\"text\":\"Hello.\",\"raw_text\":\"hello\","
                    + "\"start_time\":0,\"end_time\":1.5},"
                    + "{\"index\":\"1\",\"speaker_name\":null,\"text\":null,\"start_time\":\"2.25\",\"end_time\":null},"
                    + "\"not an object\"]}}}");
        LiveTranscript t = client(KEY).liveTranscript("t1");
        assertThat(t.id()).isEqualTo("t1");
        assertThat(t.live()).isTrue();
        assertThat(t.dateMillis()).isEqualTo(1764580000000L);
        assertThat(t.sentences()).containsExactly(
                new TranscriptSentence(0, "Hello.", "hello", "Alice", 1, 0.0, 1.5),
                new TranscriptSentence(1, "", null, null, null, 2.25, null));
        JsonNode body = MAPPER.readTree(onlyRequest().body());
        assertThat(body.path("query").asText()).isEqualTo(FirefliesGraphQLClient.LIVE_TRANSCRIPT_QUERY)
                .contains("transcript(id: $id)", "is_live", "date", "speaker_id", "start_time", "end_time");
        assertThat(body.path("variables").path("id").asText()).isEqualTo("t1");
    }

    @Test
    void liveTranscriptAlsoNamesTheMeeting() throws Exception {
        answer(200, "{\"data\":{\"transcript\":{\"id\":\"t1\",\"title\":\"Weekly sync\","
                    + "\"organizer_email\":\"alice@example.com\",\"is_live\":true,\"sentences\":[]}}}");
        LiveTranscript t = client(KEY).liveTranscript("t1");
        assertThat(t.title()).isEqualTo("Weekly sync");
        assertThat(t.organizerEmail()).isEqualTo("alice@example.com");
        assertThat(MAPPER.readTree(onlyRequest().body()).path("query").asText()).contains("title", "organizer_email");
    }

    @Test
    void fullTranscriptIsTypedWithTheDocumentedFields() throws Exception {
        answer(200, """
                {"data":{"transcript":{"id":"t9","title":"Design review","date":1764580000000,"duration":42.5,
                 "organizer_email":"chloe@example.com","participants":["chloe@example.com","dev@example.com",null],
                 "transcript_url":"https://app.fireflies.ai/view/t9","meeting_link":"https://meet.example/abc",
                 "speakers":[{"id":0,"name":"Chloé"},{"id":"1","name":"Dev"}],
                 "sentences":[{"index":0,"speaker_name":"Chloé","speaker_id":0,"text":"Design review ✅",
                   "raw_text":"design review","start_time":0.5,"end_time":2},
                  {"index":1,"speaker_name":"Dev","speaker_id":1,"text":"Looks good","start_time":2.5,"end_time":3.75}],
                 "summary":{"overview":"A short review.","short_summary":"Reviewed.",
                   "action_items":["Ship it","Tell Bob"],"keywords":["design","review"]}}}}""");
        Transcript t = client(KEY).fullTranscript("t9");
        assertThat(t.id()).isEqualTo("t9");
        assertThat(t.title()).isEqualTo("Design review");
        assertThat(t.dateMillis()).isEqualTo(1764580000000L);
        assertThat(t.durationMinutes()).isEqualTo(42.5);
        assertThat(t.organizerEmail()).isEqualTo("chloe@example.com");
        assertThat(t.participants()).containsExactly("chloe@example.com", "dev@example.com");
        assertThat(t.transcriptUrl()).isEqualTo("https://app.fireflies.ai/view/t9");
        assertThat(t.meetingLink()).isEqualTo("https://meet.example/abc");
        assertThat(t.speakers()).containsExactly(new Transcript.Speaker("0", "Chloé"), new Transcript.Speaker("1", "Dev"));
        assertThat(t.sentences()).containsExactly(
                new TranscriptSentence(0, "Design review ✅", "design review", "Chloé", 0, 0.5, 2.0),
                new TranscriptSentence(1, "Looks good", null, "Dev", 1, 2.5, 3.75));
        assertThat(t.summary()).isEqualTo(new Transcript.Summary("A short review.", "Reviewed.", "Ship it\nTell Bob",
                List.of("design", "review")));
        assertThat(t.text()).isEqualTo("Chloé: Design review ✅\nDev: Looks good\n");
        // its JSON has the API's field names
        JsonNode json = MAPPER.readTree(t.toJson());
        assertThat(json.path("organizer_email").asText()).isEqualTo("chloe@example.com");
        assertThat(json.path("sentences").get(1).path("speaker_name").asText()).isEqualTo("Dev");
        assertThat(json.path("summary").path("action_items").asText()).isEqualTo("Ship it\nTell Bob");
        JsonNode body = MAPPER.readTree(onlyRequest().body());
        assertThat(body.path("query").asText()).isEqualTo(FirefliesGraphQLClient.FULL_TRANSCRIPT_QUERY);
        assertThat(body.path("variables").path("id").asText()).isEqualTo("t9");
    }

    @Test
    void fullTranscriptWithoutOptionalFieldsAndOfAnUnknownId() throws Exception {
        answer(200, "{\"data\":{\"transcript\":{\"id\":\"t3\",\"summary\":{\"action_items\":\"One\\nTwo\"}}}}");
        Transcript t = client(KEY).fullTranscriptAsync("t3").get(10, TimeUnit.SECONDS);
        assertThat(t.title()).isNull();
        assertThat(t.dateMillis()).isNull();
        assertThat(t.participants()).isEmpty();
        assertThat(t.speakers()).isEmpty();
        assertThat(t.sentences()).isEmpty();
        assertThat(t.summary().actionItems()).isEqualTo("One\nTwo");
        assertThat(t.summary().keywords()).isEmpty();
        answer(200, "{\"data\":{\"transcript\":null}}");
        GraphQLException e = catchThrowableOfType(() -> client(KEY).fullTranscript("nope"), GraphQLException.class);
        assertThat(e.getCode()).isEqualTo("object_not_found");
    }

    @Test
    void liveTranscriptWithoutIsLiveOrWithFalseIsNotLive() throws Exception {
        answer(200, "{\"data\":{\"transcript\":{\"id\":\"t1\",\"sentences\":[]}}}");
        assertThat(client(KEY).liveTranscript("t1").live()).isFalse();
        answer(200, "{\"data\":{\"transcript\":{\"id\":\"t1\",\"is_live\":false,\"sentences\":null}}}");
        LiveTranscript t = client(KEY).liveTranscript("t1");
        assertThat(t.live()).isFalse();
        assertThat(t.sentences()).isEmpty();
        assertThat(t.dateMillis()).isNull();
    }

    @Test
    void liveTranscriptOfAnUnknownIdIsAnError() {
        answer(200, "{\"data\":{\"transcript\":null}}");
        GraphQLException e = catchThrowableOfType(() -> client(KEY).liveTranscript("nope"), GraphQLException.class);
        assertThat(e.getCode()).isEqualTo("object_not_found");
        assertThat(e.getMessage()).contains("nope");
        answer(200, "{\"errors\":[{\"message\":\"Transcript not found\",\"extensions\":{\"code\":\"object_not_found\"}}],"
                    + "\"data\":null}");
        GraphQLException e2 = catchThrowableOfType(() -> client(KEY).liveTranscript("nope"), GraphQLException.class);
        assertThat(e2.getCode()).isEqualTo("object_not_found");
        assertThatThrownBy(() -> client(KEY).liveTranscript(" ")).isInstanceOf(GraphQLException.class);
    }

    @Test
    void liveTranscriptAsyncGivesTheSameResultWithoutBlocking() throws Exception {
        answer(200, "{\"data\":{\"transcript\":{\"id\":\"t2\",\"is_live\":true,\"sentences\":["
                    + "{\"index\":0,\"speaker_name\":\"Bob\",\"text\":\"Hi\",\"start_time\":3,\"end_time\":4}]}}}");
        LiveTranscript t = client(KEY).liveTranscriptAsync("t2").get(10, TimeUnit.SECONDS);
        assertThat(t.live()).isTrue();
        assertThat(t.sentences()).extracting(TranscriptSentence::text).containsExactly("Hi");
    }

    @Test
    void liveTranscriptAsyncFailsWithTheTypedExceptionNotAWrapper() {
        answer(429, "{\"errors\":[{\"message\":\"slow down " + KEY + "\",\"code\":\"too_many_requests\"}]}",
                "Retry-After", "7");
        Throwable rate = failureOf(client(KEY).liveTranscriptAsync("t3"));
        assertThat(rate).isInstanceOf(GraphQLException.RateLimitedException.class);
        assertThat(((GraphQLException.RateLimitedException) rate).getRetryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertNoKey(rate);

        answer(401, "{\"errors\":[{\"message\":\"bad key\",\"code\":\"auth_failed\"}]}");
        assertThat(failureOf(client(KEY).liveTranscriptAsync("t3"))).isInstanceOf(GraphQLException.AuthenticationException.class);

        answer(200, "{\"data\":{\"transcript\":null}}");
        Throwable missing = failureOf(client(KEY).liveTranscriptAsync("t3"));
        assertThat(missing).isExactlyInstanceOf(GraphQLException.class);
        assertThat(((GraphQLException) missing).getCode()).isEqualTo("object_not_found");

        assertThat(failureOf(client(KEY).liveTranscriptAsync(null))).isExactlyInstanceOf(GraphQLException.class);
    }

    @Test
    void liveTranscriptAsyncToAnUnreachableServerFailsWithStatusZero() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        FirefliesGraphQLClient c = new FirefliesGraphQLClient(URI.create("http://127.0.0.1:" + closedPort + "/graphql"),
                ApiKey.of(KEY), TIMEOUT, TIMEOUT, async);
        Throwable e = failureOf(c.liveTranscriptAsync("t4"));
        assertThat(e).isExactlyInstanceOf(GraphQLException.class);
        assertThat(((GraphQLException) e).getStatus()).isZero();
        assertThat(e.getMessage()).contains("Cannot reach");
        assertNoKey(e);
    }

    @Test
    void aRetryAfterHintAsAnEpochTimeInMillisecondsIsTheTimeLeft() {
        long in30s = System.currentTimeMillis() + 30_000;
        answer(200, "{\"errors\":[{\"message\":\"slow down\",\"extensions\":{\"code\":\"too_many_requests\","
                    + "\"metadata\":{\"retryAfter\":" + in30s + "}}}]}");
        GraphQLException.RateLimitedException e = catchThrowableOfType(
                () -> client(KEY).activeMeetings(null, null), GraphQLException.RateLimitedException.class);
        assertThat(e.getRetryAfter()).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(30));
        answer(200, "{\"errors\":[{\"message\":\"slow down\",\"extensions\":{\"code\":\"too_many_requests\","
                    + "\"metadata\":{\"retryAfter\":" + (in30s - 3_600_000) + "}}}]}");
        assertThat(catchThrowableOfType(() -> client(KEY).activeMeetings(null, null),
                GraphQLException.RateLimitedException.class).getRetryAfter()).isEqualTo(Duration.ZERO);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("Expected a failure, got " + e, e);
        }
        throw new AssertionError("Expected a failure, the call succeeded");
    }
}
