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
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code transcript(id)} on /graphql: live sentences of any meeting the simulator knows, as the API 2.23.0 has them. */
class LiveSentencesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Alice's c1 revised twice, Bob's c2 starting before c1's revision came, then the end. */
    private static final String SCRIPT = String.join("\n",
            "{\"at_ms\":0,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"c1\",\"speaker_name\":\"Alice\",\"text\":\"Good mor\",\"start_time\":0.5,\"end_time\":1}}",
            "{\"at_ms\":100,\"event\":\"transcription.broadcast\",\"shape\":\"payload\",\"data\":{\"chunk_id\":\"c3\",\"speaker_name\":\"Alice\",\"text\":\"Shall we start?\",\"start_time\":4,\"end_time\":5.25}}",
            "{\"at_ms\":200,\"event\":\"transcription.broadcast\",\"shape\":\"data\",\"data\":{\"chunk_id\":\"c2\",\"speaker_name\":\"Bob\",\"text\":\"Hi ✨\",\"start_time\":2,\"end_time\":3}}",
            "{\"at_ms\":250,\"event\":\"meeting.note\",\"data\":{\"text\":\"not a caption\"}}",
            "{\"at_ms\":300,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"c1\",\"speaker_name\":\"Alice\",\"text\":\"Good morning all\",\"start_time\":0.5,\"end_time\":1.75}}",
            "{\"at_ms\":700,\"action\":\"end\"}");

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private FirefliesSimulator start(FirefliesSimulator.Builder b) {
        FirefliesSimulator sim = b.start();
        toClose.add(sim);
        return sim;
    }

    private RawClient subscribe(FirefliesSimulator sim, String transcriptId) {
        RawClient c = RawClient.connect(sim);
        toClose.add(c);
        c.subscribe(sim, transcriptId);
        return c;
    }

    @Test
    void aScriptedMeetingHasOneSentencePerSegmentAtItsLatestTextAndIsLiveUntilItsEnd() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder().meeting("m-1", MeetingScript.parse(SCRIPT, "s")));

        // known before it starts: not live yet, nothing said
        GraphQLHttp.Response before = GraphQLHttp.transcript(sim, "m-1");
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.transcript().path("id").asText()).isEqualTo("m-1");
        assertThat(before.live()).isFalse();
        assertThat(before.transcript().path("sentences")).isEmpty();

        RawClient c = subscribe(sim, "m-1");
        c.next(); // the first caption: the meeting is on
        GraphQLHttp.Response during = GraphQLHttp.transcript(sim, "m-1");
        assertThat(during.live()).isTrue();
        assertThat(during.texts()).isNotEmpty();

        await().atMost(WAIT).until(() -> !GraphQLHttp.transcript(sim, "m-1").live());
        JsonNode t = GraphQLHttp.transcript(sim, "m-1").transcript();
        assertThat(t.path("title").asText()).isEqualTo("m-1");
        assertThat(t.path("organizer_email").isNull()).isTrue();
        JsonNode s = t.path("sentences");
        assertThat(s).hasSize(3);
        assertSentence(s.get(0), 0, "Good morning all", "Alice", 0, 0.5, 1.75);
        assertSentence(s.get(1), 1, "Hi ✨", "Bob", 1, 2, 3);
        assertSentence(s.get(2), 2, "Shall we start?", "Alice", 0, 4, 5.25);
        assertThat(s.get(1).path("start_time").isNumber()).isTrue();
    }

    private static void assertSentence(JsonNode s, int index, String text, String speaker, int speakerId, double start,
            double end) {
        assertThat(s.path("index").asInt()).isEqualTo(index);
        assertThat(s.path("text").asText()).isEqualTo(text);
        assertThat(s.path("raw_text").asText()).isEqualTo(text);
        assertThat(s.path("speaker_name").asText()).isEqualTo(speaker);
        assertThat(s.path("speaker_id").isInt()).isTrue();
        assertThat(s.path("speaker_id").asInt()).isEqualTo(speakerId);
        assertThat(s.path("start_time").isNumber()).isTrue();
        assertThat(s.path("start_time").asDouble()).isEqualTo(start);
        assertThat(s.path("end_time").asDouble()).isEqualTo(end);
    }

    @Test
    void whatIsSentWhileNobodyListensIsInTheSentences() {
        MeetingScript script = MeetingScript.parse(String.join("\n",
                "{\"at_ms\":0,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"a\",\"speaker_name\":\"A\",\"text\":\"one\",\"start_time\":0,\"end_time\":1}}",
                "{\"at_ms\":400,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"b\",\"speaker_name\":\"A\",\"text\":\"two\",\"start_time\":1,\"end_time\":2}}",
                "{\"at_ms\":800,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"c\",\"speaker_name\":\"A\",\"text\":\"three\",\"start_time\":2,\"end_time\":3}}",
                "{\"at_ms\":900,\"action\":\"end\"}"), "three");
        FirefliesSimulator sim = start(FirefliesSimulator.builder().defaultMeeting(script));
        RawClient c = subscribe(sim, "played");
        assertThat(((WirePacket.Event) c.nextPacket()).firstArg().path("text").asText()).isEqualTo("one");
        c.send("41"); // leaves: the meeting goes on without anybody
        await().atMost(WAIT).until(() -> sim.subscribers("played") == 0);
        await().atMost(WAIT).until(() -> !GraphQLHttp.transcript(sim, "played").live());
        assertThat(GraphQLHttp.transcript(sim, "played").texts()).containsExactly("one", "two", "three");
        assertThat(c.pending()).isZero();

        // the default meeting of an id nobody played is unknown
        GraphQLHttp.Response unknown = GraphQLHttp.transcript(sim, "never-played");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().path("data").has("transcript")).isTrue();
        assertThat(unknown.json().path("data").get("transcript").isNull()).isTrue();
        assertThat(unknown.json().path("errors").get(0).path("extensions").path("code").asText())
                .isEqualTo("object_not_found");
    }

    @Test
    void emittedCaptionsCountWithoutSubscribersAndEndMeetingEndsTheLiveTranscript() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder());
        assertThat(sim.emitTranscription("adhoc", "x1", "Erin", "First draft", 0, 1)).isZero();
        sim.emitTranscription("adhoc", "x1", "Erin", "First draft of the plan", 0, 1.5);
        sim.emitTranscription("adhoc", "x2", "Frank", "Agreed", 1.5, 2);
        GraphQLHttp.Response r = GraphQLHttp.transcript(sim, "adhoc");
        assertThat(r.live()).isTrue();
        assertThat(r.texts()).containsExactly("First draft of the plan", "Agreed");
        assertThat(r.transcript().path("sentences").get(1).path("speaker_id").asInt()).isEqualTo(1);

        sim.endMeeting("adhoc");
        GraphQLHttp.Response ended = GraphQLHttp.transcript(sim, "adhoc");
        assertThat(ended.live()).isFalse();
        assertThat(ended.texts()).containsExactly("First draft of the plan", "Agreed");
    }

    @Test
    void scheduledMeetingsAreLiveWhileListedWithTheirTitleAndOrganizer() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .activeMeeting("now", "Planning", "erin@example.com", Duration.ZERO, null)
                .activeMeeting("later", "Retro", "frank@example.com", Duration.ofHours(1), null));
        GraphQLHttp.Response now = GraphQLHttp.transcript(sim, "now");
        assertThat(now.live()).isTrue();
        assertThat(now.transcript().path("title").asText()).isEqualTo("Planning");
        assertThat(now.transcript().path("organizer_email").asText()).isEqualTo("erin@example.com");
        assertThat(GraphQLHttp.transcript(sim, "later").live()).isFalse();

        sim.setMeetingState("now", "paused");
        assertThat(GraphQLHttp.transcript(sim, "now").live()).isTrue(); // paused is still live, as the API says
        sim.endMeeting("now");
        assertThat(GraphQLHttp.transcript(sim, "now").live()).isFalse();
        sim.startMeeting("now", "Planning, again", "erin@example.com");
        assertThat(GraphQLHttp.transcript(sim, "now").live()).isTrue();
        assertThat(GraphQLHttp.transcript(sim, "now").transcript().path("title").asText()).isEqualTo("Planning, again");
    }

    @Test
    void aScheduledMeetingWhoseScriptEndsLeavesActiveMeetings() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder()
                .meeting("s-1", MeetingScript.parse(SCRIPT, "s"))
                .activeMeeting("s-1", "Stand-up", "carol@example.com", Duration.ZERO, null));
        assertThat(sim.activeMeetings()).extracting(FirefliesSimulator.ScheduledMeeting::id).containsExactly("s-1");
        RawClient c = subscribe(sim, "s-1");
        await().atMost(WAIT).until(() -> c.pending() > 0 && "41".equals(lastText(c)));
        await().atMost(WAIT).until(() -> sim.activeMeetings().isEmpty());
        GraphQLHttp.Response r = GraphQLHttp.transcript(sim, "s-1");
        assertThat(r.live()).isFalse();
        assertThat(r.texts()).containsExactly("Good morning all", "Hi ✨", "Shall we start?");
    }

    private static String lastText(RawClient c) {
        String last = null;
        while (c.pending() > 0) {
            last = c.next().text();
        }
        return last;
    }

    @Test
    void aNewRoundOfALoopingMeetingStartsAFreshTranscript() {
        MeetingScript script = MeetingScript.parse(String.join("\n",
                "{\"at_ms\":0,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"a\",\"speaker_name\":\"A\",\"text\":\"first\",\"start_time\":0,\"end_time\":1}}",
                "{\"at_ms\":2500,\"event\":\"transcription.broadcast\",\"data\":{\"chunk_id\":\"b\",\"speaker_name\":\"A\",\"text\":\"second\",\"start_time\":1,\"end_time\":2}}",
                "{\"at_ms\":2600,\"action\":\"end\"}"), "round");
        FirefliesSimulator sim = start(FirefliesSimulator.builder().meeting("loop", script).loop(true)
                .loopPause(Duration.ofMillis(50)));
        RawClient first = subscribe(sim, "loop");
        await().atMost(WAIT).until(() -> GraphQLHttp.transcript(sim, "loop").texts().size() == 2);
        await().atMost(WAIT).until(() -> !GraphQLHttp.transcript(sim, "loop").live());
        first.close();

        RawClient second = subscribe(sim, "loop"); // starts the next round
        assertThat(((WirePacket.Event) second.nextPacket()).firstArg().path("text").asText()).isEqualTo("first");
        GraphQLHttp.Response r = GraphQLHttp.transcript(sim, "loop");
        assertThat(r.live()).isTrue();
        assertThat(r.texts()).containsExactly("first"); // "second" comes 2.5 s into the round
    }

    @Test
    void errorsAndCountsPerOperation() {
        FirefliesSimulator sim = start(FirefliesSimulator.builder().apiKey("right-key")
                .activeMeeting("g-1", "Planning", "erin@example.com", Duration.ZERO, null));
        GraphQLHttp.Response wrongKey = GraphQLHttp.post(sim, "wrong-key",
                "{\"query\":\"" + GraphQLHttp.TRANSCRIPT_QUERY.replace("\"", "\\\"") + "\",\"variables\":{\"id\":\"g-1\"}}");
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(wrongKey.json().path("errors").get(0).path("extensions").path("code").asText()).isEqualTo("auth_failed");

        sim.rateLimitGraphQL(1, 3);
        GraphQLHttp.Response limited = GraphQLHttp.transcript(sim, "g-1");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.raw().headers().firstValue("Retry-After")).hasValue("3");
        assertThat(limited.json().path("errors").get(0).path("extensions").path("code").asText())
                .isEqualTo("too_many_requests");

        assertThat(GraphQLHttp.transcript(sim, "g-1").status()).isEqualTo(200);
        // an inline argument works as well as a variable
        GraphQLHttp.Response inline = GraphQLHttp.query(sim, "{ transcript(id: \"g-1\") { id is_live } }", Map.of());
        assertThat(inline.transcript().path("id").asText()).isEqualTo("g-1");
        assertThat(GraphQLHttp.query(sim, "{ active_meetings { id } }", Map.of()).status()).isEqualTo(200);
        assertThat(GraphQLHttp.query(sim, "{ users { id } }", Map.of()).status()).isEqualTo(400);
        assertThat(GraphQLHttp.post(sim, sim.apiKey(), "not json").status()).isEqualTo(400);

        assertThat(sim.graphqlRequests("transcript")).isEqualTo(4);
        assertThat(sim.graphqlRequests("active_meetings")).isEqualTo(1);
        assertThat(sim.graphqlRequests("other")).isEqualTo(2);
        assertThat(sim.graphqlRequests("nothing-like-it")).isZero();
        assertThat(sim.graphqlRequests()).isEqualTo(7);
    }
}
