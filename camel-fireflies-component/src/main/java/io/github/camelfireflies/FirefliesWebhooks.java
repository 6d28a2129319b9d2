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
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.camelfireflies.api.WebhookEvent;
import io.github.camelfireflies.internal.webhook.BodyLimit;
import io.github.camelfireflies.internal.webhook.DuplicateFilter;
import io.github.camelfireflies.internal.webhook.WebhookGate;
import io.github.camelfireflies.internal.webhook.WebhookSignature;
import org.apache.camel.Processor;
import org.apache.camel.component.webhook.WebhookConfiguration;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook side of an endpoint ({@code webhook:fireflies:events} and the deprecated {@code webhook:fireflies:meetings}
 * through Camel's webhook component; {@code fireflies:meetings?webhookPath=...} through a REST consumer of its own): its
 * path, the handler that checks each delivery before anything is parsed, and the one log line
 * that says where to paste the URL (Fireflies has no API to register a webhook).
 */
final class FirefliesWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(FirefliesWebhooks.class);

    private final FirefliesEndpoint endpoint;
    private final FirefliesConfiguration configuration;
    private final EndpointType type;
    private volatile WebhookConfiguration webhookConfiguration;
    private volatile boolean urlLogged;

    FirefliesWebhooks(FirefliesEndpoint endpoint) {
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
        this.type = endpoint.getType();
    }

    /** Camel's default path is a hash of the endpoint's URI, which holds the webhook secret: never that one. */
    void configure(WebhookConfiguration webhookConfiguration) {
        if (webhookConfiguration.getWebhookPath() == null) {
            webhookConfiguration.setWebhookPath("/fireflies/" + type);
        }
        this.webhookConfiguration = webhookConfiguration;
    }

    WebhookConfiguration configuration() {
        return webhookConfiguration;
    }

    /**
     * {@code fireflies:meetings?webhookPath=...}: the REST consumer of the meetings consumer, its path and component as
     * camel-webhook would have them ({@link WebhookConfiguration} is camel-webhook's own), found when it starts.
     */
    MeetingsConsumer receiving(MeetingsConsumer consumer, Processor next) {
        WebhookConfiguration wc = new WebhookConfiguration();
        wc.setWebhookPath(configuration.getWebhookPath());
        wc.setWebhookComponentName(configuration.getWebhookComponentName());
        wc.setWebhookExternalUrl(configuration.getWebhookExternalUrl());
        wc.setWebhookAutoRegister(false);
        wc.storeConfiguration(endpoint.getCamelContext().getRestConfiguration());
        configure(wc);
        String name = "fireflies:meetings";
        consumer.webhookReceiver(new WebhookReceiver(endpoint.getCamelContext(), wc, handler(next, consumer), name));
        return consumer;
    }

    /**
     * The processor behind camel-webhook's REST consumer ({@code webhook:fireflies:events}, the deprecated
     * {@code webhook:fireflies:meetings}): verify, refuse repeats, then route (events) or follow (meetings).
     */
    Processor handler(Processor next) {
        if (type == EndpointType.meetings) {
            LOG.warn("webhook:fireflies:meetings is deprecated: use from(\"fireflies:meetings?webhookPath={}&...\")"
                     + " (the same options; the route's consumer is then the meetings consumer, which suspend, JMX"
                     + " and health checks see)", webhookConfiguration == null ? "/fireflies/meetings"
                             : webhookConfiguration.getWebhookPath());
        }
        return handler(next, null);
    }

    /**
     * @param meetings the meetings consumer the deliveries go to (the route's); null: with {@code meetings}, make one
     *                 and own it ({@code webhook:fireflies:meetings})
     */
    private Processor handler(Processor next, MeetingsConsumer meetings) {
        if (type != EndpointType.events && type != EndpointType.meetings) {
            throw new UnsupportedOperationException("webhook:fireflies:" + type + " is not supported: use"
                                                    + " webhook:fireflies:events or webhook:fireflies:meetings");
        }
        String name = (meetings == null ? "webhook:fireflies:" : "fireflies:") + type;
        WebhookSignature signature = signature(name);
        WebhookHandler.Deliveries deliveries = deliveries();
        FirefliesClients clients = endpoint.clients();
        Set<String> names = configuration.eventNames();
        WebhookHandler.Target target;
        Set<String> accepted;
        if (type == EndpointType.events) {
            accepted = configuration.getEvents().trim().equals(FirefliesConfiguration.DEFAULT_EVENTS)
                    ? WebhookEvent.KNOWN_EVENTS : names;
            target = new WebhookRouting(next, clients.transcriptFetcher(), endpoint.getComponent().workerPool(), null,
                    name);
        } else {
            MeetingsConsumer consumer = meetings != null ? meetings : endpoint.meetingsConsumer(next, true);
            if (meetings == null) {
                // behind camel-webhook the route's consumer is its REST consumer: name ours after the route made now
                String routeId = endpoint.getCamelContext().getCamelContextExtension().getCreateRoute();
                if (routeId != null) {
                    consumer.setRouteId(routeId);
                }
            }
            // the webhook events the route takes besides the live ones: those `events` names (all with *)
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
                    : new WebhookRouting(next, clients.transcriptFetcher(), endpoint.getComponent().workerPool(),
                            consumer::knownMeeting, name);
            target = new MeetingsTarget(consumer, routing, routed, meetings == null);
            // the first meeting.bot_joined should not wait for the WebSocket container to be made: make it now
            clients.transport();
        }
        WebhookGate gate = new WebhookGate(signature, accepted, deliveries::firstSeen);
        if (signature != null) {
            signature.isValid(new byte[1], "00"); // loads the HMAC provider now rather than on the first delivery
        }
        logUrl();
        return new WebhookHandler(gate, new BodyLimit(configuration.getMaxBodySize()), deliveries, name, target);
    }

    /** The signature check, or null when unsigned deliveries were allowed on purpose; refuses the start otherwise. */
    private WebhookSignature signature(String name) {
        String secret = configuration.getWebhookSecret();
        if (secret != null && !secret.isEmpty()) {
            return WebhookSignature.of(secret);
        }
        if (!configuration.isAllowUnsigned()) {
            throw new IllegalArgumentException(name + " needs a webhookSecret (the signing secret"
                                               + " set in the Fireflies dashboard): without one, anyone who can reach"
                                               + " the URL could post events. Set webhookSecret=RAW(...), or"
                                               + " allowUnsigned=true to take unsigned deliveries anyway.");
        }
        LOG.warn("{} takes unsigned deliveries (allowUnsigned=true): anyone who can reach its URL can post events",
                name);
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

    /** Fireflies has no API to register webhooks: say once where to paste the URL. */
    private void logUrl() {
        WebhookConfiguration wc = webhookConfiguration;
        if (urlLogged || wc == null) {
            return;
        }
        urlLogged = true;
        String url;
        try {
            url = wc.computeFullExternalUrl();
        } catch (Exception e) {
            url = "(unknown: " + e.getMessage() + "; set webhookExternalUrl)";
        }
        LOG.info("Fireflies has no API to register webhooks: in the Fireflies dashboard's developer settings set the"
                 + " webhook URL to {} and its secret to this endpoint's webhookSecret", url);
        if (wc.getWebhookExternalUrl() == null
                && (url.contains("://0.0.0.0") || url.contains("://localhost") || url.contains("://127."))) {
            LOG.warn("The webhook URL {} is not reachable from Fireflies: set webhookExternalUrl to the public https URL"
                     + " that reaches this application", url);
        }
    }
}
