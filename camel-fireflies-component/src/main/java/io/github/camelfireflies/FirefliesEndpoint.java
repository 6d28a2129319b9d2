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

import java.util.List;

import io.github.camelfireflies.api.GraphQLOperation;
import io.github.camelfireflies.internal.socketio.SocketIoUris;
import javax.net.ssl.SSLContext;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.internal.budget.BudgetGate;
import io.github.camelfireflies.internal.graphql.FirefliesGraphQLClient;
import io.github.camelfireflies.api.LiveTranscript;
import io.github.camelfireflies.internal.graphql.TranscriptFetcher;
import io.github.camelfireflies.api.GraphQLOperation;
import io.github.camelfireflies.api.BackfillMode;
import io.github.camelfireflies.internal.backfill.BackfillSource;
import io.github.camelfireflies.internal.stream.FirefliesRealtimeClient;
import io.github.camelfireflies.internal.stream.TranscriptStream;
import io.github.camelfireflies.internal.socketio.Backoff;
import io.github.camelfireflies.internal.websocket.JakartaWebSocketTransport;
import io.github.camelfireflies.internal.socketio.SocketIoUris;
import io.github.camelfireflies.internal.websocket.WebSocketTransport;
import io.github.camelfireflies.internal.webhook.BodyLimit;
import io.github.camelfireflies.internal.webhook.DuplicateFilter;
import io.github.camelfireflies.api.WebhookEvent;
import io.github.camelfireflies.internal.webhook.WebhookGate;
import io.github.camelfireflies.internal.webhook.WebhookSignature;
import jakarta.websocket.WebSocketContainer;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.webhook.WebhookCapableEndpoint;
import org.apache.camel.component.webhook.WebhookConfiguration;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.ScheduledPollEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receive live meeting transcripts from the Fireflies.ai Realtime API (one meeting with {@code live}, every meeting in
 * progress with {@code meetings}), and call its GraphQL API ({@code graphql}).
 * <p>
 * The endpoint holds options and makes consumers and producers: the options are checked once per kind by
 * {@link FirefliesConfiguration#validate}, the engine's parts are made by {@link FirefliesClients}, and the webhook side
 * by {@link FirefliesWebhooks}.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "fireflies", title = "Fireflies", syntax = "fireflies:type",
             category = { Category.AI, Category.API }, headersClass = FirefliesConstants.class)
