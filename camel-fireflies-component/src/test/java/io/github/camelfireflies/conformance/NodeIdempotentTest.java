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
package io.github.camelfireflies.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.internal.stream.SegmentKey;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.LiveConsumer;
import io.github.camelfireflies.api.FirefliesException.BackfillException;
import io.github.camelfireflies.testsupport.CapturingExceptionHandler;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code idempotentRepository} on {@code fireflies:live} against the genuine socket.io server: a consumer that stops
 * and starts again while the meeting goes on backfills the whole meeting and emits only what it had not emitted,
 * whichever source a segment comes from; a failed exchange is not recorded (non-eager), so it comes again; the other
 * emit modes do not use the repository; and a repository that fails holds the meeting, loses nothing and is reported
 * once. The multi-instance proof (two JVMs, PostgreSQL, ZooKeeper, SIGKILL) is in camel-fireflies-it.
 */
class NodeIdempotentTest extends CamelTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Speakers alternate, so one speaker starts a segment every 0.5 s: two quarter seconds apart. */
    private static final Duration EVERY = Duration.ofMillis(250);
    private static final String ROUTE = "idempotent";

    private static NodeSocketIoServer server;
    private final CapturingExceptionHandler errors = new CapturingExceptionHandler();
    private final MemoryIdempotentRepository emitted = new MemoryIdempotentRepository();
    private final FailingRepository failing = new FailingRepository();

    @BeforeAll
    static void startServer() {
        server = NodeSocketIoServer.start(); // aborts the class without Node.js (fails in CI)
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("captor", errors);
        emitted.start(); // a repository the consumer does not use (emit=revisions) is not started by it
        registry.bind("emitted", emitted);
        registry.bind("failing", failing);
    }

    private static String common() {
        return "apiKey=RAW(" + server.apiKey() + ")&url=" + server.url() + "&path=" + server.path() + "&graphqlUrl="
               + server.graphqlUrl() + "&exceptionHandler=#captor";
    }

    private static TranscriptionEvent body(Exchange e) {
        return e.getMessage().getBody(TranscriptionEvent.class);
    }

    /** {@code m<i>} from the socket, {@code backfill-<ms>-<speaker>} from the backfill (segment i starts at i/4 s). */
    private static int segment(Exchange e) {
        String id = body(e).chunkId();
        return id.startsWith("m") ? Integer.parseInt(id.substring(1))
                : (int) (Long.parseLong(id.split("-")[1]) / EVERY.toMillis());
    }

    private NotifyBuilder lastSegmentDone(int segments) {
        String chunk = MeetingScript.generatedChunkId(segments - 1);
        return new NotifyBuilder(context).filter(e -> body(e) != null && chunk.equals(body(e).chunkId()))
                .whenDone(1).create();
    }

    private LiveConsumer liveConsumer() {
        return (LiveConsumer) context.getRoute(ROUTE).getConsumer();
    }

    private static String keyOf(String tid, int segment) {
        return SegmentKey.of(tid, new TranscriptionEvent(tid, "any", "any", MeetingScript.generatedSpeaker(segment),
                segment * EVERY.toMillis() / 1000.0, null)).key();
    }

    @Test
    void aConsumerThatStartsAgainMidMeetingEmitsOnlyWhatItHadNotEmitted() throws Exception {
        String tid = "once-" + UUID.randomUUID();
        int segments = 48; // 12 s
        int failOn = 2;
        AtomicInteger failures = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("fireflies:live?transcriptId=" + tid + "&" + common()
                     + "&emit=final&finalizeAfter=300&backfill=all&idempotentRepository=#emitted")
                        .routeId(ROUTE)
                        .process(e -> {
                            // the first time segment 2 comes, the route fails: it must not be recorded
                            if (segment(e) == failOn && failures.getAndIncrement() == 0) {
                                throw new IllegalStateException("the route fails once on segment " + failOn);
                            }
                        })
                        .to("mock:out");
            }
        });
        MockEndpoint out = getMockEndpoint("mock:out");
        await().atMost(WAIT).until(() -> server.subscribers(tid) == 1);
        server.startMeeting(tid, MeetingScript.generated(segments, EVERY, 1));
        await().atMost(WAIT).until(() -> out.getReceivedCounter() >= 10);

        // a graceful stop: what is open is emitted final and recorded
        context.getRouteController().stopRoute(ROUTE);
        List<Exchange> firstRun = List.copyOf(out.getReceivedExchanges());
        assertThat(failures.get()).isEqualTo(1);
        assertThat(emitted.getCacheSize()).as("recorded: what the route completed").isEqualTo(firstRun.size());
        for (Exchange e : firstRun) {
            assertThat(emitted.contains(keyOf(tid, segment(e)))).as("segment %s recorded", segment(e)).isTrue();
        }
        assertThat(emitted.contains(keyOf(tid, failOn))).as("the failed exchange is not recorded").isFalse();
        int lastOfFirstRun = firstRun.stream().mapToInt(NodeIdempotentTest::segment).max().orElseThrow();

        // the meeting goes on while nobody listens, then the consumer starts again: a backfill of the whole meeting
        int sentAtStop = server.meetingProgress(tid).sent();
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).sent() >= sentAtStop + 12);
        NotifyBuilder last = lastSegmentDone(segments);
        context.getRouteController().startRoute(ROUTE);
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).done());
        server.endMeeting(tid);
        assertThat(last.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        List<Exchange> all = out.getReceivedExchanges();
        List<Exchange> secondRun = all.subList(firstRun.size(), all.size());
        Map<Integer, Integer> times = new TreeMap<>();
        for (Exchange e : all) {
            int i = segment(e);
            times.merge(i, 1, Integer::sum);
            assertThat(e.getMessage().getHeader(FirefliesConstants.CHUNK_FINAL)).isEqualTo(Boolean.TRUE);
            // the segment open at the stop was flushed at the text it had then
            assertThat(body(e).text()).isIn(MeetingScript.generatedText(i, 1),
                    i == lastOfFirstRun ? MeetingScript.generatedText(i, 0) : MeetingScript.generatedText(i, 1));
        }
        Map<Integer, Integer> once = new TreeMap<>();
        for (int i = 0; i < segments; i++) {
            once.put(i, 1);
        }
        assertThat(times).as("every segment exactly once over both runs").isEqualTo(once);
        assertThat(secondRun).as("the failed segment comes again, from the backfill")
                .anySatisfy(e -> assertThat(segment(e)).isEqualTo(failOn));
        assertThat(secondRun.stream().filter(e -> Boolean.TRUE.equals(e.getMessage().getHeader(FirefliesConstants.BACKFILL))))
                .as("the part said to nobody came from the backfill").hasSizeGreaterThanOrEqualTo(6);
        assertThat(liveConsumer().getDuplicateSegmentsSkipped()).as("the backfill offered again what the first run emitted")
                .isEqualTo(firstRun.size());
        assertThat(liveConsumer().getIdempotentRepositoryFailures()).isZero();
        assertThat(emitted.getCacheSize()).isEqualTo(segments);
        assertThat(server.transcriptCalls(tid)).isEqualTo(2); // one per start with backfill=all
        // reported: the failed exchange (and, when the first start fetched before the meeting began, "not found")
        assertThat(errors.errors()).filteredOn(e -> !(e instanceof BackfillException)).singleElement()
                .satisfies(e -> assertThat(e).hasMessageContaining("fails once on segment"));
        assertThat(errors.messages()).noneMatch(m -> m.contains("idempotent"));
    }

    @Test
    void withEmitRevisionsTheRepositoryIsNotUsed() throws Exception {
        String tid = "once-" + UUID.randomUUID();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("fireflies:live?transcriptId=" + tid + "&" + common()
                     + "&emit=revisions&backfill=none&idempotentRepository=#emitted").routeId(ROUTE).to("mock:out");
            }
        });
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedMessageCount(12); // 6 segments, 2 events each
        await().atMost(WAIT).until(() -> server.subscribers(tid) == 1);
        server.startMeeting(tid, MeetingScript.generated(6, EVERY, 1).endingWhenDone());
        out.assertIsSatisfied(WAIT.toMillis());
        assertThat(emitted.getCacheSize()).isZero();
        assertThat(liveConsumer().getDuplicateSegmentsSkipped()).isZero();
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void aRepositoryThatFailsHoldsTheMeetingAndLosesNothingOnceItIsBack() throws Exception {
        String tid = "once-" + UUID.randomUUID();
        int segments = 8;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("fireflies:live?transcriptId=" + tid + "&" + common()
                     + "&emit=final&finalizeAfter=200&backfill=none&idempotentRepository=#failing")
                        .routeId(ROUTE).to("mock:out");
            }
        });
        MockEndpoint out = getMockEndpoint("mock:out");
        await().atMost(WAIT).until(() -> server.subscribers(tid) == 1);
        NotifyBuilder last = lastSegmentDone(segments);
        server.startMeeting(tid, MeetingScript.generated(segments, EVERY, 1).endingWhenDone());
        // the database is down: the first segment waits for it, tried again, and nothing is routed meanwhile
        await().atMost(WAIT).until(() -> failing.calls.get() >= 3);
        assertThat(out.getReceivedExchanges()).isEmpty();
        assertThat(liveConsumer().getIdempotentRepositoryFailures()).isGreaterThanOrEqualTo(3);
        failing.down = false; // back
        assertThat(last.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        List<Integer> order = new ArrayList<>();
        out.getReceivedExchanges().forEach(e -> order.add(segment(e)));
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(errors.messages()).singleElement().asString()
                .contains("cannot check whether segment m0 of transcript " + tid + " was emitted before in the"
                          + " idempotent repository; the meeting waits");
        assertThat(errors.errors()).hasSize(1);
        assertThat(errors.errors().get(0)).hasMessage("the database is down");
        assertThat(failing.memory.getCacheSize()).as("every segment recorded once it was back").isEqualTo(segments);
    }

    /** A repository whose every call fails while {@link #down}, as a database that is down would. */
    static final class FailingRepository implements IdempotentRepository {

        final AtomicInteger calls = new AtomicInteger();
        final MemoryIdempotentRepository memory = new MemoryIdempotentRepository();
        volatile boolean down = true;

        private void failIfDown() {
            if (down) {
                calls.incrementAndGet();
                throw new IllegalStateException("the database is down");
            }
        }

        @Override
        public boolean add(String key) {
            failIfDown();
            return memory.add(key);
        }

        @Override
        public boolean contains(String key) {
            failIfDown();
            return memory.contains(key);
        }

        @Override
        public boolean remove(String key) {
            failIfDown();
            return memory.remove(key);
        }

        @Override
        public boolean confirm(String key) {
            failIfDown();
            return memory.confirm(key);
        }

        @Override
        public void clear() {
            failIfDown();
            memory.clear();
        }

        @Override
        public void start() {
            memory.start();
        }

        @Override
        public void stop() {
        }
    }
}
