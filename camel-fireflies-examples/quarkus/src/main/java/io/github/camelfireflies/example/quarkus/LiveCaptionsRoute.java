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
package io.github.camelfireflies.example.quarkus;

import java.util.Optional;

import io.github.camelfireflies.api.TranscriptionEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One route: every transcription event of the meeting is logged as a caption line ("speaker: text"), then sent to
 * {@code captions.to} if that is set. Only camel-quarkus-core is used (no log or bean extension). The component is configured by {@code camel.component.fireflies.*} in application.properties;
 * only in simulator mode does the endpoint override url, path and key.
 */
@ApplicationScoped
public class LiveCaptionsRoute extends RouteBuilder {

    private static final Logger LOG = Logger.getLogger("live-captions");

    @Inject
    ExampleSimulator simulator;

    @ConfigProperty(name = "captions.to")
    Optional<String> captionsTo;

    @Override
    public void configure() {
        RouteDefinition route = from("fireflies:live?transcriptId={{fireflies.transcript-id}}" + simulator.endpointOptions())
                .routeId("live-captions")
                .process(exchange -> {
                    TranscriptionEvent e = exchange.getMessage().getBody(TranscriptionEvent.class);
                    if (e != null) {
                        LOG.infof("%s: %s", e.speakerName(), e.text());
                    }
                });
        captionsTo.ifPresent(route::to);
    }
}
