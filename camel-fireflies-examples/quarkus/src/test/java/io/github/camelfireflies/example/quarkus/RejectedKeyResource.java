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

import java.util.Map;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A simulator that accepts another key than the one the app is configured with: it answers {@code auth.failed}. */
public class RejectedKeyResource implements QuarkusTestResourceLifecycleManager {

    static final String WRONG_KEY = "wrong-quarkus-key-" + System.nanoTime();
    static final String TRANSCRIPT = "rejected-meeting";

    private FirefliesSimulator simulator;

    @Override
    public Map<String, String> start() {
        simulator = FirefliesSimulator.builder()
                .apiKey("the-right-key")
                .meeting(TRANSCRIPT, MeetingScript.load(
                        RejectedKeyResource.class.getClassLoader().getResource("meetings/smoke.jsonl")))
                .build()
                .start();
        return Map.of(
                "camel.component.fireflies.api-key", WRONG_KEY,
                "camel.component.fireflies.url", simulator.url(),
                "camel.component.fireflies.path", simulator.path(),
                "fireflies.transcript-id", TRANSCRIPT);
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
