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
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.language.StringValue;
import graphql.schema.Coercing;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.idl.FieldWiringEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.WiringFactory;

/**
 * A GraphQL server for tests on 127.0.0.1 that answers from the Fireflies API's schema (the test resource
 * {@code fireflies-schema.graphql}) with graphql-java: every request is validated and executed against the schema
 * (its errors recorded), fields answer sample values of their type unless a test gives a fetcher for them, and every
 * request is recorded. Also takes PUTs under {@code /upload/}, reading them as a stream and recording their size and
 * digest.
 */
public final class GraphQLSchemaServer implements AutoCloseable {

    /** The schema's text. */
    public static final String SCHEMA_RESOURCE = "/" + io.github.camelfireflies.simulator.FirefliesSimulator.GRAPHQL_SCHEMA_RESOURCE;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, DataFetcher<?>> NO_FETCHERS = Map.of();
    private static volatile GraphQLSchema schema;

    /** One GraphQL request as received. */
    public record Request(String query, Map<String, Object> variables, String authorization, List<String> errors) {
    }

    /** One PUT as received. */
    public record Upload(String path, long bytes, String sha256, String contentType, String authorization) {
    }

    private final HttpServer server;
    private final GraphQL graphQL;
    private final Map<String, DataFetcher<?>> fetchers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private final AtomicLong receiving = new AtomicLong();

    public GraphQLSchemaServer() throws IOException {
        graphQL = GraphQL.newGraphQL(schema(fetchers)).build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/graphql", this::graphql);
        server.createContext("/upload/", this::upload);
        server.start();
    }

    /** The schema parsed from the test resource (without fetchers). */
    public static GraphQLSchema schema() {
        if (schema == null) {
            schema = schema(NO_FETCHERS);
        }
        return schema;
    }

    /** The schema's text. */
    public static String schemaText() {
        try (InputStream in = GraphQLSchemaServer.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GraphQLSchema schema(Map<String, DataFetcher<?>> fetchers) {
        TypeDefinitionRegistry registry = new SchemaParser().parse(schemaText());
        GraphQLScalarType dateTime = GraphQLScalarType.newScalar().name("DateTime").coercing(new Coercing<String, String>() {
            @Override
            @SuppressWarnings("deprecation")
            public String serialize(Object value) {
                return value.toString();
            }

            @Override
            @SuppressWarnings("deprecation")
            public String parseValue(Object input) {
                return input.toString();
            }

            @Override
            @SuppressWarnings("deprecation")
            public String parseLiteral(Object input) {
                return ((StringValue) input).getValue();
            }
        }).build();
        DataFetcher<Object> sample = env -> {
            String field = env.getField().getName();
            DataFetcher<?> given = fetchers.get(((GraphQLObjectType) env.getParentType()).getName() + "." + field);
            if (given != null) {
                return given.get(env);
            }
            if (env.getSource() instanceof Map<?, ?> m && m.containsKey(field)) {
                return m.get(field);
            }
            return sample(env.getFieldType());
        };
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring().scalar(dateTime).wiringFactory(new WiringFactory() {
            @Override
            public DataFetcher<?> getDefaultDataFetcher(FieldWiringEnvironment environment) {
                return sample;
            }
        }).build();
        return new SchemaGenerator().makeExecutableSchema(registry, wiring);
    }

    /** A sample value of a type: two items for a list, an empty object whose fields answer samples in turn. */
    private static Object sample(GraphQLType type) {
        if (type instanceof GraphQLNonNull n) {
            return sample(n.getWrappedType());
        }
        if (type instanceof GraphQLList l) {
            return List.of(sample(l.getWrappedType()), sample(l.getWrappedType()));
        }
        if (type instanceof GraphQLObjectType) {
            return new HashMap<String, Object>();
        }
        if (type instanceof GraphQLEnumType e) {
            return e.getValues().get(0).getName();
        }
        return switch (((GraphQLScalarType) type).getName()) {
            case "Int" -> 7;
            case "Float" -> 1.5;
            case "Boolean" -> true;
            case "ID" -> "id-1";
            case "DateTime" -> "2026-12-01T09:00:00Z";
            default -> "text";
        };
    }

    /** Answers {@code Type.field} with this fetcher from now on. */
    public GraphQLSchemaServer fetcher(String coordinates, DataFetcher<?> fetcher) {
        fetchers.put(coordinates, fetcher);
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql";
    }

    /** Where a PUT is taken. */
    public String uploadUrl(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/upload/" + name;
    }

    /** The bytes of the PUT being received (or the last one) read so far. */
    public long receivedSoFar() {
        return receiving.get();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Upload> uploads() {
        return List.copyOf(uploads);
    }

    private void graphql(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, Object> body = MAPPER.readValue(exchange.getRequestBody(), new TypeReference<>() {
            });
            String query = (String) body.get("query");
            @SuppressWarnings("unchecked")
            Map<String, Object> variables = body.get("variables") instanceof Map<?, ?> v
                    ? (Map<String, Object>) v : Map.of();
            ExecutionResult result = graphQL.execute(ExecutionInput.newExecutionInput().query(query).variables(variables));
            List<String> errors = new ArrayList<>();
            for (GraphQLError e : result.getErrors()) {
                errors.add(e.getMessage());
            }
            requests.add(new Request(query, variables, exchange.getRequestHeaders().getFirst("Authorization"),
                    List.copyOf(errors)));
            byte[] answer = MAPPER.writeValueAsBytes(result.toSpecification());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private void upload(HttpExchange exchange) throws IOException {
        try (exchange) {
            MessageDigest digest = sha256();
            long bytes = 0;
            byte[] buffer = new byte[8192];
            try (InputStream in = exchange.getRequestBody()) {
                receiving.set(0);
                for (int n; (n = in.read(buffer)) > 0; bytes += n) {
                    digest.update(buffer, 0, n);
                    receiving.addAndGet(n);
                }
            }
            uploads.add(new Upload(exchange.getRequestURI().getPath(), bytes, HexFormat.of().formatHex(digest.digest()),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders("PUT".equals(exchange.getRequestMethod()) ? 200 : 405, -1);
        }
    }

    /** A digest for comparing uploaded bytes. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