public class FirefliesEndpoint extends ScheduledPollEndpoint implements EndpointServiceLocation, WebhookCapableEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(FirefliesEndpoint.class);

    @UriPath(description = "The kind of endpoint: `live` follows one meeting's transcript as it is spoken; `meetings`"
                           + " follows every meeting in progress (found by polling the GraphQL `active_meetings` query,"
                           + " or by webhooks with `webhookPath`); `graphql` (producer) runs a GraphQL"
                           + " query; `events` takes the Fireflies webhooks, verified, through"
                           + " `webhook:fireflies:events`; `transcripts` emits each finished transcript once, by"
                           + " polling the GraphQL `transcripts` query.",
             enums = "live,meetings,graphql,events,transcripts")
    @Metadata(required = true)
    private EndpointType type;

    @UriParam(label = "common",
              description = "The transcript id of the meeting to follow (required for `live`).")
    private String transcriptId;

    @UriParam
    private FirefliesConfiguration configuration;

    @UriParam
    private TranscriptsConfiguration transcriptsConfiguration = new TranscriptsConfiguration();

    @UriParam(label = "producer", defaultValue = "query",
              description = "With `graphql`: what to run. `query`: the message body is the GraphQL document and the"
                            + " `CamelFirefliesGraphQLVariables` header (a Map or JSON text) its variables; the result"
                            + " is the response's `data` as a Map. Else one of the API's operations, named as its schema"
                            + " names it (`transcripts`, `transcript`, `addToLiveMeeting`, `uploadAudio`, ...): the"
                            + " arguments from a Map body or the `CamelFirefliesGraphQLArguments` header, checked before"
                            + " the request; the result a typed record (or a List of them) that converts to a Map and"
                            + " to JSON. `activeMeetings` (the earlier name of `active_meetings`): the meetings in"
                            + " progress (options or headers `email`, `states`), a List of Maps.")
    private GraphQLOperation operation = GraphQLOperation.query;

    private FirefliesClients clients;
    private FirefliesWebhooks webhooks;

    @UriParam
    private GraphQLProducerOptions graphqlOptions = new GraphQLProducerOptions();

    public FirefliesEndpoint(String uri, FirefliesComponent component, FirefliesConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public FirefliesComponent getComponent() {
        return (FirefliesComponent) super.getComponent();
    }

    /** The one check of this endpoint's options; called by the component once the options are set. */
    void validate() {
        configuration.validate(type, transcriptId);
        if (type == EndpointType.transcripts) {
            transcriptsConfiguration.validate();
        }
        if (type == EndpointType.graphql && operation == null) {
            throw new IllegalArgumentException("operation must be query, activeMeetings or an operation of the API");
        }
    }

    @Override
    public Producer createProducer() {
        if (type != EndpointType.graphql) {
            throw new UnsupportedOperationException("fireflies:" + type + " can only be used as a consumer (from);"
                                                    + " to call the API use to(\"fireflies:graphql\")");
        }
        return new GraphQLProducer(this, operation, clients()::graphQLClient, transcriptId, configuration.getEmail(),
                configuration.meetingStates(), graphqlOptions);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        return switch (type) {
            case live -> configured(new LiveConsumer(this, processor, clients()::openStream, transcriptId));
            case transcripts -> configured(new TranscriptsConsumer(this, processor, clients()::graphQLClient,
                    transcriptsConfiguration.copy(), configuration.getIdempotentRepository()));
            case meetings -> configuration.getWebhookPath() == null ? meetingsConsumer(processor, false)
                    : webhooks().receiving(meetingsConsumer(processor, true), processor);
            case events -> throw new UnsupportedOperationException(
                    "fireflies:events takes webhook deliveries: use from(\"webhook:fireflies:events?webhookSecret=RAW(...)\")");
            case graphql -> throw new UnsupportedOperationException(
                    "fireflies:graphql can only be used as a producer (to); to receive meetings use"
                                                                    + " from(\"fireflies:live?transcriptId=...\") or"
                                                                    + " from(\"fireflies:meetings\")");
        };
    }

    /** The discovery consumer, polling or driven by webhooks: its settings made here only. */
    MeetingsConsumer meetingsConsumer(Processor processor, boolean byWebhooks) {
        FirefliesClients c = clients();
        FirefliesComponent component = getComponent();
        return configured(new MeetingsConsumer(this, processor, new MeetingsConsumer.Settings(
                c::graphQLClient, c::openStream, configuration.getEmail(), configuration.meetingStates(),
                PollSchedule.meetingsInterval(this, byWebhooks), configuration.eventNames(),
                configuration.backfillMode(type), c::backfillCalls, byWebhooks, component.ioPool(), component.timer(),
                c::listenToTranscripts)));
    }

    @Override
    protected void doConfigureConsumer(Consumer consumer) {
        super.doConfigureConsumer(consumer); // ScheduledPollEndpoint's options, then this component's defaults
        PollSchedule.apply(this, consumer);
    }

    /**
     * Expected failures as one line each (a user's exceptionHandler or bridgeErrorHandler replaces it), then the
     * consumer options of the URI.
     */
    private <C extends DefaultConsumer> C configured(C consumer) {
        consumer.setExceptionHandler(new FirefliesExceptionHandler(getCamelContext(), consumer.getClass()));
        try {
            configureConsumer(consumer);
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeCamelException(e);
        }
        return consumer;
    }

    /** The engine's parts for this endpoint, made on first use. */
    synchronized FirefliesClients clients() {
        if (clients == null) {
            clients = new FirefliesClients(this);
        }
        return clients;
    }

    private synchronized FirefliesWebhooks webhooks() {
        if (webhooks == null) {
            webhooks = new FirefliesWebhooks(this);
        }
        return webhooks;
    }

    /** GraphQL calls made by the backfill of this endpoint's streams. */
    public long getBackfillCalls() {
        return clients().backfillCalls();
    }

    @Override
    protected void doStop() throws Exception {
        FirefliesClients c;
        synchronized (this) {
            c = clients;
        }
        if (c != null) {
            c.stop();
        }
        super.doStop();
    }

    // ------------------------------------------------------------------------------------ webhooks

    @Override
    public void setWebhookConfiguration(WebhookConfiguration webhookConfiguration) {
        webhooks().configure(webhookConfiguration);
    }

    public WebhookConfiguration getWebhookConfiguration() {
        return webhooks().configuration();
    }

    @Override
    public List<String> getWebhookMethods() {
        return List.of("POST");
    }

    @Override
    public Processor createWebhookHandler(Processor next) {
        return webhooks().handler(next);
    }

    /** Nothing to register (Fireflies has no API for it): the URL to paste is logged when the route starts. */
    @Override
    public void registerWebhook() {
        LOG.debug("Fireflies webhooks are registered in the Fireflies dashboard only; nothing to do");
    }

    @Override
    public void unregisterWebhook() {
        LOG.debug("Fireflies webhooks are removed in the Fireflies dashboard only; nothing to do");
    }

    // ------------------------------------------------------------------------------------ service location, options

    @Override
    public String getServiceUrl() {
        return SocketIoUris.engineIoUri(configuration.getUrl(), configuration.getPath()).toString();
    }

    @Override
    public String getServiceProtocol() {
        return "socket.io";
    }

    public EndpointType getType() {
        return type;
    }

    public void setType(EndpointType type) {
        this.type = type;
    }

    public String getTranscriptId() {
        return transcriptId;
    }

    public void setTranscriptId(String transcriptId) {
        this.transcriptId = transcriptId;
    }

    public FirefliesConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(FirefliesConfiguration configuration) {
        this.configuration = configuration;
    }

    public GraphQLProducerOptions getGraphqlOptions() {
        return graphqlOptions;
    }

    public void setGraphqlOptions(GraphQLProducerOptions graphqlOptions) {
        this.graphqlOptions = graphqlOptions;
    }

    public TranscriptsConfiguration getTranscriptsConfiguration() {
        return transcriptsConfiguration;
    }

    public void setTranscriptsConfiguration(TranscriptsConfiguration transcriptsConfiguration) {
        this.transcriptsConfiguration = transcriptsConfiguration;
    }

    public GraphQLOperation getOperation() {
        return operation;
    }

    public void setOperation(GraphQLOperation operation) {
        this.operation = operation;
    }
}
