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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;


/**
 * {@code POST /graphql}: the two queries of the Fireflies GraphQL API that the component uses, answered from the
 * simulator's meeting schedule and its meetings. Every request is counted, by operation, whatever its outcome. Not a
 * GraphQL engine: the query text is only searched for {@code active_meetings} or {@code transcript(}, arguments come
 * from {@code variables}, and every field is returned whatever the selection.
 * <ul>
 * <li>no or a wrong {@code Authorization: Bearer <key>}: HTTP 401 with a GraphQL error {@code code: "auth_failed"};</li>
 * <li>while {@link FirefliesSimulator#rateLimitGraphQL(int, int)} has calls left: HTTP 429, {@code Retry-After} and a
 * {@code too_many_requests} error;</li>
 * <li>{@code active_meetings}: the meetings in progress now, filtered by the variables {@code email} (organizer) and
 * {@code states};</li>
 * <li>{@code transcript(id)} (the id from the variables, or inline): id, title, organizer, {@code is_live} and the
 * live sentences of any meeting the simulator knows (see {@link LiveTranscript}); an unknown id gets an
 * {@code object_not_found} error and {@code data.transcript} null;</li>
 * <li>anything else: HTTP 400 with a {@code GRAPHQL_VALIDATION_FAILED} error.</li>
 * </ul>
 */
