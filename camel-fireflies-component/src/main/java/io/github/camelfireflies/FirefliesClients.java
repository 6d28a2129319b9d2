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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import io.github.camelfireflies.api.BackfillMode;
import io.github.camelfireflies.api.LiveTranscript;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.internal.budget.BudgetGate;
import io.github.camelfireflies.internal.budget.RateBudget;
import io.github.camelfireflies.internal.graphql.FirefliesGraphQLClient;
import io.github.camelfireflies.internal.graphql.TranscriptFetcher;
import io.github.camelfireflies.internal.backfill.BackfillSource;
import io.github.camelfireflies.internal.stream.TranscriptStream;
import io.github.camelfireflies.internal.websocket.ContainerChoice;
import io.github.camelfireflies.internal.websocket.WebSocketTransport;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the engine's parts for one endpoint, from its options and the component's shared resources: the WebSocket
 * transport, the transcript streams with their backfill, the GraphQL clients and the transcript fetcher. As
 * camel-kafka's client factory does, it keeps the endpoint to options and to making consumers and producers.
 */
final class FirefliesClients {

    private static final Logger LOG = LoggerFactory.getLogger(FirefliesClients.class);

    private final FirefliesEndpoint endpoint;
    private final FirefliesComponent component;
    private final FirefliesConfiguration configuration;
    private final EndpointType type;
    private final List<Consumer<LiveTranscript>> transcriptListeners = new CopyOnWriteArrayList<>();
    private ContainerChoice containers; // guarded by this
    private BackfillSource backfillSource; // guarded by this
    private FirefliesGraphQLClient backfillClient; // guarded by this

    FirefliesClients(FirefliesEndpoint endpoint) {
        this.endpoint = endpoint;
        this.component = endpoint.getComponent();
        this.configuration = endpoint.getConfiguration();
        this.type = endpoint.getType();
    }

    /** A live stream of one meeting, on the endpoint's options and the component's shared resources. */
    TranscriptStream openStream(String meetingId, TranscriptStream.Sink sink) {
        BackfillMode backfill = configuration.backfillMode(type);
        return new TranscriptStream(
                new TranscriptStream.Settings(configuration.clientOptions(type, meetingId), configuration.getEmit(),
                        configuration.getFinalizeAfter(), configuration.getQueueSize(),
                        configuration.getOverflowPolicy(), backfill, configuration.isRouteOnReader()),
                new TranscriptStream.Resources(transport(), component.timer(), component.ioPool(),
                        component.workerPool(), backfill == BackfillMode.NONE ? null : backfillSource()),
                sink);
    }

    /**
     * Where the endpoint's streams fetch sentences: one per endpoint, so that its streams share one rate limit and one
     * count. The GraphQL client is made at the first fetch.
     */
    synchronized BackfillSource backfillSource() {
        if (backfillSource == null) {
            backfillSource = new BackfillSource(id -> backfillClient().liveTranscriptAsync(id).thenApply(this::seen));
        }
        return backfillSource;
    }

    private synchronized FirefliesGraphQLClient backfillClient() {
        if (backfillClient == null) {
            backfillClient = graphQLClient();
        }
        return backfillClient;
    }

    /** Tells the listeners what a backfill learned of a meeting (its title, organizer): no call of its own. */
    private LiveTranscript seen(LiveTranscript t) {
        for (Consumer<LiveTranscript> l : transcriptListeners) {
            try {
                l.accept(t);
            } catch (RuntimeException e) {
                LOG.debug("A transcript listener failed: {}", e.toString());
            }
        }
        return t;
    }

    /** Listens to the {@code transcript(id)} answers the endpoint's backfill gets; returns what stops listening. */
    Runnable listenToTranscripts(Consumer<LiveTranscript> listener) {
        transcriptListeners.add(listener);
        return () -> transcriptListeners.remove(listener);
    }

    /** GraphQL calls made by the backfill of the endpoint's streams. */
    synchronized long backfillCalls() {
        return backfillSource == null ? 0 : backfillSource.calls();
    }

    /** A GraphQL client for the endpoint's key and URL; its asynchronous calls block a thread of the connect pool. */
    FirefliesGraphQLClient graphQLClient() {
        return new FirefliesGraphQLClient(configuration.graphqlUri(), configuration.apiKey(type),
                Duration.ofMillis(configuration.getConnectTimeout()),
                Duration.ofMillis(Math.max(configuration.getConnectTimeout(), 30000)), component.ioPool(), budgetGate());
    }

    /** This endpoint's door to the rate budget of its key (shared with every endpoint of the component that uses it). */
    BudgetGate budgetGate() {
        RateBudget budget = component.budgets().budget(configuration.apiKey(type), RateBudgets.planLimit(configuration));
        return new BudgetGate(budget, Duration.ofMillis(configuration.getBudgetMaxWait()),
                configuration.getBudgetRetries());
    }

    /** The plan limit's calls left now (JMX): -1 without a plan limit or before the first GraphQL client. */
    long budgetRemaining() {
        RateBudget.Snapshot s = budgetSnapshot();
        RateBudget.LimitState p = s == null ? null : s.plan();
        return p == null ? -1 : p.remaining();
    }

    /** Calls of the endpoint's key that the budget refused (never sent), for JMX. */
    long budgetRefused() {
        RateBudget.Snapshot s = budgetSnapshot();
        return s == null ? 0 : s.refused();
    }

    /** The budget of this endpoint's key now, or null before any GraphQL client of the key was made. */
    RateBudget.Snapshot budgetSnapshot() {
        if (!ApiKey.isValid(configuration.getApiKey())) {
            return null;
        }
        RateBudget b = component.budgets().existing(configuration.apiKey(type));
        return b == null ? null : b.snapshot();
    }

    /**
     * With {@code fetchTranscript=true}: fetches finished transcripts within {@code fetchTimeout}, on a GraphQL client
     * whose own timeouts are no longer (so that no thread is held past it); else null.
     */
    TranscriptFetcher transcriptFetcher() {
        if (!configuration.isFetchTranscript()) {
            return null;
        }
        Duration bound = Duration.ofMillis(configuration.getFetchTimeout());
        FirefliesGraphQLClient client = new FirefliesGraphQLClient(configuration.graphqlUri(), configuration.apiKey(type),
                Duration.ofMillis(Math.min(configuration.getConnectTimeout(), configuration.getFetchTimeout())), bound,
                component.ioPool(), budgetGate());
        return new TranscriptFetcher(client::fullTranscriptAsync, component.timer(), bound);
    }

    /** A WebSocket transport on the container the endpoint's options choose (see {@link ContainerChoice}). */
    WebSocketTransport transport() {
        SSLContext sslContext = null;
        SSLContextParameters ssl = configuration.getSslContextParameters();
        if (ssl != null) {
            try {
                sslContext = ssl.createSSLContext(endpoint.getCamelContext());
            } catch (Exception e) {
                throw new IllegalStateException("Cannot create the SSLContext from sslContextParameters: " + e.getMessage(),
                        e);
            }
        }
        return containers().transport(configuration.getMaxMessageSize(), sslContext, configuration.getConnectTimeout());
    }

    private synchronized ContainerChoice containers() {
        if (containers == null) {
            containers = new ContainerChoice(configuration.getWebSocketContainer(), component.getWebSocketProvider(),
                    component::defaultContainer, component.getConfiguration().getMaxMessageSize());
        }
        return containers;
    }

    /** Ends the endpoint's own container; the component's HTTP client may be a new one after a restart. */
    synchronized void stop() {
        if (containers != null) {
            containers.stop();
        }
        backfillClient = null;
    }
}
