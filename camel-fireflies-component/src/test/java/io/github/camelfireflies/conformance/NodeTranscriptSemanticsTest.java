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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.simulator.Shape;
import io.github.camelfireflies.testsupport.LiveRouteTestSupport;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code emit} modes (issue #4) end to end, against the genuine socket.io server: a scripted meeting of 60
 * segments, each revised 1 to 4 times (some revisions repeated exactly), through {@code revisions}, {@code changes}
 * and {@code final}; out-of-order revisions, late corrections, a dropped connection and a consumer stop.
 */
class NodeTranscriptSemanticsTest extends LiveRouteTestSupport<NodeSocketIoServer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final int SEGMENTS = 60;
    private static final String[] SPEAKERS = { "Alice", "Bob", "Chen Wei", "Dana" };

    @Override
    protected NodeSocketIoServer startServer() {
        return NodeSocketIoServer.start();
    }

    // ------------------------------------------------------------------------------------------ helpers

    private MockEndpoint route(String tid, String extra) throws Exception {
        String uri = "fireflies:live?transcriptId=" + tid + "&apiKey=RAW(" + server.apiKey() + ")&url=" + server.url()
                     + "&path=" + server.path() + "&exceptionHandler=#captor&reconnectDelay=50&reconnectDelayMax=200&"
                     + extra;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("r").to("mock:out");
            }
        });
        context.start();
        return context.getEndpoint("mock:out", MockEndpoint.class);
    }

    private static ObjectNode chunk(String tid, String chunkId, String text, String speaker, double start) {
        ObjectNode o = JSON.createObjectNode();
        o.put("transcript_id", tid);
        o.put("chunk_id", chunkId);
        o.put("text", text);
        o.put("speaker_name", speaker);
        o.put("start_time", start);
        o.put("end_time", start + 1.25);
        return o;
    }

    /**
     * The scripted meeting: segment s is revised {@code 1 + s % 4} times, each revision a longer text; every fifth
     * segment also gets its last revision again, unchanged. Segments 12 and 13 both start with the text "Yes.".
     */
    private static List<JsonNode> meeting(String tid) {
        List<JsonNode> events = new ArrayList<>();
        for (int s = 0; s < SEGMENTS; s++) {
            String id = "seg-" + s;
            String speaker = SPEAKERS[s % SPEAKERS.length];
            int revisions = 1 + s % 4;
            String text = "";
            for (int r = 1; r <= revisions; r++) {
                if (s == 12 || s == 13) {
                    text = r == 1 ? "Yes." : text + " I agree";
                } else {
                    text = (text.isEmpty() ? "Segment " + s : text) + " word" + r;
                }
                events.add(chunk(tid, id, text, speaker, s * 2.0));
            }
            if (s % 5 == 0) {
                events.add(chunk(tid, id, text, speaker, s * 2.0)); // an exact repeat
            }
        }
        return events;
    }

    private static String line(Message m) {
        TranscriptionEvent e = m.getBody(TranscriptionEvent.class);
        return e.chunkId() + "#" + m.getHeader(FirefliesConstants.CHUNK_REVISION) + ":" + e.text()
               + (Boolean.TRUE.equals(m.getHeader(FirefliesConstants.CHUNK_FINAL)) ? " F" : "")
               + (Boolean.TRUE.equals(m.getHeader(FirefliesConstants.CORRECTION)) ? " C" : "");
    }

    private static List<String> lines(MockEndpoint mock) {
        List<String> out = new ArrayList<>();
        for (Exchange ex : mock.getReceivedExchanges()) {
            out.add(line(ex.getMessage()));
        }
        return out;
    }

    private static String id(JsonNode e) {
        return e.get("chunk_id").asText();
    }

    private static String text(JsonNode e) {
        return e.get("text").asText();
    }

    // ------------------------------------------------------------------------------------------ the three modes

    @Test
    void revisionsEmitsEveryEventNumberedPerChunk() throws Exception {
        String tid = "t-" + UUID.randomUUID();
        MockEndpoint mock = route(tid, "emit=revisions");
        List<JsonNode> script = meeting(tid);
        List<String> expected = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode e : script) {
            expected.add(id(e) + "#" + seen.merge(id(e), 1, Integer::sum) + ":" + text(e));
        }
        mock.expectedMessageCount(expected.size());
        server.emitTranscription(tid, script, Shape.FLAT, AWAIT);
        mock.assertIsSatisfied(AWAIT.toMillis());
        assertThat(lines(mock)).containsExactlyElementsOf(expected);
        assertThat(mock.getReceivedExchanges()).allSatisfy(ex -> {
            assertThat(ex.getMessage().getHeader(FirefliesConstants.CHUNK_FINAL)).isEqualTo(Boolean.FALSE);
            assertThat(ex.getMessage().getHeader(FirefliesConstants.CORRECTION)).isEqualTo(Boolean.FALSE);
        });
        assertThat(expected).hasSizeGreaterThan(150);
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void changesDropsExactRepeatsOnly() throws Exception {
        String tid = "t-" + UUID.randomUUID();
        MockEndpoint mock = route(tid, "emit=changes");
        List<JsonNode> script = meeting(tid);
        List<String> expected = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        Map<String, String> lastText = new HashMap<>();
        for (JsonNode e : script) {
            int n = seen.merge(id(e), 1, Integer::sum);
            if (!text(e).equals(lastText.put(id(e), text(e)))) {
                expected.add(id(e) + "#" + n + ":" + text(e));
            }
        }
        assertThat(expected).as("the script has exact repeats").hasSize(script.size() - SEGMENTS / 5);
        mock.expectedMessageCount(expected.size());
        server.emitTranscription(tid, script, Shape.FLAT, AWAIT);
        mock.assertIsSatisfied(AWAIT.toMillis());
        // nothing more arrives: the repeats were dropped, not delayed
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> mock.getReceivedCounter() == expected.size());
        assertThat(lines(mock)).containsExactlyElementsOf(expected);
        // the same words in a new chunk survive
        assertThat(lines(mock)).contains("seg-12#1:Yes.", "seg-13#1:Yes.");
    }

    @Test
    void finalGivesOneExchangePerSegmentWithItsLastTextInOrder() throws Exception {
        String tid = "t-" + UUID.randomUUID();
        MockEndpoint mock = route(tid, "emit=final&finalizeAfter=300");
        List<JsonNode> script = meeting(tid);
        LinkedHashMap<String, String> lastText = new LinkedHashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (JsonNode e : script) {
            lastText.put(id(e), text(e));
            count.merge(id(e), 1, Integer::sum);
        }
        List<String> expected = new ArrayList<>();
        lastText.forEach((id, text) -> expected.add(id + "#" + count.get(id) + ":" + text + " F"));
        assertThat(expected).hasSize(SEGMENTS);

        // the first half: all but the newest segment become final by time; the newest waits for a newer one
        int half = 0;
        while (!id(script.get(half)).equals("seg-30")) {
            half++;
        }
        server.emitTranscription(tid, script.subList(0, half), Shape.FLAT, AWAIT);
        await().atMost(AWAIT).until(() -> mock.getReceivedCounter() >= 29);
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(3)).until(() -> mock.getReceivedCounter() == 29);
        assertThat(lines(mock)).containsExactlyElementsOf(expected.subList(0, 29));

        // the rest, then the server ends the session: every open segment is final at once
        server.emitTranscription(tid, script.subList(half, script.size()), Shape.FLAT, AWAIT);
        server.disconnect(tid);
        await().atMost(AWAIT).until(() -> mock.getReceivedCounter() >= SEGMENTS);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> mock.getReceivedCounter() == SEGMENTS);
        assertThat(lines(mock)).containsExactlyElementsOf(expected);
    }

    // ------------------------------------------------------------------------------------------ late and out of order

    @Test
    void outOfOrderRevisionIsAbsorbedAndALateOneIsAMarkedCorrection() throws Exception {
        String tid = "t-" + UUID.randomUUID();
        MockEndpoint mock = route(tid, "emit=final&finalizeAfter=300");
        // a is revised after b and c started (out of order), while a is still open: absorbed into a's final text
        server.emitTranscription(tid, List.of(
                chunk(tid, "a", "Let's", "Alice", 0),
                chunk(tid, "b", "Sure", "Bob", 1),
                chunk(tid, "c", "Next", "Alice", 2),
                chunk(tid, "a", "Let's start", "Alice", 0)), Shape.FLAT, AWAIT);
        await().atMost(AWAIT).until(() -> mock.getReceivedCounter() >= 2);
        assertThat(lines(mock)).containsExactly("a#2:Let's start F", "b#1:Sure F");

        // a revision of a after it was emitted final: emitted again at once, marked; an unchanged one is dropped
        server.emitTranscription(tid, List.of(
                chunk(tid, "a", "Let's start", "Alice", 0),
                chunk(tid, "a", "Let's start now", "Alice", 0)), Shape.FLAT, AWAIT);
        await().atMost(AWAIT).until(() -> mock.getReceivedCounter() >= 3);
        assertThat(lines(mock)).containsExactly("a#2:Let's start F", "b#1:Sure F", "a#4:Let's start now F C");

        // c, the newest, is still open: stopping the route emits it final before the route stops
        context.getRouteController().stopRoute("r");
        assertThat(lines(mock)).containsExactly("a#2:Let's start F", "b#1:Sure F", "a#4:Let's start now F C",
                "c#1:Next F");
    }

    @Test
    void openSegmentsSurviveADroppedConnectionAndAreFinalOnce() throws Exception {
        String tid = "t-" + UUID.randomUUID();
        MockEndpoint mock = route(tid, "emit=final&finalizeAfter=300");
        server.emitTranscription(tid, List.of(
                chunk(tid, "a", "One", "Alice", 0),
                chunk(tid, "b", "Two", "Bob", 1)), Shape.FLAT, AWAIT);
        await().atMost(AWAIT).until(() -> server.subscribers(tid) == 1);
        assertThat(server.dropConnections(tid, true)).isEqualTo(1);
        await().atMost(AWAIT).until(() -> server.connectAttempts(tid) >= 2 && server.subscribers(tid) == 1);
        // b was open across the drop: its revision after the reconnect continues it
        server.emitTranscription(tid, List.of(
                chunk(tid, "b", "Two too", "Bob", 1),
                chunk(tid, "c", "Three", "Alice", 2)), Shape.FLAT, AWAIT);
        await().atMost(AWAIT).until(() -> mock.getReceivedCounter() >= 2);
        server.disconnect(tid);
        await().atMost(AWAIT).until(() -> mock.getReceivedCounter() >= 3);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> mock.getReceivedCounter() == 3);
        assertThat(lines(mock)).containsExactly("a#1:One F", "b#2:Two too F", "c#1:Three F");
        long reconnectedMarks = mock.getReceivedExchanges().stream()
                .filter(ex -> Boolean.TRUE.equals(ex.getMessage().getHeader(FirefliesConstants.RECONNECTED))).count();
        assertThat(reconnectedMarks).as("the reconnect is reported once, on an exchange routed after it").isEqualTo(1);
    }
}
