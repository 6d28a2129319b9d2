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
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.github.camelfireflies.socketio.PacketCodec;

/**
 * {@code POST /graphql}: the two queries of the Fireflies GraphQL API that the component uses, answered from the
 * simulator's meeting schedule. Not a GraphQL engine: the query text is only searched for {@code active_meetings} or
 * {@code transcript(}, arguments come from {@code variables}, and every field is returned whatever the selection.
 * <ul>
 * <li>no or a wrong {@code Authorization: Bearer <key>}: HTTP 401 with a GraphQL error {@code code: "auth_failed"};</li>
 * <li>while {@link FirefliesSimulator#rateLimitGraphQL(int, int)} has calls left: HTTP 429, {@code Retry-After} and a
 * {@code too_many_requests} error;</li>
 * <li>{@code active_meetings}: the meetings in progress now, filtered by the variables {@code email} (organizer) and
 * {@code states};</li>
 * <li>{@code transcript(id)}: id, title, organizer and the sentences spoken so far (the latest text of each chunk);
 * an unknown id gets an {@code object_not_found} error;</li>
 * <li>anything else: HTTP 400 with a {@code GRAPHQL_VALIDATION_FAILED} error.</li>
 * </ul>
 */
final class GraphQLServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = PacketCodec.mapper();

    private final transient GraphQLState state;
    private final transient MeetingRegistry registry;

    GraphQLServlet(GraphQLState state, MeetingRegistry registry) {
        this.state = state;
        this.registry = registry;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        state.countRequest();
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
        JsonNode body;
        try {
            body = MAPPER.readTree(req.getInputStream());
        } catch (IOException e) {
            error(resp, 400, "BAD_USER_INPUT", "The body is not JSON", null);
            return;
        }
        String query = body == null ? null : body.path("query").asText(null);
        JsonNode vars = body == null ? null : body.path("variables");
        if (query == null) {
            error(resp, 400, "BAD_USER_INPUT", "Missing query", null);
            return;
        }
        ObjectNode out = MAPPER.createObjectNode();
        ObjectNode data = out.putObject("data");
        if (query.contains("active_meetings")) {
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
        } else if (query.contains("transcript(")) {
            String id = vars == null ? null : vars.path("id").asText(null);
            FirefliesSimulator.ScheduledMeeting m = id == null ? null : state.scheduledMeeting(id);
            if (m == null) {
                error(resp, 200, "object_not_found", "Transcript not found", null);
                return;
            }
            ObjectNode t = data.putObject("transcript");
            t.put("id", m.id());
            t.put("title", m.title());
            t.put("organizer_email", m.organizerEmail());
            ArrayNode sentences = t.putArray("sentences");
            List<JsonNode> spoken = registry.spoken(m.id());
            for (int i = 0; i < spoken.size(); i++) {
                JsonNode s = spoken.get(i);
                ObjectNode o = sentences.addObject();
                o.put("index", i);
                o.set("speaker_name", s.path("speaker_name"));
                o.set("text", s.path("text"));
                o.set("raw_text", s.path("text"));
                o.set("start_time", s.path("start_time"));
                o.set("end_time", s.path("end_time"));
            }
        } else {
            error(resp, 400, "GRAPHQL_VALIDATION_FAILED",
                    "The simulator answers only active_meetings and transcript queries", null);
            return;
        }
        write(resp, 200, out);
    }

    private static void error(HttpServletResponse resp, int status, String code, String message, String retryAfter)
            throws IOException {
        ObjectNode out = MAPPER.createObjectNode();
        ObjectNode e = out.putArray("errors").addObject();
        e.put("message", message);
        e.put("code", code);
        e.putObject("extensions").put("code", code).put("status", status);
        if (status == 200) {
            out.putNull("data");
        }
        if (retryAfter != null) {
            resp.setHeader("Retry-After", retryAfter);
        }
        write(resp, status, out);
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
