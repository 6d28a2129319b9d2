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

import java.util.Map;
import java.util.Objects;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.webhook.WebhookConfiguration;
import org.apache.camel.component.webhook.WebhookUtils;
import org.apache.camel.spi.RestConsumerFactory;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fireflies:meetings?webhookPath=...}: the REST consumer that takes the Fireflies webhooks for the meetings
 * consumer, a child of it (the route's consumer stays the meetings consumer: suspend, JMX and consumer lookup see it).
 * The {@link RestConsumerFactory} is found as Camel's webhook component finds it ({@code webhookComponentName}, else
 * the one such component of the context); the path is {@code webhookPath} under the REST configuration's context path.
 * Made and started when the meetings consumer has started, stopped (and dropped) before it stops.
 */
final class WebhookReceiver extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);

    private final CamelContext context;
    private final WebhookConfiguration configuration;
    private final Processor handler;
    private final String name;
    private Consumer rest;

    /**
     * @param configuration the path, the component and the REST configuration (as camel-webhook has them)
     * @param handler       the webhook handler: checks each delivery and hands it to the meetings consumer
     * @param name          how logs name the endpoint (no secret)
     */
    WebhookReceiver(CamelContext context, WebhookConfiguration configuration, Processor handler, String name) {
        this.context = Objects.requireNonNull(context, "context");
        this.configuration = Objects.requireNonNull(configuration, "configuration");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.name = name;
    }

    @Override
    protected void doStart() throws Exception {
        RestConsumerFactory factory = WebhookUtils.locateRestConsumerFactory(context, configuration);
        String path = configuration.computeFullPath(false);
        ServiceHelper.startService(handler);
        Consumer consumer = factory.createConsumer(context, handler, "POST", path, null, null, null,
                configuration.retrieveRestConfiguration(), Map.of());
        ServiceHelper.startService(consumer);
        rest = consumer;
        LOG.debug("{} takes webhooks at POST {} through {}", name, path, factory.getClass().getSimpleName());
    }

    @Override
    protected void doStop() throws Exception {
        Consumer consumer = rest;
        rest = null;
        ServiceHelper.stopAndShutdownService(consumer);
        ServiceHelper.stopService(handler);
    }

    /** The REST consumer while started, else null. */
    Consumer restConsumer() {
        return rest;
    }
}
