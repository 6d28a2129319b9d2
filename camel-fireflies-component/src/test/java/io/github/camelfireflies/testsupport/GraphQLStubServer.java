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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.github.camelfireflies.internal.graphql.RootFields;

/**
 * A GraphQL server on 127.0.0.1 (the JDK's HTTP server) that records every request and answers each root field with
 * what the test says: a JSON value for {@code data.<field>}, or a whole {@link Answer} (status, headers, body).
 */
public final class GraphQLStubServer implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One request as the server saw it. */
    public record Request(List<String> fields, JsonNode variables, String authorization) {
    }

    /** A whole answer. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Function<Request, Object>> fields = new ConcurrentHashMap<>();
    private volatile Function<Request, Answer> override;

    public GraphQLStubServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/graphql", exchange -> {
            try (exchange) {
                String text;
                try (InputStream in = exchange.getRequestBody()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                JsonNode body = MAPPER.readTree(text);
                Request r = new Request(RootFields.of(body.path("query").asText()), body.path("variables"),
                        exchange.getRequestHeaders().getFirst("Authorization"));
                synchronized (requests) {
                    requests.add(r);
                }
                Answer a = override == null ? null : override.apply(r);
                if (a == null) {
                    ObjectNode data = MAPPER.createObjectNode();
                    for (String f : r.fields()) {
                        Function<Request, Object> h = fields.get(f);
                        data.set(f, MAPPER.valueToTree(h == null ? null : h.apply(r)));
                    }
                    a = new Answer(200, Map.of(), MAPPER.createObjectNode().set("data", data).toString());
                }
                byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
                a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /** The GraphQL URL, {@code http://127.0.0.1:<port>/graphql}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql";
    }

    /** Answers a root field with what {@code handler} returns (converted to JSON). */
    public GraphQLStubServer field(String name, Function<Request, Object> handler) {
        fields.put(name, handler);
        return this;
    }

    /** Answers requests with a whole answer while {@code answers} gives one (null: the fields' answers). */
    public void override(Function<Request, Answer> answers) {
        this.override = answers;
    }

    /** Every request so far. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** How many requests asked for a root field. */
    public long count(String field) {
        return requests().stream().filter(r -> r.fields().contains(field)).count();
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
