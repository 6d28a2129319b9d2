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

import io.github.camelfireflies.internal.websocket.DefaultContainers;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.internal.graphql.FirefliesGraphQLClient;
import io.github.camelfireflies.api.LiveTranscript;
import io.github.camelfireflies.internal.graphql.TranscriptFetcher;
import io.github.camelfireflies.api.GraphQLOperation;
import io.github.camelfireflies.api.BackfillMode;
import io.github.camelfireflies.internal.stream.BackfillSource;
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
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.component.webhook.WebhookCapableEndpoint;
import org.apache.camel.component.webhook.WebhookConfiguration;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receive live meeting transcripts from the Fireflies.ai Realtime API (one meeting with {@code live}, every meeting in
 * progress with {@code meetings}), and call its GraphQL API ({@code graphql}).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "fireflies", title = "Fireflies", syntax = "fireflies:type",
             category = { Category.AI, Category.API }, headersClass = FirefliesConstants.class)
public class FirefliesEndpoint extends DefaultEndpoint implements EndpointServiceLocation, WebhookCapableEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(FirefliesEndpoint.class);

    /** The kinds of endpoint. */
    public enum EndpointType {
        /** A live subscription to one meeting's transcript. */
        live,
        /** Discovery: a live subscription to every meeting in progress, opened and closed as meetings come and go. */
        meetings,
        /** A producer that runs GraphQL queries against the Fireflies API. */
        graphql,
        /** Fireflies webhook deliveries, verified, one exchange each (through {@code webhook:fireflies:events}). */
        events;

        static EndpointType parse(String remaining) {
            String name = remaining == null ? "" : remaining.trim();
            for (EndpointType t : values()) {
                if (t.name().equalsIgnoreCase(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("Unknown fireflies endpoint type '" + name + "': valid types are "
                                               + Arrays.toString(values()));
        }
    }

    @UriPath(description = "The kind of endpoint: `live` follows one meeting's transcript as it is spoken; `meetings`"
                           + " follows every meeting in progress (found by polling the GraphQL `active_meetings` query,"
                           + " or by webhooks through `webhook:fireflies:meetings`); `graphql` (producer) runs a GraphQL"
                           + " query; `events` takes the Fireflies webhooks, verified, through"
                           + " `webhook:fireflies:events`.",
             enums = "live,meetings,graphql,events")
    @Metadata(required = true)
    private EndpointType type;

    @UriParam(label = "common",
              description = "The transcript id of the meeting to follow (required for `live`).")
    private String transcriptId;

    @UriParam
    private FirefliesConfiguration configuration;

    private DefaultContainers.Owned ownContainer;
    private WebhookConfiguration webhookConfiguration;
    private volatile boolean webhookUrlLogged;
    private BackfillSource backfillSource;
    private FirefliesGraphQLClient backfillClient;
    private final List<java.util.function.Consumer<LiveTranscript>> transcriptListeners = new CopyOnWriteArrayList<>();
    private boolean pollIntervalSet;

    /** The safety-net poll of {@code webhook:fireflies:meetings} when {@code pollInterval} is not set: once an hour. */
    public static final long WEBHOOK_POLL_INTERVAL = 3_600_000;

    @UriParam(label = "consumer",
              description = "With `meetings`: whose meetings to follow, by e-mail. Empty: the API key's own user. Admins"
                            + " may name a teammate.")
    private String email;

    @UriParam(label = "consumer", defaultValue = "active,paused",
              description = "With `meetings`: which meeting states to follow, comma-separated (`active`, `paused`).")
    private String states = "active,paused";

    @UriParam(label = "consumer", defaultValue = "60000", javaType = "java.time.Duration",
              description = "With `meetings`: how often to ask the GraphQL API for the meetings in progress"
                            + " (milliseconds). The default, one call a minute, uses a sixtieth of the Business plan's"
                            + " 60 requests a minute and finds a new meeting within a minute; Free keys allow 50"
                            + " requests a day, so they need 30 minutes or more, and Pro keys 500 a day, so 5 minutes or"
                            + " more. On HTTP 429 or a rate-limit error the interval doubles (up to 16 times) or follows"
                            + " the server's Retry-After. With `webhook:fireflies:meetings` the poll is only a safety net"
                            + " (meetings whose `meeting.bot_joined` was missed, names, ends): not set, it is 3600000 (one"
                            + " call an hour, 24 a day, which leaves most of a Free key's 50 for the backfill and"
                            + " transcripts), and 0 turns it off.")
    private long pollInterval = 60000;

    @UriParam(label = "producer", defaultValue = "query",
              description = "With `graphql`: what to run. `query`: the message body is the GraphQL document and the"
                            + " `CamelFirefliesGraphQLVariables` header (a Map or JSON text) its variables; the result"
                            + " is the response's `data` as a Map. `activeMeetings`: the meetings in progress (options"
                            + " or headers `email`, `states`), a List of Maps. `transcript`: one transcript with its"
                            + " sentences (the `transcriptId` option or the `CamelFirefliesTranscriptId` header), a Map,"
                            + " or null when unknown.")
    private GraphQLOperation operation = GraphQLOperation.query;

    public FirefliesEndpoint(String uri, FirefliesComponent component, FirefliesConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public FirefliesComponent getComponent() {
        return (FirefliesComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        if (type != EndpointType.graphql) {
            throw new UnsupportedOperationException("fireflies:" + type + " can only be used as a consumer (from);"
                                                    + " to call the API use to(\"fireflies:graphql\")");
        }
        return new GraphQLProducer(this, operation, this::graphQLClient, transcriptId, email, meetingStates());
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = switch (type) {
            case events -> throw new UnsupportedOperationException(
                    "fireflies:events takes webhook deliveries: use from(\"webhook:fireflies:events?webhookSecret=RAW(...)\")");
            case live -> new LiveConsumer(this, processor, this::openStream, transcriptId);
            case meetings -> {
                if (pollInterval <= 0) {
                    throw new IllegalArgumentException("fireflies:meetings polls: pollInterval must be positive, was "
                                                       + pollInterval + " (0 turns polling off only with"
                                                       + " webhook:fireflies:meetings, which meeting.bot_joined drives)");
                }
                yield new MeetingsConsumer(this, processor, new MeetingsConsumer.Settings(
                        this::graphQLClient, this::openStream, email, meetingStates(), pollInterval, eventNames(),
                        backfillMode(), this::getBackfillCalls, false, getComponent().ioPool(), getComponent().timer(),
                        this::listenToTranscripts));
            }
            case graphql -> throw new UnsupportedOperationException(
                    "fireflies:graphql can only be used as a producer (to); to receive meetings use"
                                                                    + " from(\"fireflies:live?transcriptId=...\") or"
                                                                    + " from(\"fireflies:meetings\")");
        };
        if (consumer instanceof DefaultConsumer c) {
            // expected failures as one line each; a user's exceptionHandler or bridgeErrorHandler replaces it below
            c.setExceptionHandler(new FirefliesExceptionHandler(getCamelContext(), consumer.getClass()));
        }
        configureConsumer(consumer);
        return consumer;
    }

    /** A live stream of one meeting, on this endpoint's options and the component's shared resources. */
    TranscriptStream openStream(String meetingId, TranscriptStream.Sink sink) {
        BackfillMode backfill = backfillMode();
        return new TranscriptStream(
                new TranscriptStream.Settings(clientOptions(meetingId), configuration.getEmit(),
                        configuration.getFinalizeAfter(), configuration.getQueueSize(),
                        configuration.getOverflowPolicy(), backfill),
                new TranscriptStream.Resources(transport(), getComponent().timer(), getComponent().ioPool(),
                        getComponent().workerPool(), backfill == BackfillMode.NONE ? null : backfillSource()),
                sink);
    }

    /** The backfill mode: the option, else {@code gaps} for {@code live} and {@code all} for {@code meetings}. */
    BackfillMode backfillMode() {
        BackfillMode b = configuration.getBackfill();
        if (b != null) {
            return b;
        }
        return type == EndpointType.meetings ? BackfillMode.ALL : BackfillMode.GAPS;
    }

    /** The GraphQL endpoint: the option, else the one on the realtime server's host. */
    URI graphqlUri() {
        String configured = configuration.getGraphqlUrl();
        if (configured == null || configured.isBlank()) {
            return FirefliesGraphQLClient.besideRealtime(configuration.getUrl());
        }
        try {
            return URI.create(configured.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("graphqlUrl is not a valid URL: " + e.getMessage(), e);
        }
    }

    /**
     * Where this endpoint's streams fetch sentences: one per endpoint, so that its streams share one rate limit and
     * one count. The GraphQL client (and with it the component's HTTP client) is made at the first fetch.
     */
    synchronized BackfillSource backfillSource() {
        if (backfillSource == null) {
            backfillSource = new BackfillSource(id -> backfillClient().liveTranscriptAsync(id).thenApply(this::seen));
        }
        return backfillSource;
    }

    /** Tells the listeners what a backfill learned of a meeting (its title, organizer): no call of its own. */
    private LiveTranscript seen(LiveTranscript t) {
        for (java.util.function.Consumer<LiveTranscript> l : transcriptListeners) {
            try {
                l.accept(t);
            } catch (RuntimeException e) {
                LOG.debug("A transcript listener failed: {}", e.toString());
            }
        }
        return t;
    }

    /** Listens to the {@code transcript(id)} answers this endpoint's backfill gets; returns what stops listening. */
    Runnable listenToTranscripts(java.util.function.Consumer<LiveTranscript> listener) {
        transcriptListeners.add(listener);
        return () -> transcriptListeners.remove(listener);
    }

    private synchronized BackfillSource existingBackfillSource() {
        return backfillSource;
    }

    private synchronized FirefliesGraphQLClient backfillClient() {
        if (backfillClient == null) {
            backfillClient = graphQLClient();
        }
        return backfillClient;
    }

    /** GraphQL calls made by the backfill of this endpoint's streams. */
    public long getBackfillCalls() {
        BackfillSource s = existingBackfillSource();
        return s == null ? 0 : s.calls();
    }

    /**
     * The endpoint's container if it has one; else the component's shared one, unless this endpoint needs TLS
     * settings or a larger frame limit than the shared one has: then a container of its own, closed when the endpoint
     * stops.
     */
    private synchronized WebSocketTransport transport() {
        Map<String, Object> props = new HashMap<>();
        SSLContext sslContext = null;
        SSLContextParameters ssl = configuration.getSslContextParameters();
        if (ssl != null) {
            try {
                sslContext = ssl.createSSLContext(getCamelContext());
            } catch (Exception e) {
                throw new IllegalStateException("Cannot create the SSLContext from sslContextParameters: " + e.getMessage(),
                        e);
            }
            DefaultContainers.addTlsUserProperties(sslContext, props);
        }
        FirefliesComponent component = getComponent();
        WebSocketContainer container = configuration.getWebSocketContainer();
        if (container != null) {
            return new JakartaWebSocketTransport(container, configuration.getMaxMessageSize(), props,
                    DefaultContainers.assemblesParts(container));
        }
        DefaultContainers.Owned owned;
        if (sslContext == null && configuration.getMaxMessageSize() <= component.getConfiguration().getMaxMessageSize()) {
            owned = component.defaultContainer();
        } else {
            if (ownContainer == null) {
                ownContainer = DefaultContainers.create(component.getWebSocketProvider(), new DefaultContainers.Settings(
                        configuration.getMaxMessageSize(), sslContext, configuration.getConnectTimeout()));
            }
            owned = ownContainer;
        }
        props.putAll(owned.userProperties());
        return owned.transport(configuration.getMaxMessageSize(), props);
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (ownContainer != null) {
            ownContainer.stop();
            ownContainer = null;
        }
        backfillClient = null; // the component's HTTP client may be a new one after a restart
        super.doStop();
    }

    // ------------------------------------------------------------------------------------ webhooks

    @Override
    public void setWebhookConfiguration(WebhookConfiguration webhookConfiguration) {
        // Camel's default path is a hash of this endpoint's URI, which holds the webhook secret: never that one
        if (webhookConfiguration.getWebhookPath() == null) {
            webhookConfiguration.setWebhookPath("/fireflies/" + type);
        }
        this.webhookConfiguration = webhookConfiguration;
    }

    public WebhookConfiguration getWebhookConfiguration() {
        return webhookConfiguration;
    }

    @Override
    public List<String> getWebhookMethods() {
        return List.of("POST");
    }

    @Override
    public Processor createWebhookHandler(Processor next) {
        if (type != EndpointType.events && type != EndpointType.meetings) {
            throw new UnsupportedOperationException("webhook:fireflies:" + type + " is not supported: use"
                                                    + " webhook:fireflies:events or webhook:fireflies:meetings");
        }
        WebhookSignature signature = webhookSignature();
        WebhookHandler.Deliveries deliveries = deliveries();
        String name = "webhook:fireflies:" + type;
        WebhookHandler.Target target;
        Set<String> accepted;
        if (type == EndpointType.events) {
            Set<String> names = eventNames();
            accepted = configuration.getEvents().trim().equals(FirefliesConfiguration.DEFAULT_EVENTS)
                    ? WebhookEvent.KNOWN_EVENTS : names;
            target = new WebhookRouting(next, transcriptFetcher(), getComponent().workerPool(), null, name);
        } else {
            MeetingsConsumer consumer = new MeetingsConsumer(this, next, new MeetingsConsumer.Settings(
                    this::graphQLClient, this::openStream, email, meetingStates(), webhookPollInterval(), eventNames(),
                    backfillMode(), this::getBackfillCalls, true, getComponent().ioPool(), getComponent().timer(),
                    this::listenToTranscripts));
            // as createConsumer: expected failures as one line each (an exceptionHandler of the route replaces it)
            consumer.setExceptionHandler(new FirefliesExceptionHandler(getCamelContext(), MeetingsConsumer.class));
            try {
                configureConsumer(consumer);
            } catch (Exception e) {
                throw RuntimeCamelException.wrapRuntimeCamelException(e);
            }
            // the webhook events the route takes besides the live ones: those `events` names (all with *)
            Set<String> names = eventNames();
            Set<String> routed = new LinkedHashSet<>();
            for (String e : WebhookEvent.KNOWN_EVENTS) {
                if (names.isEmpty() || names.contains(e)) {
                    routed.add(e);
                }
            }
            accepted = new LinkedHashSet<>(routed);
            accepted.add(WebhookEvent.MEETING_BOT_JOINED);
            accepted.add(WebhookEvent.MEETING_TRANSCRIBED);
            WebhookRouting routing = routed.isEmpty() ? null
                    : new WebhookRouting(next, transcriptFetcher(), getComponent().workerPool(), consumer::knownMeeting,
                            name);
            target = new MeetingsTarget(consumer, routing, routed);
            // the first meeting.bot_joined should not wait for the WebSocket container to be made: make it now
            transport();
        }
        WebhookGate gate = new WebhookGate(signature, accepted, deliveries::firstSeen);
        if (signature != null) {
            signature.isValid(new byte[1], "00"); // loads the HMAC provider now rather than on the first delivery
        }
        logWebhookUrl();
        return new WebhookHandler(gate, new BodyLimit(configuration.getMaxBodySize()), deliveries, name, target);
    }

    /** The safety-net poll of {@code webhook:fireflies:meetings}: the option when set (0: off), else once an hour. */
    long webhookPollInterval() {
        return pollIntervalSet ? pollInterval : WEBHOOK_POLL_INTERVAL;
    }

    /**
     * With {@code fetchTranscript=true}: fetches finished transcripts within {@code fetchTimeout}, on a GraphQL client
     * whose own timeouts are no longer (so that no thread is held past it); else null.
     */
    private TranscriptFetcher transcriptFetcher() {
        if (!configuration.isFetchTranscript()) {
            return null;
        }
        Duration bound = Duration.ofMillis(configuration.getFetchTimeout());
        FirefliesGraphQLClient client = new FirefliesGraphQLClient(graphqlUri(), apiKey(),
                Duration.ofMillis(Math.min(configuration.getConnectTimeout(), configuration.getFetchTimeout())), bound,
                getComponent().ioPool());
        return new TranscriptFetcher(client::fullTranscriptAsync, getComponent().timer(), bound);
    }

    /** The signature check, or null when unsigned deliveries were allowed on purpose; refuses the start otherwise. */
    private WebhookSignature webhookSignature() {
        String secret = configuration.getWebhookSecret();
        if (secret != null && !secret.isEmpty()) {
            return WebhookSignature.of(secret);
        }
        if (!configuration.isAllowUnsigned()) {
            throw new IllegalArgumentException("webhook:fireflies:" + type + " needs a webhookSecret (the signing secret"
                                               + " set in the Fireflies dashboard): without one, anyone who can reach"
                                               + " the URL could post events. Set webhookSecret=RAW(...), or"
                                               + " allowUnsigned=true to take unsigned deliveries anyway.");
        }
        LOG.warn("webhook:fireflies:{} takes unsigned deliveries (allowUnsigned=true): anyone who can reach its URL can"
                 + " post events", type);
        return null;
    }

    /** Exact repeats: the idempotent repository when one is given, else a bounded in-memory window. */
    private WebhookHandler.Deliveries deliveries() {
        IdempotentRepository repository = configuration.getIdempotentRepository();
        if (repository != null) {
            // as the consumers do: started here (idempotent), stopped by its owner
            ServiceHelper.startService(repository);
            return new WebhookHandler.Deliveries() {
                @Override
                public boolean firstSeen(byte[] body) {
                    return repository.add("fireflies-webhook:" + DuplicateFilter.key(body));
                }

                @Override
                public void forget(byte[] body) {
                    repository.remove("fireflies-webhook:" + DuplicateFilter.key(body));
                }
            };
        }
        DuplicateFilter filter = new DuplicateFilter(Duration.ofMillis(configuration.getDuplicateWindow()),
                DuplicateFilter.DEFAULT_MAX_ENTRIES);
        return new WebhookHandler.Deliveries() {
            @Override
            public boolean firstSeen(byte[] body) {
                return filter.firstSeen(body);
            }

            @Override
            public void forget(byte[] body) {
                filter.forget(body);
            }
        };
    }

    /** Fireflies has no API to register a webhook: say once where to paste the URL. */
    private void logWebhookUrl() {
        if (webhookUrlLogged || webhookConfiguration == null) {
            return;
        }
        webhookUrlLogged = true;
        String url;
        try {
            url = webhookConfiguration.computeFullExternalUrl();
        } catch (Exception e) {
            url = "(unknown: " + e.getMessage() + "; set webhookExternalUrl)";
        }
        LOG.info("Fireflies has no API to register webhooks: in the Fireflies dashboard's developer settings set the"
                 + " webhook URL to {} and its secret to this endpoint's webhookSecret", url);
        if (webhookConfiguration.getWebhookExternalUrl() == null && (url.contains("://0.0.0.0") || url.contains("://localhost")
                                                                     || url.contains("://127."))) {
            LOG.warn("The webhook URL {} is not reachable from Fireflies: set webhookExternalUrl to the public https URL"
                     + " that reaches this application", url);
        }
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

    /** Fails endpoint creation with a message that says what is wrong and how to fix it. */
    void validate() {
        if (type == EndpointType.live && (transcriptId == null || transcriptId.isBlank())) {
            throw new IllegalArgumentException(
                    "fireflies:live needs a transcriptId, e.g. fireflies:live?transcriptId=<the meeting's transcript id>");
        }
        if (configuration.getMaxBodySize() <= 0) {
            throw new IllegalArgumentException("maxBodySize must be positive, was " + configuration.getMaxBodySize());
        }
        if (configuration.getDuplicateWindow() < 0) {
            throw new IllegalArgumentException("duplicateWindow must not be negative, was "
                                               + configuration.getDuplicateWindow());
        }
        eventNames(); // validates events
        if (configuration.getFetchTimeout() <= 0) {
            throw new IllegalArgumentException("fetchTimeout must be positive, was " + configuration.getFetchTimeout());
        }
        if (type == EndpointType.events) {
            if (configuration.isFetchTranscript()) {
                apiKey(); // the fetch needs the key
                validateGraphqlUrl();
            }
            return; // webhooks need neither the key nor the realtime URL
        }
        apiKey(); // validates the key
        URI uri = SocketIoUris.engineIoUri(configuration.getUrl(), configuration.getPath());
        if ("ws".equals(uri.getScheme()) && !configuration.isAllowInsecure() && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("Refusing the plain ws:// URL to " + uri.getHost()
                                               + ": the API key would cross the network unencrypted. Use wss://,"
                                               + " or set allowInsecure=true if you really mean it.");
        }
        if (configuration.getMaxMessageSize() <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive, was " + configuration.getMaxMessageSize());
        }
        if (configuration.getQueueSize() <= 0) {
            throw new IllegalArgumentException("queueSize must be positive, was " + configuration.getQueueSize());
        }
        if (configuration.getConnectTimeout() <= 0) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + configuration.getConnectTimeout());
        }
        if (configuration.getReconnectAttempts() < -1) {
            throw new IllegalArgumentException(
                    "reconnectAttempts must be -1 (never), 0 (no limit) or positive, was "
                                               + configuration.getReconnectAttempts());
        }
        if (configuration.getEmit() == null) {
            throw new IllegalArgumentException("emit must be revisions, changes or final");
        }
        if (configuration.getFinalizeAfter() < 0) {
            throw new IllegalArgumentException("finalizeAfter must not be negative, was " + configuration.getFinalizeAfter());
        }
        backoff(); // validates the reconnect options
        if (type == EndpointType.meetings || type == EndpointType.graphql) {
            validateGraphQL();
        } else if (backfillMode() != BackfillMode.NONE) {
            validateGraphqlUrl();
        }
    }

    private void validateGraphQL() {
        validateGraphqlUrl();
        if (pollInterval < 0 || pollInterval == 0 && type != EndpointType.meetings) {
            throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
        }
        meetingStates(); // validates states
        if (operation == null) {
            throw new IllegalArgumentException("operation must be one of query, activeMeetings, transcript");
        }
    }

    private void validateGraphqlUrl() {
        URI g = graphqlUri();
        if (g.getScheme() == null || g.getHost() == null
                || !(g.getScheme().equals("https") || g.getScheme().equals("http"))) {
            throw new IllegalArgumentException("graphqlUrl must be an http(s) URL, was " + g);
        }
        if ("http".equals(g.getScheme()) && !configuration.isAllowInsecure() && !isLoopback(g.getHost())) {
            throw new IllegalArgumentException("Refusing the plain http:// graphqlUrl to " + g.getHost()
                                               + ": the API key would cross the network unencrypted. Use https://,"
                                               + " or set allowInsecure=true if you really mean it.");
        }
    }

    /** The selected meeting states (lower case); never empty. */
    List<String> meetingStates() {
        List<String> list = states == null ? List.of()
                : Arrays.stream(states.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .map(s -> s.toLowerCase(Locale.ROOT)).distinct().collect(Collectors.toList());
        if (list.isEmpty()) {
            throw new IllegalArgumentException("states must name at least one of active, paused");
        }
        for (String s : list) {
            if (!s.equals("active") && !s.equals("paused")) {
                throw new IllegalArgumentException("Unknown meeting state '" + s + "': valid states are active, paused");
            }
        }
        return list;
    }

    /** The API key, parsed; fails with a message that says where to set it (and never shows it). */
    ApiKey apiKey() {
        try {
            return ApiKey.of(configuration.getApiKey());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fireflies:" + type + " needs an apiKey (" + e.getMessage() + "): set it on"
                                               + " the endpoint (apiKey=RAW(...)) or on the component"
                                               + " (camel.component.fireflies.api-key)");
        }
    }

    /** A GraphQL client for this endpoint's key and URL; its asynchronous calls block a thread of the connect pool. */
    FirefliesGraphQLClient graphQLClient() {
        return new FirefliesGraphQLClient(graphqlUri(), apiKey(), Duration.ofMillis(configuration.getConnectTimeout()),
                Duration.ofMillis(Math.max(configuration.getConnectTimeout(), 30000)), getComponent().ioPool());
    }

    /** The options of a live subscription to one meeting. */
    FirefliesRealtimeClient.Options clientOptions(String meetingId) {
        return new FirefliesRealtimeClient.Options(configuration.getUrl(), configuration.getPath(),
                apiKey(), meetingId, eventNames(), configuration.getConnectTimeout(), backoff(),
                configuration.getReconnectAttempts(), configuration.isReconnectOnServerDisconnect());
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if ("localhost".equalsIgnoreCase(h)) {
            return true;
        }
        // only literal addresses: no name lookup here
        if (!h.isEmpty() && (Character.isDigit(h.charAt(0)) || h.contains(":"))) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    Backoff backoff() {
        return new Backoff(configuration.getReconnectDelay(), configuration.getReconnectDelayMax(),
                configuration.getRandomizationFactor());
    }

    /** The selected event names; empty means every event. */
    Set<String> eventNames() {
        String events = configuration.getEvents();
        if (events == null || events.isBlank()) {
            throw new IllegalArgumentException("events must name at least one event, or * for all");
        }
        Set<String> names = Arrays.stream(events.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return names.contains("*") ? Set.of() : names;
    }

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

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public String getStates() {
        return states;
    }

    public void setStates(String states) {
        this.states = states;
    }

    public long getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(long pollInterval) {
        this.pollInterval = pollInterval;
        this.pollIntervalSet = true;
    }

    public GraphQLOperation getOperation() {
        return operation;
    }

    public void setOperation(GraphQLOperation operation) {
        this.operation = operation;
    }

}
