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
package io.github.camelfireflies.examples;

/**
 * The live captions demo from the {@code fireflies-source} Kamelet, in a YAML route
 * ({@code src/main/resources/routes/kamelet-captions.yaml}) run by Camel Main. Like {@link YamlCaptionsExample}: the
 * simulated meeting unless {@code FIREFLIES_API_KEY} and {@code FIREFLIES_TRANSCRIPT_ID} are set; with the simulator
 * it stops a few seconds after the meeting ends.
 */
public final class KameletCaptionsExample {

    /** Where Camel Main finds the route. */
    static final String ROUTES = "classpath:routes/kamelet-captions.yaml";

    private KameletCaptionsExample() {
    }

    public static void main(String[] args) throws Exception {
        try (MeetingSource source = MeetingSource.fromEnvironment(false)) {
            YamlCaptionsExample.run(source, System.out, System.console() != null, ROUTES);
        }
    }
}
