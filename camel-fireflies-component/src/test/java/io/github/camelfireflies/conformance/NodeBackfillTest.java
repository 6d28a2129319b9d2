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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.LiveConsumer;
import io.github.camelfireflies.MeetingsConsumer;
import io.github.camelfireflies.api.FirefliesException.BackfillException;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.simulator.Shape;
import io.github.camelfireflies.testsupport.CapturingExceptionHandler;
import io.github.camelfireflies.testsupport.NodeSocketIoServer.MeetingProgress;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Complete transcripts (issue 10) against the genuine socket.io server: meetings that play on their own, whether the
 * consumer listens or not, and a GraphQL {@code transcript(id)} that answers with the live sentences heard so far. A
 * connection dropped while the meeting goes on, a route that joins 10 s into a meeting, and {@code fireflies:meetings}
 * finding a meeting that started before its first poll: each transcript misses no segment, and with
 * {@code emit=final} has each exactly once, in start order.
 */
class NodeBackfillTest extends CamelTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Generated meetings: one segment every 200 ms (speakers alternate), so segment i starts at i * 0.2 s. */
    private static final Duration EVERY = Duration.ofMillis(200);

    private static NodeSocketIoServer server;
    private final CapturingExceptionHandler errors = new CapturingExceptionHandler();

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
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static String newTranscriptId() {
        return "bf-" + UUID.randomUUID();
    }

    /** The options every route here shares: the server, its GraphQL endpoint, the key, the captor. */
    private static String common() {
        return "apiKey=RAW(" + server.apiKey() + ")&url=" + server.url() + "&path=" + server.path() + "&graphqlUrl="
               + server.graphqlUrl() + "&exceptionHandler=#captor";
    }

    private MockEndpoint route(String from) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).routeId("backfill").to("mock:out");
            }
        });
        return getMockEndpoint("mock:out");
    }

    private static TranscriptionEvent body(Exchange e) {
        return e.getMessage().getBody(TranscriptionEvent.class);
    }

    private static boolean backfilled(Exchange e) {
        return Boolean.TRUE.equals(e.getMessage().getHeader(FirefliesConstants.BACKFILL));
    }

    /**
     * Which generated segment an exchange is: {@code m<i>} from the socket, {@code backfill-<ms>-<speaker>} from the
     * backfill (segment i starts at i * 200 ms); checks that a backfill id names the segment's speaker.
     */
    private static int segment(Exchange e) {
        String id = body(e).chunkId();
        if (id.startsWith("m")) {
            return Integer.parseInt(id.substring(1));
        }
        assertThat(id).startsWith("backfill-");
        String[] parts = id.split("-");
        int i = (int) (Long.parseLong(parts[1]) / EVERY.toMillis());
        assertThat(parts[2]).isEqualTo(MeetingScript.generatedSpeaker(i).toLowerCase());
        return i;
    }

    /** Every segment 0..n-1 once, in order, at its last text, and final. */
    private static void assertEachSegmentOnceInStartOrder(List<Exchange> exchanges, int segments, int revisions) {
        List<Integer> order = new ArrayList<>();
        for (Exchange e : exchanges) {
            order.add(segment(e));
            Message m = e.getMessage();
            assertThat(m.getHeader(FirefliesConstants.CHUNK_FINAL)).as(body(e).chunkId()).isEqualTo(Boolean.TRUE);
            assertThat(m.getHeader(FirefliesConstants.CORRECTION)).as(body(e).chunkId()).isEqualTo(Boolean.FALSE);
            assertThat(body(e).text()).isEqualTo(MeetingScript.generatedText(segment(e), revisions));
            assertThat(body(e).speakerName()).isEqualTo(MeetingScript.generatedSpeaker(segment(e)));
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            expected.add(i);
        }
        assertThat(order).containsExactlyElementsOf(expected);
    }

    /** Every segment 0..n-1 present, its last exchange at its last text, one chunk id per segment. */
    private static void assertNoSegmentMissing(List<Exchange> exchanges, int segments, int revisions) {
        Map<Integer, String> lastText = new LinkedHashMap<>();
        Map<Integer, String> chunkId = new LinkedHashMap<>();
        for (Exchange e : exchanges) {
            int i = segment(e);
            lastText.put(i, body(e).text());
            String previous = chunkId.putIfAbsent(i, body(e).chunkId());
            assertThat(previous == null ? body(e).chunkId() : previous).as("one chunk id for segment " + i)
                    .isEqualTo(body(e).chunkId());
        }
        assertThat(lastText).hasSize(segments);
        lastText.forEach((i, text) -> assertThat(text).as("segment " + i).isEqualTo(MeetingScript.generatedText(i, revisions)));
    }

    /** Done once the last generated segment was routed at its last text (whatever the emit mode). */
    private NotifyBuilder lastSegmentDone(int segments, int revisions) {
        String chunk = MeetingScript.generatedChunkId(segments - 1);
        String text = MeetingScript.generatedText(segments - 1, revisions);
        return new NotifyBuilder(context)
                .filter(e -> body(e) != null && chunk.equals(body(e).chunkId()) && text.equals(body(e).text()))
                .whenDone(1).create();
    }

    private LiveConsumer liveConsumer() {
        return (LiveConsumer) context.getRoute("backfill").getConsumer();
    }

    private static Object detail(HealthCheck check, String name) {
        return check.call().getDetails().get(name);
    }

    // ------------------------------------------------------------------------------------------ a dropped connection

    @ParameterizedTest
    @ValueSource(strings = { "final", "revisions", "changes" })
    void aDropWhileTheMeetingGoesOnIsHealedFromTheLiveSentences(String emit) throws Exception {
        String tid = newTranscriptId();
        int segments = 40;
        int revisions = 2;
        // a reconnect a second after the drop: about five segments are said to nobody meanwhile
        MockEndpoint out = route("fireflies:live?transcriptId=" + tid + "&" + common() + "&emit=" + emit
                                 + "&finalizeAfter=300&reconnectDelay=1000&reconnectDelayMax=1000&randomizationFactor=0");
        await().atMost(WAIT).until(() -> server.subscribers(tid) == 1);
        NotifyBuilder last = lastSegmentDone(segments, revisions);
        server.startMeeting(tid, MeetingScript.generated(segments, EVERY, revisions));
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).sent() >= 30); // ten segments in
        assertThat(server.dropConnections(tid, true)).isEqualTo(1);
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).done());
        MeetingProgress played = server.meetingProgress(tid);
        assertThat(played.unheard()).as("events said to nobody").isGreaterThanOrEqualTo(9);
        assertThat(played.subscribers()).isEqualTo(1);

        server.endMeeting(tid); // the server's DISCONNECT: open segments are final
        assertThat(last.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        List<Exchange> received = out.getReceivedExchanges();
        if (emit.equals("final")) {
            assertEachSegmentOnceInStartOrder(received, segments, revisions);
        } else {
            assertNoSegmentMissing(received, segments, revisions);
            // changes: no exchange repeats the text of the one before it for the same segment
            if (emit.equals("changes")) {
                Map<String, String> previous = new LinkedHashMap<>();
                for (Exchange e : received) {
                    assertThat(previous.put(body(e).chunkId(), body(e).text())).isNotEqualTo(body(e).text());
                }
            }
        }
        // the gap's segments came from the backfill, marked, and the first exchange after the reconnect says so
        List<Exchange> healed = received.stream().filter(NodeBackfillTest::backfilled).toList();
        assertThat(healed).isNotEmpty();
        List<Integer> marked = new ArrayList<>();
        for (int i = 0; i < received.size(); i++) {
            if (Boolean.TRUE.equals(received.get(i).getMessage().getHeader(FirefliesConstants.RECONNECTED))) {
                marked.add(i);
            }
        }
        assertThat(marked).hasSize(1);
        assertThat(marked.get(0)).as("the gap is marked no later than its first healed segment")
                .isLessThanOrEqualTo(received.indexOf(healed.get(0)));
        assertThat(healed.stream().filter(e -> body(e).chunkId().startsWith("backfill-")).count())
                .as("whole segments said to nobody").isGreaterThanOrEqualTo(3);
        // one GraphQL call, counted, and no error
        assertThat(server.transcriptCalls(tid)).isEqualTo(1);
        assertThat(liveConsumer().getBackfillCalls()).isEqualTo(1);
        assertThat(liveConsumer().getBackfilledEvents()).isEqualTo(healed.size());
        assertThat(detail(liveConsumer().getHealthCheck(), "backfill.calls")).isEqualTo(1L);
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void aRateLimitedBackfillWaitsForRetryAfterAndStillHealsTheGap() throws Exception {
        String tid = newTranscriptId();
        int segments = 30;
        MockEndpoint out = route("fireflies:live?transcriptId=" + tid + "&" + common()
                                 + "&emit=final&finalizeAfter=300&reconnectDelay=800&reconnectDelayMax=800"
                                 + "&randomizationFactor=0");
        await().atMost(WAIT).until(() -> server.subscribers(tid) == 1);
        NotifyBuilder last = lastSegmentDone(segments, 1);
        server.startMeeting(tid, MeetingScript.generated(segments, EVERY, 1));
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).sent() >= 16);
        int callsBefore = server.transcriptCalls(tid);
        server.rateLimitGraphQL(1, 1); // the first backfill call gets 429 with Retry-After: 1
        server.dropConnections(tid, true);
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).done());
        await().atMost(WAIT).until(() -> server.transcriptCalls(tid) == callsBefore + 2);
        server.endMeeting(tid);
        assertThat(last.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        assertEachSegmentOnceInStartOrder(out.getReceivedExchanges(), segments, 1);
        List<NodeSocketIoServer.GraphQLCall> calls = server.graphqlCallLog().stream()
                .filter(c -> tid.equals(c.transcriptId())).toList();
        assertThat(calls).extracting(NodeSocketIoServer.GraphQLCall::status).containsExactly(429, 200);
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).as("Retry-After: 1")
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        // one backfill call: the GraphQL client sent it again itself after the Retry-After (the key's rate budget held
        // it back meanwhile); the server saw both requests, above
        assertThat(liveConsumer().getBackfillCalls()).isEqualTo(1);
        assertThat(errors.errors()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ a late join

    @Test
    void aConsumerThatJoinsTenSecondsIntoAMeetingWithBackfillAllGetsItAll() throws Exception {
        String tid = newTranscriptId();
        Duration every = Duration.ofMillis(500);
        int segments = 40; // 20 s
        MeetingProgress started = server.startMeeting(tid, MeetingScript.generated(segments, every, 1));
        Instant tenSecondsIn = started.startedAt().plusSeconds(10);
        await().atMost(WAIT).until(() -> !Instant.now().isBefore(tenSecondsIn));
        NotifyBuilder last = lastSegmentDone(segments, 1);
        MockEndpoint out = route("fireflies:live?transcriptId=" + tid + "&" + common()
                                 + "&backfill=all&emit=final&finalizeAfter=600");
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).done());
        MeetingProgress played = server.meetingProgress(tid);
        assertThat(played.unheard()).as("said before the consumer joined").isGreaterThanOrEqualTo(38);
        server.endMeeting(tid);
        assertThat(last.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        List<Exchange> received = out.getReceivedExchanges();
        List<Integer> order = new ArrayList<>();
        for (Exchange e : received) {
            String id = body(e).chunkId();
            order.add(id.startsWith("m") ? Integer.parseInt(id.substring(1)) : (int) (Long.parseLong(id.split("-")[1]) / 500));
            assertThat(body(e).text()).isEqualTo(MeetingScript.generatedText(order.get(order.size() - 1), 1));
            assertThat(e.getMessage().getHeader(FirefliesConstants.CHUNK_FINAL)).isEqualTo(Boolean.TRUE);
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            expected.add(i);
        }
        assertThat(order).containsExactlyElementsOf(expected);
        // the segments said before the consumer joined (about 20) came from the backfill, first; the rest from the socket
        Map<String, Boolean> heard = new LinkedHashMap<>();
        server.meetingLog(tid).forEach(ev -> heard.merge(ev.chunkId(), ev.sockets() > 0, Boolean::logicalOr));
        long saidBeforeJoin = heard.values().stream().filter(h -> !h).count();
        assertThat(saidBeforeJoin).isGreaterThanOrEqualTo(19);
        long fromBackfill = received.stream().filter(NodeBackfillTest::backfilled).count();
        assertThat(fromBackfill).isEqualTo(saidBeforeJoin);
        assertThat(received.subList(0, (int) fromBackfill)).allMatch(NodeBackfillTest::backfilled);
        assertThat(server.transcriptCalls(tid)).isEqualTo(1);
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void withTheDefaultGapsALateConsumerGetsOnlyWhatIsSaidFromItsJoinOn() throws Exception {
        String tid = newTranscriptId();
        int segments = 30;
        server.startMeeting(tid, MeetingScript.generated(segments, EVERY, 1));
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).sent() >= 20);
        NotifyBuilder last = lastSegmentDone(segments, 1);
        MockEndpoint out = route("fireflies:live?transcriptId=" + tid + "&" + common() + "&emit=final&finalizeAfter=300");
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).done());
        server.endMeeting(tid);
        assertThat(last.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(out.getReceivedExchanges()).isNotEmpty().noneMatch(NodeBackfillTest::backfilled);
        assertThat(segment(out.getReceivedExchanges().get(0))).isGreaterThanOrEqualTo(9);
        assertThat(server.transcriptCalls(tid)).as("no reconnect, no call").isZero();
        assertThat(liveConsumer().getBackfillCalls()).isZero();
    }

    // ------------------------------------------------------------------------------------------ fireflies:meetings

    @Test
    void meetingsFindsAMeetingThatStartedBeforeItsFirstPollAndBackfillsItsBeginning() throws Exception {
        String tid = newTranscriptId();
        String organizer = "organizer-" + UUID.randomUUID() + "@example.com";
        int segments = 30;
        server.startMeeting(tid, MeetingScript.generated(segments, EVERY, 1).withOrganizerEmail(organizer)
                .withTitle("Started early"));
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).sent() >= 20); // ten segments before the poll
        // backfill is not set: all is the default of fireflies:meetings
        NotifyBuilder last = lastSegmentDone(segments, 1);
        MockEndpoint out = route("fireflies:meetings?email=" + organizer + "&" + common()
                                 + "&emit=final&finalizeAfter=300&pollInterval=60000");
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).done());
        server.endMeeting(tid);
        assertThat(last.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        List<Exchange> received = out.getReceivedExchanges();
        assertEachSegmentOnceInStartOrder(received, segments, 1);
        assertThat(received).allSatisfy(e -> {
            assertThat(e.getMessage().getHeader(FirefliesConstants.MEETING_TITLE)).isEqualTo("Started early");
            assertThat(e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID)).isEqualTo(tid);
        });
        assertThat(received.stream().filter(NodeBackfillTest::backfilled).count()).isGreaterThanOrEqualTo(9);
        assertThat(backfilled(received.get(0))).isTrue();
        MeetingsConsumer consumer = (MeetingsConsumer) context.getRoute("backfill").getConsumer();
        assertThat(server.transcriptCalls(tid)).isEqualTo(1);
        assertThat(consumer.getBackfillCalls()).isEqualTo(1);
        assertThat(consumer.getBackfilledEvents()).isEqualTo(received.stream().filter(NodeBackfillTest::backfilled).count());
        assertThat(detail(consumer.getHealthCheck(), "backfill.calls")).isEqualTo(1L);
        assertThat(errors.errors()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ failures

    @Test
    void aMeetingThatIsNoLongerLiveIsReportedOnceAndLiveEventsGoOn() throws Exception {
        String tid = newTranscriptId();
        server.startMeeting(tid, MeetingScript.generated(2, Duration.ofMillis(10), 0).endingWhenDone());
        await().atMost(WAIT).until(() -> !server.meetingProgress(tid).live());
        route("fireflies:live?transcriptId=" + tid + "&" + common() + "&backfill=all");
        await().atMost(WAIT).until(() -> !errors.errors().isEmpty());
        // the expectation is set before the event is sent: set while it arrives, the mock could miss its body
        MockEndpoint out = getMockEndpoint("mock:out");
        out.expectedBodiesReceived(new TranscriptionEvent(tid, "after", "still here", null, null, null));
        server.emitTranscription(tid, List.of(JsonNodeFactory.instance.objectNode().put("chunk_id", "after")
                .put("text", "still here")), Shape.FLAT, WAIT);
        out.assertIsSatisfied(WAIT.toMillis());
        assertThat(errors.errors()).singleElement().isInstanceOfSatisfying(BackfillException.class, e -> {
            assertThat(e.getReason()).isEqualTo(BackfillException.Reason.NOT_LIVE);
            assertThat(e.getTranscriptId()).isEqualTo(tid);
            assertThat(e.getMessage()).doesNotContain(server.apiKey());
        });
        assertThat(server.transcriptCalls(tid)).isEqualTo(1);
    }

    @Test
    void aFailedFetchIsReportedOnceWithoutTheKey() throws Exception {
        String tid = "never-started-" + UUID.randomUUID(); // the GraphQL API knows no such transcript
        route("fireflies:live?transcriptId=" + tid + "&" + common() + "&backfill=all");
        await().atMost(WAIT).until(() -> !errors.errors().isEmpty());
        assertThat(errors.errors()).singleElement().isInstanceOfSatisfying(BackfillException.class, e -> {
            assertThat(e.getReason()).isEqualTo(BackfillException.Reason.FAILED);
            assertThat(e.getMessage()).contains(tid, "object_not_found").doesNotContain(server.apiKey());
        });
        assertThat(liveConsumer().getBackfillCalls()).isEqualTo(1);
    }
}
