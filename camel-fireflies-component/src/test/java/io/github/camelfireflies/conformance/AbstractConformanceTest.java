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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.FirefliesException;
import io.github.camelfireflies.testsupport.FirefliesTestServer;
import io.github.camelfireflies.simulator.Shape;
import io.github.camelfireflies.testsupport.LiveRouteTestSupport;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the {@code fireflies:live} consumer must do against a Fireflies-like server. Runs against the genuine socket.io
 * server ({@link NodeConformanceTest}) and against our Java simulator (in the simulator module), so neither the
 * consumer nor the simulator can drift from the real protocol.
 */
public abstract class AbstractConformanceTest extends LiveRouteTestSupport<FirefliesTestServer> {

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final Duration AWAIT = Duration.ofSeconds(15);

    protected String uri(String transcriptId, String apiKey, String extra) {
        return "fireflies:live?transcriptId=" + transcriptId + "&apiKey=RAW(" + apiKey + ")&url=" + server.url()
               + "&path=" + server.path() + "&exceptionHandler=#captor&reconnectDelay=50&reconnectDelayMax=200"
               + (extra == null || extra.isEmpty() ? "" : "&" + extra);
    }

    protected MockEndpoint route(String transcriptId, String apiKey, String extra, String mock) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(transcriptId, apiKey, extra)).routeId("r-" + mock).to("mock:" + mock);
            }
        });
        if (!context.isStarted()) {
            context.start();
        }
        return context.getEndpoint("mock:" + mock, MockEndpoint.class);
    }

    protected static ObjectNode chunk(String transcriptId, String chunkId, String text, String speaker, Object start,
                                      Object end) {
        ObjectNode o = JSON.createObjectNode();
        o.put("transcript_id", transcriptId);
        o.put("chunk_id", chunkId);
        o.put("text", text);
        o.put("speaker_name", speaker);
        putNumber(o, "start_time", start);
        putNumber(o, "end_time", end);
        return o;
    }

    private static void putNumber(ObjectNode o, String field, Object value) {
        if (value instanceof Integer i) {
            o.put(field, i);
        } else if (value instanceof Double d) {
            o.put(field, d);
        } else {
            o.put(field, String.valueOf(value));
        }
    }

    protected static TranscriptionEvent expected(JsonNode o) {
        return new TranscriptionEvent(o.get("transcript_id").asText(), o.get("chunk_id").asText(), o.get("text").asText(),
                o.get("speaker_name").asText(), o.get("start_time").asDouble(), o.get("end_time").asDouble());
    }

    // ----------------------------------------------------------------------------------------------- tests

    @Test
    void eventsOfAllThreeShapesArriveInOrderWithEveryFieldExact() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, server.apiKey(), "", "shapes");

        // 40 segments, each revised 1..4 times (same chunk_id, growing text): 100 events, sent in three shapes
        List<JsonNode> sent = new ArrayList<>();
        String[] speakers = { "Alice", "Bob", "Chen Wei", "Dana" };
        for (int seg = 0; sent.size() < 100; seg++) {
            int revisions = 1 + seg % 4;
            StringBuilder text = new StringBuilder();
            for (int r = 0; r < revisions && sent.size() < 100; r++) {
                text.append(r == 0 ? "" : " ").append("word").append(r);
                Object start = seg == 0 ? (Object) 0 : (Object) (seg * 1.5);
                sent.add(chunk(tid, "chunk-" + seg, text.toString(), speakers[seg % 4], start, seg * 1.5 + 1.39));
            }
        }
        mock.expectedMessageCount(sent.size());
        server.emitTranscription(tid, sent.subList(0, 34), Shape.FLAT, AWAIT);
        server.emitTranscription(tid, sent.subList(34, 67), Shape.PAYLOAD, AWAIT);
        server.emitTranscription(tid, sent.subList(67, 100), Shape.DATA, AWAIT);
        mock.assertIsSatisfied(AWAIT.toMillis());

        List<Exchange> got = mock.getReceivedExchanges();
        for (int i = 0; i < sent.size(); i++) {
            TranscriptionEvent want = expected(sent.get(i));
            Exchange ex = got.get(i);
            assertThat(ex.getMessage().getBody()).as("event %d", i).isEqualTo(want);
            assertThat(ex.getMessage().getHeader(FirefliesConstants.EVENT)).isEqualTo("transcription.broadcast");
            assertThat(ex.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID)).isEqualTo(tid);
            assertThat(ex.getMessage().getHeader(FirefliesConstants.CHUNK_ID)).isEqualTo(want.chunkId());
            assertThat(ex.getMessage().getHeader(FirefliesConstants.SPEAKER_NAME)).isEqualTo(want.speakerName());
            assertThat(ex.getMessage().getHeader(FirefliesConstants.START_TIME, Double.class)).isEqualTo(want.startTime());
            assertThat(ex.getMessage().getHeader(FirefliesConstants.END_TIME, Double.class)).isEqualTo(want.endTime());
        }
        // the first event's start_time was sent as the integer 0
        assertThat(got.get(0).getMessage().getHeader(FirefliesConstants.START_TIME)).isEqualTo(0.0);
        // the body converts to its JSON with the documented names
        String json = got.get(0).getMessage().getBody(String.class);
        assertThat(JSON.readTree(json)).isEqualTo(JSON.readTree(JSON.writeValueAsString(Map.of(
                "transcript_id", tid, "chunk_id", "chunk-0", "text", "word0", "speaker_name", "Alice",
                "start_time", 0.0, "end_time", 1.39))));
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void badApiKeyIsReportedOnceAndNeverRetried() throws Exception {
        String tid = newTranscriptId();
        String badKey = "wrong-key-" + UUID.randomUUID();
        route(tid, badKey, "", "badkey");

        await().atMost(AWAIT).until(() -> !errors.errors().isEmpty());
        assertThat(errors.errors().get(0)).isInstanceOf(FirefliesException.AuthenticationException.class)
                .hasMessageContaining(tid)
                .hasMessageContaining("Invalid API key");
        // no second connection attempt, however long we wait
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> server.connectAttempts(tid) == 1);
        assertThat(errors.allText()).doesNotContain(badKey);
        assertThat(context.getRoute("r-badkey").getEndpoint().toString()).doesNotContain(badKey);
    }

    @Test
    void middlewareRejectionIsAClearFinalError() throws Exception {
        String tid = newTranscriptId();
        route(tid, FirefliesTestServer.REJECT_KEY, "", "rejected");

        await().atMost(AWAIT).until(() -> !errors.errors().isEmpty());
        assertThat(errors.errors().get(0)).isInstanceOf(FirefliesException.AuthenticationException.class)
                .hasMessageContaining("refused")
                .hasMessageContaining("rejected by middleware");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> server.connectAttempts(tid) == 1);
    }

    @Test
    void fiveTranscriptsInOneContextDoNotCrossTalk() throws Exception {
        List<String> tids = new ArrayList<>();
        List<MockEndpoint> mocks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String tid = newTranscriptId();
            tids.add(tid);
            mocks.add(route(tid, server.apiKey(), "", "m" + i));
        }
        for (int i = 0; i < 5; i++) {
            mocks.get(i).expectedMessageCount(10);
        }
        for (int i = 0; i < 5; i++) {
            List<JsonNode> events = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                events.add(chunk(tids.get(i), "c" + k, "meeting " + i + " line " + k, "S" + i, k, k + 0.5));
            }
            server.emitTranscription(tids.get(i), events, Shape.FLAT, AWAIT);
        }
        MockEndpoint.assertIsSatisfied(AWAIT.toMillis(), TimeUnit.MILLISECONDS, mocks.toArray(new MockEndpoint[0]));
        for (int i = 0; i < 5; i++) {
            for (Exchange ex : mocks.get(i).getReceivedExchanges()) {
                TranscriptionEvent e = ex.getMessage().getBody(TranscriptionEvent.class);
                assertThat(e.transcriptId()).isEqualTo(tids.get(i));
                assertThat(e.text()).startsWith("meeting " + i + " ");
            }
        }
    }

    @Test
    void largeAndNonLatinTextsArriveIntact() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, server.apiKey(), "", "large");
        StringBuilder big = new StringBuilder(1 << 20);
        while (big.length() < (1 << 20)) {
            big.append("The quick brown fox jumps over the lazy dog. ");
        }
        big.setLength(1 << 20);
        String emoji = "Launch 🚀 ✅ — שלום עולם — مرحبا بالعالم — 你好 — e\u0301";
        mock.expectedMessageCount(2);
        server.emitTranscription(tid, List.of(chunk(tid, "big", big.toString(), "Alice", 0, 60.0),
                chunk(tid, "uni", emoji, "Dana", 61.0, 62.5)), Shape.FLAT, AWAIT);
        mock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(mock.getReceivedExchanges().get(0).getMessage().getBody(TranscriptionEvent.class).text())
                .isEqualTo(big.toString());
        assertThat(mock.getReceivedExchanges().get(1).getMessage().getBody(TranscriptionEvent.class).text())
                .isEqualTo(emoji);
    }

    @Test
    void malformedInputIsReportedAndSkippedAndTheNextEventArrives() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, server.apiKey(), "", "malformed");
        mock.expectedMessageCount(2);
        server.emitTranscription(tid, List.of(chunk(tid, "c1", "before", "Alice", 0, 1.0)), Shape.FLAT, AWAIT);
        server.emitRawFrame(tid, "42[\"transcription.broadcast\",{\"chunk_id\":", AWAIT); // broken JSON
        server.emitEvent(tid, "transcription.broadcast", List.of(JSON.createObjectNode().put("text", "no id")), AWAIT);
        server.emitEvent(tid, "transcription.broadcast", List.of(JSON.getNodeFactory().textNode("not an object")), AWAIT);
        server.emitBinaryEvent(tid, "transcription.broadcast", new byte[] { 1, 2, 3 }, AWAIT);
        server.emitTranscription(tid, List.of(chunk(tid, "c2", "after", "Bob", 1.0, 2.0)), Shape.FLAT, AWAIT);
        mock.assertIsSatisfied(AWAIT.toMillis());

        assertThat(mock.getReceivedExchanges()).extracting(e -> e.getMessage().getBody(TranscriptionEvent.class).text())
                .containsExactly("before", "after");
        await().atMost(AWAIT).until(() -> errors.errors().size() >= 4);
        assertThat(errors.errors()).hasSize(4).allSatisfy(
                e -> assertThat(e).isInstanceOf(FirefliesException.MalformedEventException.class));
        assertThat(errors.errors().get(0)).hasMessageContaining("Malformed JSON");
        assertThat(errors.errors().get(1)).hasMessageContaining("chunk_id");
        assertThat(errors.errors().get(2)).hasMessageContaining("not a JSON object");
        assertThat(errors.errors().get(3)).hasMessageContaining("Binary event");
    }

    @Test
    void everyEventWithStarIncludingLifecycle() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, server.apiKey(), "events=*", "star");
        mock.expectedMinimumMessageCount(3);
        server.emitTranscription(tid, List.of(chunk(tid, "c1", "hello", "Alice", 0, 1.0)), Shape.FLAT, AWAIT);
        mock.assertIsSatisfied(AWAIT.toMillis());
        List<Exchange> got = mock.getReceivedExchanges();
        assertThat(got).extracting(e -> e.getMessage().getHeader(FirefliesConstants.EVENT))
                .containsExactly("auth.success", "connection.established", "transcription.broadcast");
        assertThat(got.get(0).getMessage().getBody()).isInstanceOf(Map.class);
        assertThat(got.get(1).getMessage().getBody()).isNull();
        assertThat(got.get(2).getMessage().getBody()).isInstanceOf(TranscriptionEvent.class);
    }

    @Test
    void otherEventsAreIgnoredUnlessSelected() throws Exception {
        String tid = newTranscriptId();
        MockEndpoint mock = route(tid, server.apiKey(), "events=custom.one,transcription.broadcast", "selected");
        mock.expectedMessageCount(2);
        server.emitEvent(tid, "custom.two", List.of(), AWAIT);
        server.emitEvent(tid, "custom.one", List.of(JSON.createObjectNode().put("k", 1)), AWAIT);
        server.emitTranscription(tid, List.of(chunk(tid, "c1", "hi", "Bob", 0, 1.0)), Shape.FLAT, AWAIT);
        mock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(mock.getReceivedExchanges()).extracting(e -> e.getMessage().getHeader(FirefliesConstants.EVENT))
                .containsExactly("custom.one", "transcription.broadcast");
        assertThat(mock.getReceivedExchanges().get(0).getMessage().getBody()).isEqualTo(Map.of("k", 1));
    }
}
