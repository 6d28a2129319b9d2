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
package io.github.camelfireflies.example.springboot;

import io.github.camelfireflies.FirefliesComponent;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import org.apache.camel.spi.ComponentCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Only when no API key is configured: starts the Fireflies simulator on 127.0.0.1 (a free port) playing the demo
 * meeting in a loop, and points the {@code fireflies} component at it. Stopped with the application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${camel.component.fireflies.api-key:}'.isBlank()")
public class SimulatorConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorConfiguration.class);
    static final String SIMULATOR_KEY = "example-key";

    @Bean(destroyMethod = "close")
    FirefliesSimulator firefliesSimulator() {
        FirefliesSimulator simulator = FirefliesSimulator.builder()
                .apiKey(SIMULATOR_KEY)
                .defaultMeeting(MeetingScript.demo())
                .loop(true)
                .start();
        LOG.info("No camel.component.fireflies.api-key (FIREFLIES_API_KEY) set: live captions of a simulated meeting at {}{}",
                simulator.url(), simulator.path());
        return simulator;
    }

    /** Runs after the starter's customizer (which applies application.properties), so the simulator wins. */
    @Bean
    ComponentCustomizer firefliesSimulatorCustomizer(FirefliesSimulator simulator) {
        return ComponentCustomizer.builder(FirefliesComponent.class)
                .withOrder(Ordered.LOWEST_PRECEDENCE)
                .build(component -> {
                    component.getConfiguration().setUrl(simulator.url());
                    component.getConfiguration().setPath(simulator.path());
                    component.getConfiguration().setApiKey(SIMULATOR_KEY);
                    // the demo meeting ends with a server DISCONNECT: subscribe again, so the looping simulator
                    // plays it again
                    component.getConfiguration().setReconnectOnServerDisconnect(true);
                });
    }
}
