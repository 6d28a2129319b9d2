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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.camelfireflies.FirefliesConfiguration;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import org.apache.camel.main.Main;

/**
 * Where an example's meeting comes from, decided once for all examples: the real Fireflies Realtime API when
 * {@code FIREFLIES_API_KEY} and {@code FIREFLIES_TRANSCRIPT_ID} are set, otherwise the bundled simulator started on
 * 127.0.0.1 with a scripted meeting (no API key needed). Routes use {@link #ENDPOINT_URI}; {@link #configure(Main)}
 * supplies its placeholders and the component's API key.
 * <p>
 * Discovery ({@code fireflies:meetings}, {@link #MEETINGS_URI}): {@link #discovery} follows every meeting of the
 * account of {@code FIREFLIES_API_KEY}, or, without a key, a simulator whose GraphQL endpoint lists a schedule of
 * scripted meetings that start and end on their own.
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

    /**
     * The discovery consumer URI ({@code events=*} and more options may be appended with {@code &});
     * the placeholders come from {@link #properties()} of a {@link #discovery} source.
     */
    public static final String MEETINGS_URI = "fireflies:meetings?url={{fireflies.url}}&path={{fireflies.path}}"
                                              + "&graphqlUrl={{fireflies.graphql-url}}&delay={{fireflies.poll-interval}}";

    /**
     * One meeting of a simulated schedule: listed by {@code active_meetings} from {@code start} to {@code end} after
     * the simulator starts, playing {@code script} (JSON lines) from the moment it is subscribed to.
     */
    public record ScheduledMeeting(String id, String title, String organizerEmail, URL script, Duration start,
            Duration end) {

        public ScheduledMeeting {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(script, "script of meeting " + id + " not found");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }
    }

    private final String url;
    private final String path;
    private final String apiKey;
    private final String transcriptId;
    private final FirefliesSimulator simulator;
    private final String graphqlUrl;
    private final Duration pollInterval;

    private MeetingSource(String url, String path, String apiKey, String transcriptId, FirefliesSimulator simulator) {
        this(url, path, apiKey, transcriptId, simulator, null, null);
    }

    private MeetingSource(String url, String path, String apiKey, String transcriptId, FirefliesSimulator simulator,
                          String graphqlUrl, Duration pollInterval) {
        this.url = url;
        this.path = path;
        this.apiKey = apiKey;
        this.transcriptId = transcriptId;
        this.simulator = simulator;
        this.graphqlUrl = graphqlUrl;
        this.pollInterval = pollInterval;
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

    /**
     * Discovery: every meeting of the real account of {@code apiKey} when it is given (polling {@code active_meetings}
     * every {@code realPollInterval}), otherwise a simulator started now that lists {@code schedule} and plays each
     * meeting's script, polled every {@code simulatedPollInterval}. Use with {@link #MEETINGS_URI}.
     */
    public static MeetingSource discovery(String apiKey, Duration realPollInterval, List<ScheduledMeeting> schedule,
                                          Duration simulatedPollInterval) {
        if (apiKey != null && !apiKey.isBlank()) {
            return new MeetingSource("wss://api.fireflies.ai", "/ws/realtime", apiKey, null, null,
                    FirefliesConfiguration.DEFAULT_GRAPHQL_URL, realPollInterval);
        }
        FirefliesSimulator.Builder b = FirefliesSimulator.builder().apiKey(SIMULATOR_KEY);
        for (ScheduledMeeting m : schedule) {
            b.meeting(m.id(), m.script()).activeMeeting(m.id(), m.title(), m.organizerEmail(), m.start(), m.end());
        }
        FirefliesSimulator sim = b.start();
        return new MeetingSource(sim.url(), sim.path(), SIMULATOR_KEY, null, sim, sim.graphqlUrl(),
                simulatedPollInterval);
    }

    /** A server someone else runs (a test's simulator, a staging server); {@link #close()} leaves it alone. */
    public static MeetingSource external(String url, String path, String apiKey, String transcriptId) {
        return new MeetingSource(url, path, apiKey, transcriptId, null);
    }

    /**
     * Discovery ({@link #MEETINGS_URI}) on a server someone else runs (a test's simulator), polled every
     * {@code pollInterval}; {@link #close()} leaves it alone.
     */
    public static MeetingSource externalDiscovery(String url, String path, String apiKey, String graphqlUrl,
                                                  Duration pollInterval) {
        return new MeetingSource(url, path, apiKey, null, null, graphqlUrl, pollInterval);
    }

    /** Whether this source started the simulator (so the meeting ends by itself). */
    public boolean isSimulated() {
        return simulator != null;
    }

    /** The followed transcript id, or {@code null} for a {@link #discovery} source. */
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
        if (transcriptId != null) {
            p.put("fireflies.transcript-id", transcriptId);
        }
        if (graphqlUrl != null) {
            p.put("fireflies.graphql-url", graphqlUrl);
            p.put("fireflies.poll-interval", Long.toString(pollInterval.toMillis()));
        }
        p.put("camel.component.fireflies.api-key", apiKey);
        p.put("fireflies.api-key", apiKey); // for a Kamelet's apiKey property
        if (isSimulated()) {
            // the simulated meetings are polled every second, the whole of a Business key's 60 requests a minute: no
            // plan-wide limit for the local simulator (the per-operation caps, addToLiveMeeting's and others, still hold)
            p.put("camel.component.fireflies.plan", "NONE");
        }
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
        return "MeetingSource[" + where() + (transcriptId == null ? ", every meeting" : ", transcript " + transcriptId)
               + (isSimulated() ? ", simulated]" : "]");
    }
}