final class GraphQLServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = SimJson.MAPPER;

    /** The operation {@code active_meetings}. */
    static final String ACTIVE_MEETINGS = "active_meetings";
    /** The operation {@code transcript(id)}. */
    static final String TRANSCRIPT = "transcript";
    /** Any other request (another field, no query, not JSON). */
    static final String OTHER = "other";

    private static final Pattern TRANSCRIPT_FIELD = Pattern.compile("\\btranscript\\s*\\(");
    private static final Pattern INLINE_ID = Pattern.compile("\\btranscript\\s*\\(\\s*id\\s*:\\s*\"([^\"]*)\"");

    private final transient GraphQLState state;
    private final transient MeetingRegistry registry;

    GraphQLServlet(GraphQLState state, MeetingRegistry registry) {
        this.state = state;
        this.registry = registry;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JsonNode body = null;
        boolean json = true;
        try {
            body = MAPPER.readTree(req.getInputStream());
        } catch (IOException e) {
            json = false;
        }
        String query = body == null ? null : body.path("query").asText(null);
        JsonNode vars = body == null ? null : body.path("variables");
        String operation = operationOf(query);
        state.countRequest(operation);
        if (!registry.config().isValidToken(req.getHeader("Authorization"))) {
            error(resp, 401, "auth_failed", "Invalid or missing API key", null);
            return;
        }
        int retryAfter = state.takeRateLimit();
        if (retryAfter >= 0) {
            error(resp, 429, "too_many_requests", "Too many requests. Please retry after " + retryAfter + " seconds",
                    Integer.toString(retryAfter));
            return;
        }
        if (!json) {
            error(resp, 400, "BAD_USER_INPUT", "The body is not JSON", null);
            return;
        }
        if (query == null) {
            error(resp, 400, "BAD_USER_INPUT", "Missing query", null);
            return;
        }
        ObjectNode out = MAPPER.createObjectNode();
        ObjectNode data = out.putObject("data");
        if (ACTIVE_MEETINGS.equals(operation)) {
            activeMeetings(data, vars);
        } else if (TRANSCRIPT.equals(operation)) {
            String id = transcriptId(query, vars);
            Optional<GraphQLState.Transcript> t = id == null ? Optional.empty() : state.transcript(id);
            if (t.isEmpty()) {
                // as GraphQL does for a nullable field that failed: the error, and the field null in data
                ObjectNode notFound = errorBody(200, "object_not_found", "Transcript not found");
                notFound.putObject("data").putNull("transcript");
                write(resp, 200, notFound);
                return;
            }
            transcript(data.putObject("transcript"), t.get());
        } else {
            error(resp, 400, "GRAPHQL_VALIDATION_FAILED",
                    "The simulator answers only active_meetings and transcript queries", null);
            return;
        }
        write(resp, 200, out);
    }

    /** The root field a query asks for: {@value #ACTIVE_MEETINGS}, {@value #TRANSCRIPT} or {@value #OTHER}. */
    static String operationOf(String query) {
        if (query == null) {
            return OTHER;
        }
        if (query.contains(ACTIVE_MEETINGS)) {
            return ACTIVE_MEETINGS;
        }
        return TRANSCRIPT_FIELD.matcher(query).find() ? TRANSCRIPT : OTHER;
    }

    /** The {@code id} variable, else an inline {@code transcript(id: "...")} argument. */
    private static String transcriptId(String query, JsonNode vars) {
        String id = vars == null ? null : vars.path("id").asText(null);
        if (id != null) {
            return id;
        }
        Matcher m = INLINE_ID.matcher(query);
        return m.find() ? m.group(1) : null;
    }

    private void activeMeetings(ObjectNode data, JsonNode vars) {
        String email = vars == null ? null : vars.path("email").asText(null);
        Set<String> states = new HashSet<>();
        if (vars != null && vars.path("states").isArray()) {
            vars.path("states").forEach(s -> states.add(s.asText()));
        }
        ArrayNode list = data.putArray("active_meetings");
        for (FirefliesSimulator.ScheduledMeeting m : state.activeMeetings()) {
            if ((email == null || email.equalsIgnoreCase(m.organizerEmail()))
                    && (states.isEmpty() || states.contains(m.state()))) {
                ObjectNode o = list.addObject();
                o.put("id", m.id());
                o.put("title", m.title());
                o.put("organizer_email", m.organizerEmail());
                o.put("meeting_link", "https://meet.example.invalid/" + m.id());
                o.put("start_time", state.instantOf(m.start()).toString());
                o.putNull("end_time");
                o.put("privacy", "teammates");
                o.put("state", m.state());
            }
        }
    }

    private static void transcript(ObjectNode t, GraphQLState.Transcript transcript) {
        t.put("id", transcript.id());
        t.put("title", transcript.title());
        t.put("organizer_email", transcript.organizerEmail());
        t.put("is_live", transcript.live());
        ArrayNode sentences = t.putArray("sentences");
        for (LiveTranscript.Sentence s : transcript.sentences()) {
            ObjectNode o = sentences.addObject();
            o.put("index", s.index());
            o.put("text", s.text());
            o.put("raw_text", s.text());
            o.put("speaker_name", s.speakerName());
            if (s.speakerId() == null) {
                o.putNull("speaker_id");
            } else {
                o.put("speaker_id", s.speakerId().intValue());
            }
            o.set("start_time", s.startTime() == null ? o.nullNode() : SimulatorControl.number(s.startTime()));
            o.set("end_time", s.endTime() == null ? o.nullNode() : SimulatorControl.number(s.endTime()));
        }
        // the speakers of the sentences, by speaker_id, in order of first appearance
        ArrayNode speakers = t.putArray("speakers");
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (LiveTranscript.Sentence s : transcript.sentences()) {
            if (s.speakerId() != null && seen.add(s.speakerId())) {
                speakers.addObject().put("id", s.speakerId().intValue()).put("name", s.speakerName());
            }
        }
    }

    private static void error(HttpServletResponse resp, int status, String code, String message, String retryAfter)
            throws IOException {
        ObjectNode out = errorBody(status, code, message);
        if (status == 200) {
            out.putNull("data");
        }
        if (retryAfter != null) {
            resp.setHeader("Retry-After", retryAfter);
        }
        write(resp, status, out);
    }

    private static ObjectNode errorBody(int status, String code, String message) {
        ObjectNode out = MAPPER.createObjectNode();
        ObjectNode e = out.putArray("errors").addObject();
        e.put("message", message);
        e.put("code", code);
        e.putObject("extensions").put("code", code).put("status", status);
        return out;
    }

    private static void write(HttpServletResponse resp, int status, JsonNode json) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(json);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
