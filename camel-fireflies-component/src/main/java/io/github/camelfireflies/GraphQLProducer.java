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
package io.github.camelfireflies;

import io.github.camelfireflies.api.GraphQLOperation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.internal.graphql.FirefliesGraphQLClient;
import io.github.camelfireflies.api.graphql.ConfirmUploadResponse;
import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.internal.graphql.FirefliesGraphQLClient;
import io.github.camelfireflies.internal.graphql.FirefliesOperations;
import io.github.camelfireflies.internal.graphql.OperationSpec;
import io.github.camelfireflies.metrics.FirefliesMetrics;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code to("fireflies:graphql")}: runs a GraphQL query (the body, with variables from a header), or one of the API's
 * operations by its schema name, with arguments from a Map body (or a header) checked before any request, and puts the
 * typed result in the body (records of {@code io.github.camelfireflies.api.graphql}; {@code activeMeetings}, the
 * earlier name, keeps its List of Maps). Paged operations can gather pages; {@code uploadAudio} with a file body
 * uploads it. Failures are {@link io.github.camelfireflies.api.GraphQLException}s set on the exchange, bad
 * arguments {@link IllegalArgumentException}s; the API key is never in them. A call blocks the route's thread for at
 * most the request timeout (each page, each step of an upload).
 */
public class GraphQLProducer extends DefaultProducer {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final GraphQLOperation operation;
    private final Supplier<FirefliesGraphQLClient> clients;
    private final String transcriptId;
    private final String email;
    private final List<String> states;
    private final GraphQLProducerOptions options;
    private FirefliesGraphQLClient client;
    private FirefliesOperations operations;
    private final AtomicLong calls = new AtomicLong();
    private volatile FirefliesMetrics metrics = FirefliesMetrics.NONE;

    /**
     * @param endpoint     the endpoint
     * @param operation    what to run
     * @param clients      makes the GraphQL client when the producer starts
     * @param transcriptId the default transcript id of {@code transcript}, or null
     * @param email        the default e-mail of {@code activeMeetings}, or null
     * @param states       the default states of {@code activeMeetings}
     */
    public GraphQLProducer(Endpoint endpoint, GraphQLOperation operation, Supplier<FirefliesGraphQLClient> clients,
                           String transcriptId, String email, List<String> states) {
        this(endpoint, operation, clients, transcriptId, email, states, new GraphQLProducerOptions());
    }

    /**
     * @param options selection, paging and meeting id of the API's operations
     */
    public GraphQLProducer(Endpoint endpoint, GraphQLOperation operation, Supplier<FirefliesGraphQLClient> clients,
                           String transcriptId, String email, List<String> states, GraphQLProducerOptions options) {
        super(endpoint);
        this.options = options == null ? new GraphQLProducerOptions() : options.copy();
        this.operation = Objects.requireNonNull(operation, "operation");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.transcriptId = transcriptId;
        this.email = email;
        this.states = List.copyOf(states);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        client = clients.get();
        operations = new FirefliesOperations(client.transport());
        metrics = FirefliesMetrics.bind(getEndpoint().getCamelContext(),
                FirefliesMetrics.Source.graphql(null, Map.<String, LongSupplier> of(operation.name(), calls::get)));
    }

    @Override
    protected void doStop() throws Exception {
        metrics.close();
        metrics = FirefliesMetrics.NONE;
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        calls.incrementAndGet();
        switch (operation) {
            case activeMeetings -> {
                String who = in.getHeader(FirefliesConstants.EMAIL, email, String.class);
                String statesHeader = in.getHeader(FirefliesConstants.STATES, String.class);
                List<String> which = statesHeader == null
                        ? states
                        : Arrays.stream(statesHeader.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                                .collect(Collectors.toList());
                List<ActiveMeeting> meetings = client.activeMeetings(who, which);
                in.setBody(meetings.stream().map(FirefliesBinding::toMap).collect(Collectors.toList()));
            }
            case query -> {
                String query = in.getMandatoryBody(String.class);
                JsonNode data = client.execute(query, variables(in.getHeader(FirefliesConstants.GRAPHQL_VARIABLES)));
                in.setBody(MAPPER.convertValue(data, MAP));
            }
            default -> run(in);
        }
    }

    /** One of the API's operations by its schema name. */
    private void run(Message in) throws Exception {
        String field = operation.fieldName();
        OperationSpec spec = FirefliesOperations.spec(field);
        String fields = in.getHeader(FirefliesConstants.GRAPHQL_FIELDS, options.getFields(), String.class);
        if (operation == GraphQLOperation.uploadAudio && RecordingBodies.isRecording(in.getBody())) {
            upload(in);
            return;
        }
        String meetingId = options.getMeetingId();
        Map<String, Object> args = OperationArguments.of(spec, in, true, transcriptId, meetingId, email, states);
        Integer max = in.getHeader(FirefliesConstants.MAX_RESULTS, options.getMaxResults(), Integer.class);
        int maxResults = max == null ? 0 : max;
        boolean gather = spec.paging() != OperationSpec.Paging.NONE && (options.isAllPages() || maxResults > 0);
        in.setBody(gather ? operations.gather(field, args, fields, maxResults) : operations.call(field, args, fields));
    }

    /** uploadAudio with a recording in the body: createUploadUrl, the PUT, confirmUpload. */
    private void upload(Message in) throws Exception {
        Object header = in.getHeader(FirefliesConstants.GRAPHQL_ARGUMENTS);
        Map<String, Object> input = header == null ? Map.of() : OperationArguments.map(header,
                FirefliesConstants.GRAPHQL_ARGUMENTS);
        if (input.size() == 1 && input.get("input") instanceof Map<?, ?> inner) {
            input = OperationArguments.map(inner, "input");
        }
        Path[] spool = new Path[1];
        try {
            ConfirmUploadResponse done = operations.upload(RecordingBodies.of(in, spool), input);
            in.setBody(done);
            if (done != null && done.meetingId() != null) {
                in.setHeader(FirefliesConstants.MEETING_ID, done.meetingId());
            }
        } finally {
            if (spool[0] != null) {
                Files.deleteIfExists(spool[0]);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> variables(Object header) throws Exception {
        if (header == null) {
            return null;
        }
        if (header instanceof Map<?, ?> map) {
            return (Map<String, ?>) map;
        }
        if (header instanceof String text) {
            return text.isBlank() ? null : MAPPER.readValue(text, MAP);
        }
        throw new IllegalArgumentException(FirefliesConstants.GRAPHQL_VARIABLES + " must be a Map or JSON text, was "
                                           + header.getClass().getName());
    }
}
