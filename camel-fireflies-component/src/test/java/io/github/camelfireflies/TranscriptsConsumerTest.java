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

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.github.camelfireflies.api.Transcript;
import io.github.camelfireflies.testsupport.GraphQLStubServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code fireflies:transcripts} against a GraphQL server on 127.0.0.1 that lists 120 and more transcripts by
 * {@code fromDate}, {@code skip} and {@code limit}: each finished transcript is emitted once, across a restart of the
 * CamelContext (a file-based idempotent repository shared across it), including those that finished while the
 * application was down and those the API lists late.
 */
class TranscriptsConsumerTest {

    private static final String KEY = "ff-transcripts-test-key";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A transcript as the stub's account has it. */
    private record Fake(String id, long date, boolean listed, boolean live, String summaryStatus) {
    }

    @TempDir
    Path dir;

    private GraphQLStubServer server;
    private final Map<String, Fake> account = new ConcurrentHashMap<>();
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    private final List<Transcript> bodies = Collections.synchronizedList(new ArrayList<>());
    private final long now = System.currentTimeMillis();

    @BeforeEach
    void start() throws Exception {
        server = new GraphQLStubServer().field("transcripts", r -> {
            long from = Instant.parse(r.variables().path("fromDate").asText()).toEpochMilli();
            int skip = r.variables().path("skip").asInt();
            int limit = r.variables().path("limit").asInt();
            // newest first, as the API lists them
            List<Fake> all = account.values().stream().filter(f -> f.listed() && f.date() >= from)
                    .sorted(Comparator.comparingLong(Fake::date).reversed().thenComparing(Fake::id))
                    .collect(Collectors.toList());
            return all.subList(Math.min(skip, all.size()), Math.min(skip + limit, all.size())).stream()
                    .map(TranscriptsConsumerTest::json).collect(Collectors.toList());
        });
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static Map<String, Object> json(Fake f) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", f.id());
        t.put("title", "Meeting " + f.id());
        t.put("date", (double) f.date());
        t.put("duration", 30.0);
        t.put("organizer_email", "alice@example.com");
        t.put("participants", List.of("alice@example.com", "bob@example.com"));
        t.put("is_live", f.live());
        t.put("meeting_info", Map.of("summary_status", f.summaryStatus()));
        t.put("speakers", List.of(Map.of("id", "1", "name", "Alice")));
        t.put("sentences", List.of(
                Map.of("index", 0, "speaker_name", "Alice", "speaker_id", 1, "text", "Hello " + f.id(), "raw_text",
                        "hello", "start_time", 0.5, "end_time", 1.5),
                Map.of("index", 1, "speaker_name", "Bob", "speaker_id", 2, "text", "Bye.", "raw_text", "bye",
                        "start_time", 2.0, "end_time", 2.5)));
        t.put("summary", Map.of("overview", "About " + f.id(), "short_summary", "Short", "action_items", "Do it",
                "keywords", List.of("a", "b"), "gist", "Gist", "topics_discussed", List.of("t1")));
        return t;
    }

    private void put(String id, Duration ago, boolean listed, boolean live, String status) {
        account.put(id, new Fake(id, now - ago.toMillis(), listed, live, status));
    }

