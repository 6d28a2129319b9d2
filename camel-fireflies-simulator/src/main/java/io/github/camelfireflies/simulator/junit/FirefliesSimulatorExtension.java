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
package io.github.camelfireflies.simulator.junit;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs a {@link FirefliesSimulator} for a test class or for each test, so a user's route can be
 * tested against a scripted meeting without the real Fireflies API and without an API key.
 *
 * <pre>
 * &#64;RegisterExtension
 * static FirefliesSimulatorExtension fireflies = FirefliesSimulatorExtension.builder()
 *         .script("meetings/standup.jsonl")   // a class-path resource, played for every transcript id
 *         .build();
 *
 * from(fireflies.endpointUri("standup")).to("mock:captions");
 * </pre>
 *
 * Registered on a {@code static} field, the simulator starts once before all tests of the class and stops after them;
 * on an instance field it starts before and stops after each test (a shared one has its GraphQL per-operation caps
 * reset after each test). It binds 127.0.0.1 on a free port. A meeting's
 * script starts when its first subscriber connects, so a route started after the simulator misses nothing.
 * <p>
 * Test methods (and constructors) may declare a {@link FirefliesSimulator} parameter to steer it
 * ({@code emitTranscription}, {@code disconnect}, {@code awaitSubscribers}, ...).
 * <p>
 * JUnit Jupiter is an optional dependency of the simulator: a project that uses this class brings
 * {@code junit-jupiter} itself, as it does for any JUnit 5 test.
 */
public final class FirefliesSimulatorExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    /** The API key the simulator accepts unless {@link Builder#apiKey(String)} says otherwise. */
    public static final String DEFAULT_API_KEY = "test-key";

    private final FirefliesSimulator.Builder config;
    private final String apiKey;
    private FirefliesSimulator simulator;
    private boolean perTest;

    private FirefliesSimulatorExtension(Builder b) {
        this.apiKey = b.apiKey;
        this.config = FirefliesSimulator.builder()
                .apiKey(b.apiKey)
                .pingInterval(b.pingInterval)
                .pingTimeout(b.pingTimeout)
                .loop(b.loop);
        if (b.defaultScript != null) {
            config.defaultMeeting(b.defaultScript);
        }
        b.meetings.forEach(config::meeting);
    }

    /** A builder: API key {@value #DEFAULT_API_KEY}, no script, heartbeat 25 s / 20 s as the real API. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------------ JUnit callbacks

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (simulator == null) {
            // registered on an instance field: JUnit does not call beforeAll, so the simulator lives for one test
            perTest = true;
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            stop();
        } else if (simulator != null) {
            // a simulator shared by the class: each test starts with the whole budget of the GraphQL caps
            simulator.graphql().resetCaps();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == FirefliesSimulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return simulator();
    }

    private synchronized void start() {
        if (simulator == null) {
            simulator = config.start();
        }
    }

    private synchronized void stop() {
        if (simulator != null) {
            try {
                simulator.close();
            } finally {
                simulator = null;
                perTest = false;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ what tests use

    /** The running simulator, to steer it. */
    public synchronized FirefliesSimulator simulator() {
        if (simulator == null) {
            throw new IllegalStateException("The Fireflies simulator is not running (outside a test?)");
        }
        return simulator;
    }

    /** The base URL for the endpoint's {@code url} option, e.g. {@code ws://127.0.0.1:41234}. */
    public String url() {
        return simulator().url();
    }

    /** The Socket.IO path for the endpoint's {@code path} option ({@code /ws/realtime}). */
    public String path() {
        return simulator().path();
    }

    /** The API key the simulator accepts. */
    public String apiKey() {
        return apiKey;
    }

    /**
     * A {@code fireflies:live} URI for {@code transcriptId} pointing at this simulator:
     * {@code fireflies:live?transcriptId=<id>&url=<url>&path=<path>&apiKey=RAW(<key>)}.
     */
    public String endpointUri(String transcriptId) {
        Objects.requireNonNull(transcriptId, "transcriptId");
        return "fireflies:live?transcriptId=" + transcriptId + "&url=" + url() + "&path=" + path()
               + "&apiKey=RAW(" + apiKey + ")";
    }

    /** {@link #endpointUri(String)} followed by more options, e.g. {@code "events=*&queueSize=100"}. */
    public String endpointUri(String transcriptId, String moreOptions) {
        String base = endpointUri(transcriptId);
        return moreOptions == null || moreOptions.isBlank() ? base : base + "&" + moreOptions;
    }

    // ------------------------------------------------------------------------------------------------ builder

    /** Configures a {@link FirefliesSimulatorExtension}. */
    public static final class Builder {
        private String apiKey = DEFAULT_API_KEY;
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pingTimeout = Duration.ofSeconds(20);
        private boolean loop;
        private MeetingScript defaultScript;
        private final Map<String, MeetingScript> meetings = new LinkedHashMap<>();

        private Builder() {
        }

        /** The script played for every transcript id without one of its own: a class-path resource (JSON lines). */
        public Builder script(String classpathResource) {
            return script(resource(classpathResource));
        }

        /** The script played for every transcript id without one of its own. */
        public Builder script(URL script) {
            this.defaultScript = MeetingScript.load(script);
            return this;
        }

        /** The script played for every transcript id without one of its own: a file (JSON lines). */
        public Builder script(Path script) {
            this.defaultScript = MeetingScript.load(script);
            return this;
        }

        /** The script played for every transcript id without one of its own. */
        public Builder script(MeetingScript script) {
            this.defaultScript = Objects.requireNonNull(script, "script");
            return this;
        }

        /** The bundled 57-second demo meeting (4 speakers, revisions) for every transcript id. */
        public Builder demoScript() {
            return script(MeetingScript.demo());
        }

        /** A script for one transcript id: a class-path resource (JSON lines). */
        public Builder meeting(String transcriptId, String classpathResource) {
            return meeting(transcriptId, MeetingScript.load(resource(classpathResource)));
        }

        /** A script for one transcript id. */
        public Builder meeting(String transcriptId, MeetingScript script) {
            meetings.put(Objects.requireNonNull(transcriptId, "transcriptId"), Objects.requireNonNull(script, "script"));
            return this;
        }

        /** The API key the simulator accepts; default {@value FirefliesSimulatorExtension#DEFAULT_API_KEY}. */
        public Builder apiKey(String apiKey) {
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            this.apiKey = apiKey;
            return this;
        }

        /** The heartbeat interval announced to clients; default 25 s. */
        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = Objects.requireNonNull(pingInterval, "pingInterval");
            return this;
        }

        /** The heartbeat timeout announced to clients; default 20 s. */
        public Builder pingTimeout(Duration pingTimeout) {
            this.pingTimeout = Objects.requireNonNull(pingTimeout, "pingTimeout");
            return this;
        }

        /** Whether scripts start again after their end; default false. */
        public Builder loop(boolean loop) {
            this.loop = loop;
            return this;
        }

        public FirefliesSimulatorExtension build() {
            return new FirefliesSimulatorExtension(this);
        }

        private static URL resource(String name) {
            String n = name.startsWith("/") ? name.substring(1) : name;
            ClassLoader tccl = Thread.currentThread().getContextClassLoader();
            URL url = tccl == null ? null : tccl.getResource(n);
            if (url == null) {
                url = FirefliesSimulatorExtension.class.getClassLoader().getResource(n);
            }
            if (url == null) {
                throw new IllegalArgumentException("Meeting script not found on the class path: " + name);
            }
            return url;
        }
    }
}
