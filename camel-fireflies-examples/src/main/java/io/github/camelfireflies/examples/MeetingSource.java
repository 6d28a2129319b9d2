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

import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import org.apache.camel.main.Main;

/**
 * Where an example's meeting comes from, decided once for all examples: the real Fireflies Realtime API when
 * {@code FIREFLIES_API_KEY} and {@code FIREFLIES_TRANSCRIPT_ID} are set, otherwise the bundled simulator started on
 * 127.0.0.1 with a scripted meeting (no API key needed). Routes use {@link #ENDPOINT_URI}; {@link #configure(Main)}
 * supplies its placeholders and the component's API key.
 */
public final class MeetingSource implements AutoCloseable {

    /** The consumer URI of every example; the placeholders come from {@link #properties()}. */
    public static final String ENDPOINT_URI
            = "fireflies:live?transcriptId={{fireflies.transcript-id}}&url={{fireflies.url}}&path={{fireflies.path}}";

    /** The key the simulated meeting accepts. */
    public static final String SIMULATOR_KEY = "demo-key";
    /** The transcript id followed on the simulator. */
    public static final String SIMULATOR_TRANSCRIPT = "demo-meeting";
    /** The bundled demo meeting (in the simulator's jar). */
    public static final String DEMO_SCRIPT = "meetings/demo.jsonl";

    private final String url;
    private final String path;
    private final String apiKey;
    private final String transcriptId;
    private final FirefliesSimulator simulator;

    private MeetingSource(String url, String path, String apiKey, String transcriptId, FirefliesSimulator simulator) {
        this.url = url;
        this.path = path;
        this.apiKey = apiKey;
        this.transcriptId = transcriptId;
        this.simulator = simulator;
    }

    /** From {@code FIREFLIES_API_KEY} / {@code FIREFLIES_TRANSCRIPT_ID}, else the demo meeting on the simulator. */
    public static MeetingSource fromEnvironment(boolean loop) {
        return choose(System.getenv("FIREFLIES_API_KEY"), System.getenv("FIREFLIES_TRANSCRIPT_ID"),
                MeetingSource.class.getClassLoader().getResource(DEMO_SCRIPT), loop);
    }

    /**
     * The real API when both {@code apiKey} and {@code transcriptId} are given, otherwise a simulator started now
     * that plays {@code script} (again and again when {@code loop}).
     */
    public static MeetingSource choose(String apiKey, String transcriptId, URL script, boolean loop) {
        if (apiKey != null && !apiKey.isBlank() && transcriptId != null && !transcriptId.isBlank()) {
            return new MeetingSource("wss://api.fireflies.ai", "/ws/realtime", apiKey, transcriptId, null);
        }
        FirefliesSimulator sim = FirefliesSimulator.builder()
                .apiKey(SIMULATOR_KEY)
                .defaultMeeting(Objects.requireNonNull(script, "meeting script not found"))
                .loop(loop)
                .start();
        return new MeetingSource(sim.url(), sim.path(), SIMULATOR_KEY, SIMULATOR_TRANSCRIPT, sim);
    }

    /** A server someone else runs (a test's simulator, a staging server); {@link #close()} leaves it alone. */
    public static MeetingSource external(String url, String path, String apiKey, String transcriptId) {
        return new MeetingSource(url, path, apiKey, transcriptId, null);
    }

    /** Whether this source started the simulator (so the meeting ends by itself). */
    public boolean isSimulated() {
        return simulator != null;
    }

    public String transcriptId() {
        return transcriptId;
    }

    /** Where the meeting is followed, for a banner: {@code ws://127.0.0.1:1234/ws/realtime}. */
    public String where() {
        return url + path;
    }

    /** The simulator this source started, or {@code null}. */
    public FirefliesSimulator simulator() {
        return simulator;
    }

    /** The properties {@link #ENDPOINT_URI} needs, and the component's API key. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("fireflies.url", url);
        p.put("fireflies.path", path);
        p.put("fireflies.transcript-id", transcriptId);
        p.put("camel.component.fireflies.api-key", apiKey);
        return p;
    }

    /** Adds {@link #properties()} to {@code main} as initial properties. */
    public Main configure(Main main) {
        properties().forEach(main::addInitialProperty);
        return main;
    }

    /** Stops the simulator, if this source started one. */
    @Override
    public void close() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Override
    public String toString() {
        // never the key
        return "MeetingSource[" + where() + ", transcript " + transcriptId + (isSimulated() ? ", simulated]" : "]");
    }
}