    private CamelContext context(IdempotentRepository repository) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("repo", repository);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("fireflies:transcripts?apiKey=RAW(" + KEY + ")&graphqlUrl=" + server.url()
                     + "&delay=100&initialDelay=0&idempotentRepository=#repo").routeId("transcripts")
                        .process(e -> {
                            Transcript t = e.getMessage().getBody(Transcript.class);
                            assertThat(e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID)).isEqualTo(t.id());
                            bodies.add(t);
                            received.add(t.id());
                        });
            }
        });
        context.start();
        return context;
    }

    private IdempotentRepository fileRepository() {
        File file = dir.resolve("transcripts.dat").toFile();
        return FileIdempotentRepository.fileIdempotentRepository(file, 1000);
    }

    @Test
    void everyFinishedTranscriptOnceAcrossARestartNoneMissingThoseListedLateAndFinishedWhileDownIncluded()
            throws Exception {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 120; i++) {
            String id = String.format("t%03d", i);
            put(id, Duration.ofMinutes(60 + 5L * i), true, false, "processed"); // from 1 h to 11 h ago
            expected.add(id);
        }
        put("live", Duration.ofMinutes(30), true, true, "default"); // still in progress
        put("summarizing", Duration.ofMinutes(45), true, false, "processing"); // over, its summary not ready
        put("old", Duration.ofDays(3), true, false, "processed"); // before the lookback: not ours

        CamelContext first = context(fileRepository());
        try {
            await().atMost(WAIT).until(() -> received.size() >= 120);
            // the next poll finds nothing new
            long calls = server.count("transcripts");
            await().atMost(WAIT).until(() -> server.count("transcripts") >= calls + 3);
            assertThat(received).hasSize(120).doesNotHaveDuplicates();
            assertThat(Set.copyOf(received)).isEqualTo(expected);
            // oldest first
            assertThat(received.get(0)).isEqualTo("t119");
            assertThat(received.get(119)).isEqualTo("t000");
        } finally {
            first.close();
        }
        // the first poll listed 122 transcripts in three pages of up to 50
        List<GraphQLStubServer.Request> firstPoll = server.requests().subList(0, 3);
        assertThat(firstPoll).extracting(r -> r.variables().path("skip").asInt()).containsExactly(0, 50, 100);
        assertThat(firstPoll).extracting(r -> r.variables().path("limit").asInt()).containsExactly(50, 50, 50);
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + KEY));

        // while the application is down: the live meeting ends, the summary is made, a meeting finishes, and the
        // API lists a transcript of five hours ago only now
        put("live", Duration.ofMinutes(30), true, false, "processed");
        put("summarizing", Duration.ofMinutes(45), true, false, "processed");
        put("while-down", Duration.ofMinutes(20), true, false, "processed");
        put("late-1", Duration.ofHours(5), true, false, "processed");
        expected.addAll(List.of("live", "summarizing", "while-down", "late-1"));

        CamelContext second = context(fileRepository());
        try {
            await().atMost(WAIT).until(() -> received.size() >= 124);
            // listed late while running: a meeting of three hours ago, and a new one
            put("late-2", Duration.ofHours(3), true, false, "processed");
            put("new", Duration.ofMinutes(1), true, false, "processed");
            expected.addAll(List.of("late-2", "new"));
            await().atMost(WAIT).until(() -> received.size() >= 126);
            long calls = server.count("transcripts");
            await().atMost(WAIT).until(() -> server.count("transcripts") >= calls + 6);
        } finally {
            second.close();
        }
        assertThat(received).hasSize(126).doesNotHaveDuplicates();
        assertThat(Set.copyOf(received)).isEqualTo(expected).doesNotContain("old");

        Transcript t = bodies.stream().filter(b -> b.id().equals("t007")).findFirst().orElseThrow();
        assertThat(t.title()).isEqualTo("Meeting t007");
        assertThat(t.sentences()).hasSize(2);
        assertThat(t.sentences().get(0).text()).isEqualTo("Hello t007");
        assertThat(t.summary().overview()).isEqualTo("About t007");
        assertThat(t.summary().gist()).isEqualTo("Gist");
        assertThat(t.summary().topicsDiscussed()).containsExactly("t1");
        assertThat(t.participants()).containsExactly("alice@example.com", "bob@example.com");
    }

    @Test
    void aTranscriptWhoseExchangeFailedIsEmittedAgainByTheNextPoll() throws Exception {
        put("a", Duration.ofHours(2), true, false, "processed");
        put("b", Duration.ofHours(1), true, false, "processed");
        Set<String> failOnce = ConcurrentHashMap.newKeySet();
        failOnce.add("a");
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("fireflies:transcripts?apiKey=RAW(" + KEY + ")&graphqlUrl=" + server.url()
                         + "&delay=100&initialDelay=0")
                            .process(e -> {
                                String id = e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID, String.class);
                                if (failOnce.remove(id)) {
                                    throw new IllegalStateException("route failed for " + id);
                                }
                                done.add(id);
                            });
                }
            });
            context.start();
            await().atMost(WAIT).until(() -> done.size() >= 2);
            long calls = server.count("transcripts");
            await().atMost(WAIT).until(() -> server.count("transcripts") >= calls + 2);
            assertThat(done).containsExactly("b", "a");
            TranscriptsConsumer consumer = (TranscriptsConsumer) context.getRoutes().get(0).getConsumer();
            assertThat(consumer.getFailedExchanges()).isEqualTo(1);
            assertThat(consumer.getTranscriptsEmitted()).isEqualTo(2);
        }
    }
}
