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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.validation.ValidationError;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /graphql}: the Fireflies GraphQL API, every operation of its schema, run by {@link GraphQLEngine}. Every
 * request is counted by its first root field, whatever its outcome. In this order:
 * <ul>
 * <li>no or a wrong {@code Authorization: Bearer <key>}: HTTP 401, {@code code: "auth_failed"};</li>
 * <li>while {@link FirefliesSimulator#rateLimitGraphQL(int, int)} has calls left: HTTP 429, {@code Retry-After} and a
 * {@code too_many_requests} error;</li>
 * <li>a body that is not JSON or has no {@code query}: HTTP 400 {@code BAD_USER_INPUT}; a document that does not
 * parse or validate against the schema: HTTP 400 {@code GRAPHQL_VALIDATION_FAILED} (or {@code GRAPHQL_PARSE_FAILED})
 * with graphql-java's messages;</li>
 * <li>a capped operation over its cap ({@link RateCaps}): HTTP 429, {@code Retry-After} (seconds),
 * {@code X-RateLimit-*} headers and a {@code too_many_requests} error whose {@code extensions.metadata.retryAfter} is
 * the epoch time in milliseconds when the call may be made again;</li>
 * <li>else HTTP 200 with {@code data} (and {@code errors}, e.g. {@code object_not_found} for an unknown id).</li>
 * </ul>
 * Each error: {@code {"message", "code", "locations"?, "path"?, "extensions": {"code", "status", ...}}}.
 */
final class GraphQLServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = SimJson.MAPPER;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** The operation {@code active_meetings}. */
    static final String ACTIVE_MEETINGS = "active_meetings";
    /** The operation {@code transcript(id)}. */
    static final String TRANSCRIPT = "transcript";
    /** Requests for neither of the two above (another field, no query, not JSON). */
    static final String OTHER = "other";

    private final transient GraphQLState state;
    private final transient MeetingRegistry registry;
    private final transient GraphQLEngine engine;
    private final transient RateCaps caps;

    GraphQLServlet(GraphQLState state, MeetingRegistry registry, GraphQLEngine engine, RateCaps caps) {
        this.state = state;
        this.registry = registry;
        this.engine = engine;
        this.caps = caps;
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
        String operationName = body == null ? null : body.path("operationName").asText(null);
        String rootField = GraphQLEngine.firstRootField(query, operationName);
        state.countRequest(rootField);
        String token = req.getHeader("Authorization");
        if (!registry.config().isValidToken(token)) {
            write(resp, 401, errors(error("Invalid or missing API key", "auth_failed", 401)));
            return;
        }
        int retryAfter = state.takeRateLimit();
        if (retryAfter >= 0) {
            resp.setHeader("Retry-After", Integer.toString(retryAfter));
            write(resp, 429, errors(error("Too many requests. Please retry after " + retryAfter + " seconds",
                    "too_many_requests", 429)));
            return;
        }
        if (!json || body == null || !body.isObject()) {
            write(resp, 400, errors(error("The body is not a JSON object", "BAD_USER_INPUT", 400)));
            return;
        }
        if (query == null || query.isBlank()) {
            write(resp, 400, errors(error("Missing query", "BAD_USER_INPUT", 400)));
            return;
        }
        JsonNode vars = body.get("variables");
        if (vars != null && !vars.isNull() && !vars.isObject()) {
            write(resp, 400, errors(error("variables must be a JSON object", "BAD_USER_INPUT", 400)));
            return;
        }
        Map<String, Object> variables = vars == null || vars.isNull() ? Map.of() : MAPPER.convertValue(vars, MAP);
        GraphQLEngine.Prepared prepared = engine.prepare(query, operationName, variables);
        if (!prepared.valid()) {
            ObjectNode out = MAPPER.createObjectNode();
            ArrayNode list = out.putArray("errors");
            for (GraphQLError e : prepared.errors()) {
                list.add(spec(e, e instanceof ValidationError ? "GRAPHQL_VALIDATION_FAILED" : "GRAPHQL_PARSE_FAILED",
                        400));
            }
            write(resp, 400, out);
            return;
        }
        if ("mutation".equals(prepared.operationType())) {
            RateCaps.Refusal refused = caps.take(token, prepared.rootFields());
            if (refused != null) {
                tooMany(resp, refused);
                return;
            }
        }
        ExecutionResult result = engine.execute(query, operationName, variables);
        ObjectNode out = MAPPER.createObjectNode();
        if (!result.getErrors().isEmpty()) {
            // without data the request itself was refused (variables); with data, an error without a code of its own
            // is the simulator's fault
            boolean refused = !result.isDataPresent();
            ArrayNode list = out.putArray("errors");
            result.getErrors().forEach(e -> list.add(refused ? spec(e, "BAD_USER_INPUT", 400)
                    : spec(e, "INTERNAL_SERVER_ERROR", 500)));
        }
        if (!result.isDataPresent()) {
            // the request failed before execution (variables that do not coerce, no such operation)
            write(resp, 400, out);
            return;
        }
        out.set("data", MAPPER.valueToTree(result.getData()));
        write(resp, 200, out);
    }

    private void tooMany(HttpServletResponse resp, RateCaps.Refusal refused) throws IOException {
        long seconds = refused.retryAfterSeconds();
        resp.setHeader("Retry-After", Long.toString(seconds));
        resp.setHeader("X-RateLimit-Limit", Integer.toString(refused.cap().calls()));
        resp.setHeader("X-RateLimit-Remaining", "0");
        resp.setHeader("X-RateLimit-Reset", Long.toString(refused.retryAt().getEpochSecond()));
        ObjectNode e = error("Too many requests for " + refused.operation() + ": at most " + refused.cap().calls()
                             + " per " + describe(refused.cap()) + ". Please retry after " + seconds + " seconds",
                "too_many_requests", 429);
        ((ObjectNode) e.get("extensions")).putObject("metadata")
                .put("retryAfter", refused.retryAt().toEpochMilli())
                .put("operation", refused.operation());
        write(resp, 429, errors(e));
    }

    private static String describe(RateCaps.Cap cap) {
        long s = cap.window().toSeconds();
        return s % 3600 == 0 ? (s == 3600 ? "hour" : s / 3600 + " hours")
                : s % 60 == 0 ? (s == 60 ? "minute" : s / 60 + " minutes") : s + " seconds";
    }

    /** A graphql-java error in the API's shape; its own {@code extensions.code}, else {@code code}. */
    private static ObjectNode spec(GraphQLError error, String code, int status) {
        Map<String, Object> spec = new LinkedHashMap<>(error.toSpecification());
        Object ext = spec.get("extensions");
        Map<String, Object> extensions = new LinkedHashMap<>();
        if (ext instanceof Map<?, ?> m) {
            m.forEach((k, v) -> extensions.put(String.valueOf(k), v));
        }
        extensions.putIfAbsent("code", code);
        extensions.putIfAbsent("status", status);
        spec.put("code", extensions.get("code"));
        spec.put("extensions", extensions);
        return MAPPER.valueToTree(spec);
    }

    private static ObjectNode error(String message, String code, int status) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("message", message);
        e.put("code", code);
        e.putObject("extensions").put("code", code).put("status", status);
        return e;
    }

    private static ObjectNode errors(ObjectNode... list) {
        ObjectNode out = MAPPER.createObjectNode();
        out.putArray("errors").addAll(List.of(list));
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
