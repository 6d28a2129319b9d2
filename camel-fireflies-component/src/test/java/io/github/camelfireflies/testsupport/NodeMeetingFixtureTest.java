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
package io.github.camelfireflies.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.internal.socketio.Packet;
import io.github.camelfireflies.internal.socketio.PacketCodec;
import io.github.camelfireflies.simulator.MeetingScript.Segment;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.testsupport.NodeSocketIoServer.MeetingProgress;
import io.github.camelfireflies.testsupport.NodeSocketIoServer.SentEvent;
import io.github.camelfireflies.testsupport.NodeSocketIoServerTest.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The meetings and the GraphQL endpoint of the node fixture: meetings that play whether anybody listens or not,
 * {@code transcript(id)} with the live-meeting rule of the real API (one sentence per chunk sent so far, at its latest
 * text, by start time), {@code active_meetings}, 401 and 429, and meetings combined with drops and restarts. Clients:
 * the JDK HttpClient (HTTP/1.1, and its default h2c upgrade attempt) and the raw WebSocket client of
 * {@link NodeSocketIoServerTest}.
 */
class NodeMeetingFixtureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TRANSCRIPT_QUERY = "query Transcript($id: String!) { transcript(id: $id) {"
                                                   + " id title organizer_email is_live sentences { index text raw_text"
                                                   + " speaker_name speaker_id start_time end_time } } }";
    private static final String ACTIVE_MEETINGS_QUERY
            = "query ActiveMeetings($email: String, $states: [MeetingState!]) {"
              + " active_meetings(input: { email: $email, states: $states }) {"
              + " id title organizer_email meeting_link start_time end_time privacy state } }";

    private static NodeSocketIoServer server;
    private static HttpClient http11;

    @BeforeAll
    static void startServer() {
        server = NodeSocketIoServer.start();
        http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static String newTranscriptId() {
        return "meeting-" + UUID.randomUUID();
    }

    // ------------------------------------------------------------------------------------------------ transcript(id)

    @Test
    void transcriptHasOneSentencePerChunkSentSoFarAtItsLatestTextInStartOrder() throws Exception {
        String tid = newTranscriptId();
        // sent in the order a, b, c, but c starts before b; d is due long after this test
        MeetingScript script = MeetingScript.of(
                Segment.of("a", "Alice", "a0", 0.0, 1.0).at(Duration.ZERO)
                        .revisedTo("a1", Duration.ofMillis(100))
                        .revisedTo("a2 final", Duration.ofMillis(250), 1.25),
                Segment.of("b", "Bob", "b0", 2.0, 3.0).at(Duration.ofMillis(150))
                        .revisedTo("b final", Duration.ofMillis(100)),
                Segment.of("c", "Carol", "c only", 1.5, 1.875).at(Duration.ofMillis(300)),
                Segment.of("d", "Alice", "never sent", 40.0, 41.0).at(Duration.ofSeconds(60)))
                .withTitle("Weekly sync").withOrganizerEmail("boss@example.com");
        assertThat(script.events()).isEqualTo(7);

        MeetingProgress started = server.startMeeting(tid, script);
        assertThat(started.live()).isTrue();
        assertThat(started.total()).isEqualTo(7);
        assertThat(started.subscribers()).isZero();
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).sent() == 6);

        MeetingProgress p = server.meetingProgress(tid);
        assertThat(p.done()).isFalse();
        assertThat(p.unheard()).isEqualTo(6); // nobody was subscribed
        assertThat(p.heard()).isZero();
        assertThat(p.chunks()).isEqualTo(3);

        JsonNode t = transcript(http11, tid);
        assertThat(t.path("id").asText()).isEqualTo(tid);
        assertThat(t.path("title").asText()).isEqualTo("Weekly sync");
        assertThat(t.path("organizer_email").asText()).isEqualTo("boss@example.com");
        assertThat(t.path("is_live").asBoolean()).isTrue();
        JsonNode sentences = t.path("sentences");
        assertThat(texts(sentences)).containsExactly("a2 final", "c only", "b final");
        assertThat(sentences).extracting(s -> s.path("index").asInt()).containsExactly(0, 1, 2);
        assertThat(sentences).extracting(s -> s.path("raw_text").asText()).containsExactly("a2 final", "c only", "b final");
        assertThat(sentences).extracting(s -> s.path("speaker_name").asText()).containsExactly("Alice", "Carol", "Bob");
        assertThat(sentences).extracting(s -> s.path("speaker_id").asInt()).containsExactly(1, 3, 2);
        assertThat(sentences).extracting(s -> s.path("start_time").asDouble()).containsExactly(0.0, 1.5, 2.0);
        assertThat(sentences).extracting(s -> s.path("end_time").asDouble()).containsExactly(1.25, 1.875, 3.0);

        // a subscriber is disconnected (41) when the meeting ends; the sentences stay as they were
        try (RawClient c = RawClient.connected(server, tid)) {
            assertThat(server.endMeeting(tid)).isEqualTo(1);
            c.expect(Packet.Disconnect.class);
        }
        MeetingProgress ended = server.meetingProgress(tid);
        assertThat(ended.live()).isFalse();
        assertThat(ended.endedAt()).isNotNull();
        assertThat(ended.sent()).isEqualTo(6);
        JsonNode after = transcript(http11, tid);
        assertThat(after.path("is_live").asBoolean()).isFalse();
        assertThat(texts(after.path("sentences"))).containsExactly("a2 final", "c only", "b final");
        assertThat(server.endMeeting(tid)).isZero(); // harmless twice
    }

    @Test
    void aSubscriberJoiningMidMeetingGetsOnlyWhatIsSentAfterItJoined() throws Exception {
        String tid = newTranscriptId();
        int segments = 20;
        server.startMeeting(tid, MeetingScript.generated(segments, Duration.ofMillis(160), 1).endingWhenDone());
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).sent() >= 8);

        List<JsonNode> received;
        try (RawClient c = RawClient.connected(server, tid)) {
            received = eventsUntilDisconnect(c, 2 * segments); // endWhenDone: 41 after the last event
        }
        List<SentEvent> log = server.meetingLog(tid);
        assertThat(log).hasSize(2 * segments);
        int firstHeard = (int) log.stream().takeWhile(e -> e.sockets() == 0).count();
        assertThat(firstHeard).isGreaterThanOrEqualTo(8);
        assertThat(log.subList(firstHeard, log.size())).allSatisfy(e -> assertThat(e.sockets()).isEqualTo(1));
        // exactly what was sent from the moment it joined, in order, and nothing from before
        assertThat(received).extracting(e -> e.path("chunk_id").asText() + "/" + e.path("text").asText())
                .containsExactlyElementsOf(log.subList(firstHeard, log.size()).stream()
                        .map(e -> e.chunkId() + "/" + e.text()).toList());
        assertThat(received.get(received.size() - 1).path("text").asText())
                .isEqualTo(MeetingScript.generatedText(segments - 1, 1));
        assertThat(received).allSatisfy(e -> assertThat(e.path("transcript_id").asText()).isEqualTo(tid));

        MeetingProgress p = server.meetingProgress(tid);
        assertThat(p.live()).isFalse();
        assertThat(p.done()).isTrue();
        assertThat(p.unheard()).isEqualTo(firstHeard);
        assertThat(p.heard()).isEqualTo(2 * segments - firstHeard);

        // the transcript has every segment, heard or not, at its final text
        JsonNode t = transcript(http11, tid);
        assertThat(t.path("is_live").asBoolean()).isFalse();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            expected.add(MeetingScript.generatedText(i, 1));
        }
        assertThat(texts(t.path("sentences"))).containsExactlyElementsOf(expected);
        JsonNode third = t.path("sentences").get(3);
        assertThat(third.path("speaker_name").asText()).isEqualTo(MeetingScript.generatedSpeaker(3)).isEqualTo("Bob");
        assertThat(third.path("speaker_id").asInt()).isEqualTo(2);
        assertThat(third.path("start_time").asDouble()).isEqualTo(0.48);
        assertThat(third.path("end_time").asDouble()).isEqualTo(0.64);
    }

    // ------------------------------------------------------------------------------------------------ with faults

    @Test
    void aDroppedSubscriberMissesWhatIsSentMeanwhileAndTheTranscriptStillHasIt() throws Exception {
        String tid = newTranscriptId();
        int segments = 40;
        List<JsonNode> beforeDrop = new ArrayList<>();
        try (RawClient a = RawClient.connected(server, tid)) {
            server.startMeeting(tid, MeetingScript.generated(segments, Duration.ofMillis(80), 0));
            for (int i = 0; i < 5; i++) {
                beforeDrop.add(a.expect(Packet.Event.class).firstArg());
            }
            assertThat(server.dropConnections(tid, true)).isEqualTo(1);
            assertThat(a.nextTerminal()).matches("error .*|close 1006");
        }
        // the meeting goes on, to nobody
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).unheard() >= 3);
        List<JsonNode> afterReconnect;
        try (RawClient b = RawClient.connected(server, tid)) {
            await().atMost(WAIT).until(() -> server.meetingProgress(tid).done());
            assertThat(server.endMeeting(tid)).isEqualTo(1);
            afterReconnect = eventsUntilDisconnect(b, segments);
        }
        List<SentEvent> log = server.meetingLog(tid);
        assertThat(log).hasSize(segments);
        assertThat(beforeDrop).extracting(e -> e.path("chunk_id").asText())
                .containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(afterReconnect).isNotEmpty();
        // without revisions, segment i is the meeting's event i
        int firstAfter = Integer.parseInt(afterReconnect.get(0).path("chunk_id").asText().substring(1));
        assertThat(firstAfter).isGreaterThan(5);
        // what b got is everything from its first event on; what was sent to nobody lies between
        assertThat(afterReconnect).extracting(e -> e.path("chunk_id").asText()).containsExactlyElementsOf(
                log.subList(firstAfter, segments).stream().map(SentEvent::chunkId).toList());
        assertThat(log.subList(5, firstAfter)).filteredOn(e -> e.sockets() == 0).hasSizeGreaterThanOrEqualTo(3);
        assertThat(log.subList(firstAfter, segments)).allSatisfy(e -> assertThat(e.sockets()).isEqualTo(1));

        JsonNode sentences = transcript(http11, tid).path("sentences");
        assertThat(sentences).hasSize(segments);
        assertThat(sentences).extracting(s -> s.path("text").asText()).containsExactlyElementsOf(
                log.stream().map(SentEvent::text).toList());
    }

    @Test
    void aMeetingPlaysOnThroughARestartAndGraphQLAnswersAfterwards() throws Exception {
        String tid = newTranscriptId();
        server.startMeeting(tid, MeetingScript.generated(50, Duration.ofMillis(50), 0));
        try (RawClient c = RawClient.connected(server, tid)) {
            c.expect(Packet.Event.class);
            server.restart(Duration.ofMillis(500)); // returns once it listens again
            assertThat(c.nextTerminal()).matches("error .*|close 1006");
        }
        MeetingProgress during = server.meetingProgress(tid);
        assertThat(during.unheard()).isGreaterThanOrEqualTo(5); // about 10 were due while it was down
        assertThat(during.live()).isTrue();
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).done());
        assertThat(transcript(http11, tid).path("sentences")).hasSize(50);
        server.endMeeting(tid);
    }

    // ------------------------------------------------------------------------------------------------ GraphQL

    @Test
    void activeMeetingsListsTheMeetingsPlayingNowFilteredByOrganizerAndState() throws Exception {
        String one = newTranscriptId();
        String two = newTranscriptId();
        String organizer = "owner-" + UUID.randomUUID() + "@example.com";
        Instant before = Instant.now().minusSeconds(1);
        server.startMeeting(one, MeetingScript.generated(1, Duration.ofMillis(10), 0).withTitle("One")
                .withOrganizerEmail(organizer));
        server.startMeeting(two, MeetingScript.generated(1, Duration.ofMillis(10), 0).withOrganizerEmail("other@example.com"));
        int calls = server.graphqlCalls(NodeSocketIoServer.OP_ACTIVE_MEETINGS);

        JsonNode mine = activeMeetings(organizer.toUpperCase(Locale.ROOT), List.of("active"));
        assertThat(mine).hasSize(1);
        JsonNode m = mine.get(0);
        assertThat(m.path("id").asText()).isEqualTo(one);
        assertThat(m.path("title").asText()).isEqualTo("One");
        assertThat(m.path("organizer_email").asText()).isEqualTo(organizer);
        assertThat(m.path("meeting_link").asText()).endsWith(one);
        assertThat(Instant.parse(m.path("start_time").asText())).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(m.path("end_time").isNull()).isTrue();
        assertThat(m.path("privacy").asText()).isEqualTo("teammates");
        assertThat(m.path("state").asText()).isEqualTo("active");

        assertThat(activeMeetings(null, List.of())).extracting(x -> x.path("id").asText()).contains(one, two);
        assertThat(activeMeetings(organizer, List.of("paused"))).isEmpty();
        server.endMeeting(one);
        assertThat(activeMeetings(organizer, List.of())).isEmpty();
        assertThat(activeMeetings(null, List.of())).extracting(x -> x.path("id").asText()).doesNotContain(one).contains(two);
        server.endMeeting(two);
        assertThat(server.graphqlCalls(NodeSocketIoServer.OP_ACTIVE_MEETINGS)).isEqualTo(calls + 5);
    }

    @Test
    void wrongOrMissingKeyGets401AuthFailed() throws Exception {
        int calls = server.graphqlCalls(NodeSocketIoServer.OP_TRANSCRIPT);
        for (String authorization : new String[] { "Bearer wrong", null }) {
            HttpResponse<String> r = post(http11, authorization, TRANSCRIPT_QUERY, JSON.createObjectNode().put("id", "x"));
            assertThat(r.statusCode()).isEqualTo(401);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("errors").get(0).path("code").asText()).isEqualTo("auth_failed");
            assertThat(body.path("errors").get(0).path("extensions").path("code").asText()).isEqualTo("auth_failed");
            assertThat(body.has("data")).isFalse();
            assertThat(r.body()).doesNotContain("wrong");
        }
        assertThat(server.graphqlCalls(NodeSocketIoServer.OP_TRANSCRIPT)).isEqualTo(calls + 2);
    }

    @Test
    void rateLimitAnswers429WithRetryAfterThenLetsCallsThrough() throws Exception {
        String tid = newTranscriptId();
        server.startMeeting(tid, MeetingScript.generated(1, Duration.ofMillis(10), 0));
        int calls = server.transcriptCalls(tid);
        server.rateLimitGraphQL(2, 7);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = post(http11, bearer(), TRANSCRIPT_QUERY, JSON.createObjectNode().put("id", tid));
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
            JsonNode error = JSON.readTree(r.body()).path("errors").get(0);
            assertThat(error.path("code").asText()).isEqualTo("too_many_requests");
            assertThat(error.path("extensions").path("status").asInt()).isEqualTo(429);
        }
        assertThat(transcript(http11, tid).path("id").asText()).isEqualTo(tid);
        assertThat(server.transcriptCalls(tid)).isEqualTo(calls + 3);
        assertThat(server.graphqlCallLog()).filteredOn(c -> tid.equals(c.transcriptId()))
                .extracting(NodeSocketIoServer.GraphQLCall::status).containsExactly(429, 429, 200);
        server.endMeeting(tid);
    }

    @Test
    void unknownTranscriptIsObjectNotFoundWithNullDataAndOtherQueriesAreRefused() throws Exception {
        HttpResponse<String> r = post(http11, bearer(), TRANSCRIPT_QUERY, JSON.createObjectNode().put("id", "no-such-meeting"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("errors").get(0).path("extensions").path("code").asText()).isEqualTo("object_not_found");
        assertThat(body.has("data")).isTrue();
        assertThat(body.path("data").isNull()).isTrue();

        HttpResponse<String> other = post(http11, bearer(), "{ user { email } }", null);
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(other.body()).path("errors").get(0).path("code").asText())
                .isEqualTo("GRAPHQL_VALIDATION_FAILED");
    }

    @Test
    void aPostAskingForAnH2cUpgradeIsAnsweredInHttp11() throws Exception {
        String tid = newTranscriptId();
        server.startMeeting(tid, MeetingScript.generated(2, Duration.ofMillis(10), 0));
        await().atMost(WAIT).until(() -> server.meetingProgress(tid).done());
        HttpClient defaults = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(); // HTTP/2: Upgrade: h2c
        assertThat(defaults.version()).isEqualTo(HttpClient.Version.HTTP_2);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = post(defaults, bearer(), TRANSCRIPT_QUERY, JSON.createObjectNode().put("id", tid));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(texts(JSON.readTree(r.body()).path("data").path("transcript").path("sentences")))
                    .containsExactly(MeetingScript.generatedText(0, 0), MeetingScript.generatedText(1, 0));
        }
        assertThat(post(defaults, "Bearer wrong", TRANSCRIPT_QUERY, null).statusCode()).isEqualTo(401);
        server.endMeeting(tid);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String bearer() {
        return "Bearer " + server.apiKey();
    }

    private static HttpResponse<String> post(HttpClient client, String authorization, String query, ObjectNode variables)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("query", query);
        if (variables != null) {
            body.set("variables", variables);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.graphqlUrl())).timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** data.transcript of a successful transcript(id) call. */
    private static JsonNode transcript(HttpClient client, String tid) throws IOException, InterruptedException {
        HttpResponse<String> r = post(client, bearer(), TRANSCRIPT_QUERY, JSON.createObjectNode().put("id", tid));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.has("errors")).as(r.body()).isFalse();
        return body.path("data").path("transcript");
    }

    private static JsonNode activeMeetings(String email, List<String> states) throws IOException, InterruptedException {
        ObjectNode vars = JSON.createObjectNode();
        if (email != null) {
            vars.put("email", email);
        }
        states.forEach(vars.putArray("states")::add);
        HttpResponse<String> r = post(http11, bearer(), ACTIVE_MEETINGS_QUERY, vars);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("data").path("active_meetings");
    }

    private static List<String> texts(JsonNode sentences) {
        List<String> list = new ArrayList<>();
        sentences.forEach(s -> list.add(s.path("text").asText()));
        return list;
    }

    /** The transcription.broadcast payloads a raw client receives until the server's DISCONNECT (bounded). */
    private static List<JsonNode> eventsUntilDisconnect(RawClient c, int max) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            Packet p = PacketCodec.decode(c.nextText());
            if (p instanceof Packet.Disconnect) {
                return events;
            }
            if (p instanceof Packet.Event e && "transcription.broadcast".equals(e.name())) {
                events.add(e.firstArg());
            }
        }
        return fail("No DISCONNECT after " + max + " events");
    }
}
