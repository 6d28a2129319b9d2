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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Raw GraphQL requests to the simulator, to see status codes, headers and the JSON as sent. */
final class GraphQLHttp {

    static final String TRANSCRIPT_QUERY = "query Transcript($id: String!) { transcript(id: $id) {"
                                           + " id title organizer_email is_live"
                                           + " sentences { index text raw_text speaker_name speaker_id start_time end_time } } }";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Response(int status, JsonNode json, HttpResponse<String> raw) {
        JsonNode transcript() {
            return json.path("data").path("transcript");
        }

        /** The sentences' texts, in order. */
        List<String> texts() {
            List<String> texts = new ArrayList<>();
            transcript().path("sentences").forEach(s -> texts.add(s.path("text").asText()));
            return texts;
        }

        boolean live() {
            return transcript().path("is_live").asBoolean();
        }
    }

    private GraphQLHttp() {
    }

    static Response post(FirefliesSimulator sim, String apiKey, String body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(sim.graphqlUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (apiKey != null) {
            req.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> resp = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(resp.statusCode(), SimJson.MAPPER.readTree(resp.body()), resp);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** PUTs {@code bytes} to {@code url}; the HTTP status. */
    static int put(String url, byte[] bytes) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        try {
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Response query(FirefliesSimulator sim, String query, Map<String, ?> variables) {
        ObjectNode body = SimJson.MAPPER.createObjectNode();
        body.put("query", query);
        body.set("variables", SimJson.MAPPER.valueToTree(variables));
        return post(sim, sim.apiKey(), body.toString());
    }

    /** {@code transcript(id)} with every field, as the API's live transcript query asks it. */
    static Response transcript(FirefliesSimulator sim, String id) {
        return query(sim, TRANSCRIPT_QUERY, Map.of("id", id));
    }
}
