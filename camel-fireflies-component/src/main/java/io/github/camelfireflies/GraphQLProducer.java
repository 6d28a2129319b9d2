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
import io.github.camelfireflies.metrics.FirefliesMetrics;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code to("fireflies:graphql")}: runs a GraphQL query (the body, with variables from a header) or a typed operation
 * ({@code activeMeetings}, {@code transcript}) and puts the result in the body as plain Java (Map, List). Failures are
 * {@link io.github.camelfireflies.api.GraphQLException}s set on the exchange; the API key is never in them. The call
 * blocks the route's thread for at most the request timeout.
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
    private FirefliesGraphQLClient client;
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
        super(endpoint);
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
            case transcript -> {
                String id = in.getHeader(FirefliesConstants.TRANSCRIPT_ID, transcriptId, String.class);
                if (id == null || id.isBlank()) {
                    throw new IllegalArgumentException("operation=transcript needs a transcript id: the transcriptId"
                                                       + " option or the " + FirefliesConstants.TRANSCRIPT_ID + " header");
                }
                JsonNode t = client.transcript(id);
                in.setBody(t == null ? null : MAPPER.convertValue(t, MAP));
            }
            case query -> {
                String query = in.getMandatoryBody(String.class);
                JsonNode data = client.execute(query, variables(in.getHeader(FirefliesConstants.GRAPHQL_VARIABLES)));
                in.setBody(MAPPER.convertValue(data, MAP));
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
