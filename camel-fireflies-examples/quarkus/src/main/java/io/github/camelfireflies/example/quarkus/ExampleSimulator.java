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

import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Only when no API key is configured: the Fireflies simulator on 127.0.0.1 (a free port), playing the demo meeting in
 * a loop. Stopped with the application.
 */
@ApplicationScoped
public class ExampleSimulator {

    private static final Logger LOG = Logger.getLogger(ExampleSimulator.class);
    static final String SIMULATOR_KEY = "example-key";

    private final FirefliesSimulator simulator;

    public ExampleSimulator(@ConfigProperty(name = "camel.component.fireflies.api-key") Optional<String> apiKey) {
        if (apiKey.filter(k -> !k.isBlank()).isPresent()) {
            simulator = null;
        } else {
            simulator = FirefliesSimulator.builder()
                    .apiKey(SIMULATOR_KEY)
                    .defaultMeeting(MeetingScript.demo())
                    .loop(true)
                    .start();
            LOG.infof("No camel.component.fireflies.api-key (FIREFLIES_API_KEY) set: live captions of a simulated"
                      + " meeting at %s%s", simulator.url(), simulator.path());
        }
    }

    /** The endpoint options that point a consumer at the simulator, or nothing when the real API is used. */
    String endpointOptions() {
        return simulator == null
                ? ""
                // the demo meeting ends with a server DISCONNECT: subscribe again, and the looping simulator plays
                // it again
                : "&url=" + simulator.url() + "&path=" + simulator.path() + "&apiKey=RAW(" + SIMULATOR_KEY + ")"
                  + "&reconnectOnServerDisconnect=true";
    }

    boolean isRunning() {
        return simulator != null;
    }

    @PreDestroy
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
