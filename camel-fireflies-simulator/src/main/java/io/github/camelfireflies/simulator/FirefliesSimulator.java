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
package io.github.camelfireflies.simulator;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * A local simulator of the Fireflies.ai Realtime API: a Socket.IO server (Engine.IO v4 / Socket.IO v5 over WebSocket
 * only) on an embedded Tomcat, speaking its own Engine.IO / Socket.IO framing ({@code SioFrames}), plus the GraphQL
 * API.
 * <p>
 * What it does, as the real API (see {@code socketio-wire.md}):
 * <ul>
 * <li>{@code GET <path>/?EIO=4&transport=websocket} (the trailing slash is required) opens a connection; OPEN
 * {@code 0{"sid",...}} is sent first; the server pings ({@code 2}) every {@code pingInterval} and closes the
 * connection when the PONG ({@code 3}) does not come within {@code pingTimeout}; a PING from the client is a protocol
 * error (the connection is closed). {@code EIO} other than 4 gets HTTP 400 {@code {"code":5,...}}.</li>
 * <li>CONNECT {@code 40{"token":"Bearer <key>","transcriptId":"<id>"}}: the right key gets {@code 40{"sid"}},
 * {@code auth.success}, {@code connection.established}, then the socket is subscribed to the transcript id; a wrong key
 * gets {@code 40{"sid"}}, {@code auth.failed}, {@code 41} and the WebSocket is closed; {@code "Bearer reject-me"} gets
 * CONNECT_ERROR {@code 44} (the connection is then closed after {@code connectTimeout}, like a middleware rejection);
 * an unknown transcript id (by default {@value #UNKNOWN_TRANSCRIPT}) gets {@code auth.success},
 * {@code connection.error}, {@code 41} and a close. Every CONNECT attempt is counted per transcript id. Tokens are never
 * logged.</li>
 * <li>Scripted meetings ({@link MeetingScript}, JSON lines with an absolute {@code at_ms}): bound to a transcript id
 * ({@link Builder#meeting}) or the default for every id ({@link Builder#defaultMeeting}). A meeting's clock starts when
 * its first subscriber connects, or on its own with {@link Builder#autoStart} or {@link #startMeeting(String)}; a
 * subscriber that reconnects gets only what is sent after it is back (nothing is replayed). With {@link Builder#loop(boolean)} the script starts again after its last line (after
 * {@link Builder#loopPause(Duration)}), or, when no one is subscribed then, with the next subscriber.</li>
 * <li>Steering for tests: {@code emit*} send to the current subscribers of a transcript id, {@link #disconnect(String)},
 * counts, and {@link #awaitSubscribers(String, int, Duration)}.</li>
 * <li>GraphQL at {@link #graphqlUrl()}: {@code active_meetings} from a schedule ({@link Builder#activeMeeting}), and
 * {@code transcript(id)} of any meeting the simulator knows, with {@code is_live} and the live sentences as the API
 * (2.23.0) gives them: one per segment heard so far, at its latest text, whether or not anybody was subscribed.</li>
 * <li>Webhooks ({@link Builder#webhook}): signed V2 (and V1) deliveries to a URL of yours when a scheduled meeting
 * starts and when its transcript is ready; {@link #sendWebhook}, {@link #sendRawWebhook} and
 * {@link #webhookDeliveries()} for tests.</li>
 * </ul>
 * Differences from the real server worth knowing: a close initiated by the simulator carries close code 1000 (the
 * genuine server sends a close frame without a code, seen as 1005); there is no HTTP long-polling transport.
 * <p>
 * This class is the face of its parts: {@link SimulatorServer} (Tomcat), {@link MeetingRegistry} (meetings,
 * connections), {@link GraphQLState} (schedule, rate limit, counts), {@link SimulatorControl} (steering, the
 * schedule's moments) and {@link WebhookSender} (deliveries).
 * <p>
 * Threads: Tomcat's acceptor, poller, a small worker pool and one utility thread, plus one timer thread for pings and
 * scripts; with webhooks, one delivery thread and the JDK HttpClient's. {@link #close()} stops them.
 * <p>
 * Long because it is the simulator's one public door: its builder, its lifecycle and the controls tests use.
 */
public final class FirefliesSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FirefliesSimulator.class);

    /** The API key that a middleware rejects with CONNECT_ERROR ({@code "Bearer reject-me"}). */
    public static final String REJECT_KEY = "reject-me";
    /** The transcript id that is always unknown: auth.success, connection.error, then DISCONNECT. */
    public static final String UNKNOWN_TRANSCRIPT = "unknown-transcript";
    /** The event carrying live captions. */
    public static final String TRANSCRIPTION_EVENT = "transcription.broadcast";
    /** The default Socket.IO path of the Fireflies Realtime API. */
    public static final String DEFAULT_PATH = "/ws/realtime";
    /** Where the GraphQL endpoint is served. */
    public static final String GRAPHQL_PATH = "/graphql";
    /**
     * The classpath resource of the Fireflies GraphQL schema the endpoint serves (introspected from the API): tests can
     * validate their own documents against it.
     */
    public static final String GRAPHQL_SCHEMA_RESOURCE = "io/github/camelfireflies/simulator/fireflies-schema.graphql";
    /** Where the {@code upload_url} of {@code createUploadUrl} points (a PUT of the file's bytes). */
    public static final String UPLOAD_PATH = UploadServlet.PATH;
    /** Webhook V2: the Fireflies bot joined a meeting (a scheduled meeting started). */
    public static final String WEBHOOK_BOT_JOINED = "meeting.bot_joined";
    /** Webhook V2: a meeting's transcript is ready. */
    public static final String WEBHOOK_TRANSCRIBED = "meeting.transcribed";
    /** Webhook V2: a meeting's summary is ready. */
    public static final String WEBHOOK_SUMMARIZED = "meeting.summarized";
    /** Webhook V1 (legacy): its only event, a meeting's transcript is ready. */
    public static final String WEBHOOK_V1_TRANSCRIPTION_COMPLETED = WebhookSender.V1_TRANSCRIPTION_COMPLETED;

    private final SimulatorConfig config;
    private final SimTimer timer = new SimTimer();
    private final MeetingRegistry registry;
    private final GraphQLState graphql;
    private final SimulatorControl control;
    private final SimulatorServer server;
    private final WebhookSender webhooks;
    private final SimulatorGraphQL graphqlApi;

    private volatile boolean started;
    private volatile boolean closed;

    private FirefliesSimulator(SimulatorConfig config) {
        this.config = config;
        this.registry = new MeetingRegistry(config, timer);
        this.graphql = new GraphQLState(registry);
        this.webhooks = config.webhooks() == null ? null : new WebhookSender(config.webhooks());
        this.control = new SimulatorControl(registry, graphql, timer, webhooks);
        ApiRecords records = new ApiRecords();
        RateCaps caps = new RateCaps(config.graphqlCaps(), graphql::now);
        GraphQLEngine engine = new GraphQLEngine(new GraphQLData(graphql, registry, control, records,
                () -> "http://" + hostForUrl() + ":" + port()));
        this.graphqlApi = new SimulatorGraphQL(caps, records, config.apiKey());
        this.server = new SimulatorServer(config, () -> new SimConnection(registry),
                new GraphQLServlet(graphql, registry, engine, caps), new UploadServlet(records));
    }

    /** A new builder with the defaults: 127.0.0.1, a free port, {@value #DEFAULT_PATH}, a random API key. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /**
     * Starts Tomcat and binds the port. Returns {@code this}.
     *
     * @throws IllegalStateException when already started or closed, or when Tomcat cannot start (port in use, ...)
     */
    public synchronized FirefliesSimulator start() {
        if (started || closed) {
            throw new IllegalStateException(closed ? "Simulator closed" : "Simulator already started");
        }
        started = true;
        timer.start();
        try {
            server.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        graphql.markStarted(); // the schedule's time zero: once it can be reached (Tomcat may take a while, cold)
        LOG.info("Fireflies simulator listening on {}{}/ (GraphQL at {})", url(), config.path(), graphqlUrl());
        if (webhooks != null) {
            webhooks.start();
            LOG.info("Fireflies simulator sends webhooks to {}", config.webhooks());
        }
        control.started();
        return this;
    }

    /**
     * Stops everything: script clocks, heartbeats, open connections (closed with 1001), webhook deliveries (one under
     * way is interrupted, those not sent yet are dropped), Tomcat and the timer thread. Idempotent; no thread of the
     * simulator is left when it returns (Tomcat's may take a moment to finish exiting; on Java 17 the JDK HttpClient's
     * selector thread of the webhooks ends when the client is garbage collected).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        registry.close();
        // the timer stops before Tomcat, so that no task is half-way through a send while the context stops
        timer.shutdown();
        if (webhooks != null) {
            webhooks.close();
        }
        server.stop();
        registry.subscriptionsChanged();
        LOG.debug("Fireflies simulator closed");
    }

    /** The configuration this simulator was built with. */
    SimulatorConfig config() {
        return config;
    }

    /** Whether {@link #start()} succeeded and {@link #close()} was not called yet. */
    public boolean isRunning() {
        return started && !closed && server.port() > 0;
    }

    // ------------------------------------------------------------------------------------------------ coordinates

    /** The base URL without the path, e.g. {@code ws://127.0.0.1:34567}. */
    public String url() {
        return "ws://" + hostForUrl() + ":" + port();
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        int port = server.port();
        if (port <= 0) {
            throw new IllegalStateException("Simulator not started");
        }
        return port;
    }

    /** The host or address bound. */
    public String host() {
        return config.host();
    }

    /** The Socket.IO path without the trailing slash, e.g. {@value #DEFAULT_PATH}. */
    public String path() {
        return config.path();
    }

    /** The full WebSocket URI a raw client connects to: {@code ws://host:port/ws/realtime/?EIO=4&transport=websocket}. */
    public URI socketUri() {
        return URI.create(url() + config.path() + "/?EIO=4&transport=websocket");
    }

    /** The GraphQL endpoint, e.g. {@code http://127.0.0.1:34567/graphql}. */
    public String graphqlUrl() {
        return "http://" + hostForUrl() + ":" + port() + GRAPHQL_PATH;
    }

    private String hostForUrl() {
        String host = config.host();
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The accepted API key (without {@code Bearer }). */
    public String apiKey() {
        return config.apiKey();
    }

    /** The heartbeat interval announced in OPEN. */
    public Duration pingInterval() {
        return Duration.ofMillis(config.pingIntervalMs());
    }

    /** The heartbeat timeout announced in OPEN. */
    public Duration pingTimeout() {
        return Duration.ofMillis(config.pingTimeoutMs());
    }

    // ------------------------------------------------------------------------------------------------ steering

    /** Sends one {@value #TRANSCRIPTION_EVENT} with {@code event} (wrapped by {@code shape}) to the subscribers. */
    public int emitTranscription(String transcriptId, JsonNode event, Shape shape) {
        return emitTranscriptions(transcriptId, List.of(event), shape);
    }

    /**
     * Sends one {@value #TRANSCRIPTION_EVENT} per object, in order, to the subscribers of {@code transcriptId}. The
     * objects are sent as given ({@code transcript_id} is not filled in).
     *
     * @return to how many sockets the events were sent (0 when there is no subscriber)
     */
    public int emitTranscriptions(String transcriptId, List<? extends JsonNode> events, Shape shape) {
        return control.emitTranscriptions(transcriptId, events, shape);
    }

    /**
     * Sends a {@value #TRANSCRIPTION_EVENT} built from the documented fields (flat shape, {@code transcript_id} set).
     */
    public int emitTranscription(String transcriptId, String chunkId, String speakerName, String text,
            double startTime, double endTime) {
        return control.emitTranscription(transcriptId, chunkId, speakerName, text, startTime, endTime);
    }

    /** Sends {@code 42["name",args...]} (no argument: {@code 42["name"]}) to the subscribers of {@code transcriptId}. */
    public int emitEvent(String transcriptId, String eventName, List<? extends JsonNode> args) {
        return control.emitEvent(transcriptId, eventName, args);
    }

    /** Varargs form of {@link #emitEvent(String, String, List)}. */
    public int emitEvent(String transcriptId, String eventName, JsonNode... args) {
        return emitEvent(transcriptId, eventName, List.of(args));
    }

    /** Sends a raw text frame, as is (it may be malformed on purpose), to the subscribers of {@code transcriptId}. */
    public int emitRawFrame(String transcriptId, String frame) {
        return control.emitRawFrame(transcriptId, frame);
    }

    /**
     * Sends a BINARY_EVENT with one attachment: {@code 451-["name",{"_placeholder":true,"num":0}]} followed by one
     * binary frame.
     */
    public int emitBinaryEvent(String transcriptId, String eventName, byte[] attachment) {
        return control.emitBinaryEvent(transcriptId, eventName, attachment);
    }

    /** Server-side Socket.IO DISCONNECT ({@code 41}) of the subscribers of {@code transcriptId}; returns how many. */
    public int disconnect(String transcriptId) {
        return control.disconnect(transcriptId);
    }

    /**
     * Closes the WebSocket of every subscriber of {@code transcriptId} with a close frame carrying {@code code}, without
     * a Socket.IO DISCONNECT first (e.g. 1001 or 1011 to make a client reconnect). Returns how many.
     */
    public int closeConnections(String transcriptId, int code, String reason) {
        return control.closeConnections(transcriptId, code, reason);
    }

    /** How many Socket.IO CONNECT attempts (any outcome) have named {@code transcriptId} so far. */
    public int connectAttempts(String transcriptId) {
        return registry.connectAttempts(transcriptId);
    }

    /** How many sockets are subscribed to {@code transcriptId} right now. */
    public int subscribers(String transcriptId) {
        return registry.subscribers(transcriptId);
    }

    /** How many WebSocket connections are open right now (subscribed or not). */
    public int connections() {
        return registry.connections();
    }

    /**
     * Waits until at least {@code atLeast} sockets are subscribed to {@code transcriptId}, at most {@code timeout}.
     *
     * @return whether they are
     */
    public boolean awaitSubscribers(String transcriptId, int atLeast, Duration timeout) {
        return registry.awaitSubscribers(transcriptId, atLeast, timeout);
    }

    // ------------------------------------------------------------------------------------------------ GraphQL side

    /**
     * A meeting as {@code active_meetings} lists it: in progress from {@code start} (after the simulator started) until
     * {@code end} (null: until {@link FirefliesSimulator#endMeeting(String)}).
     */
    public record ScheduledMeeting(String id, String title, String organizerEmail, Duration start, Duration end,
            String state) {
        public ScheduledMeeting {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(start, "start");
            state = state == null ? "active" : state;
        }

        ScheduledMeeting with(Duration newEnd, String newState) {
            return new ScheduledMeeting(id, title, organizerEmail, start, newEnd, newState);
        }
    }

    /** The meetings in progress now, in the order they were declared. */
    public List<ScheduledMeeting> activeMeetings() {
        return graphql.activeMeetings();
    }

    /**
     * Starts a meeting now: {@code active_meetings} lists it until {@link #endMeeting(String)}. A meeting that had
     * ended starts again, from the top of its script and with a fresh transcript. With {@link Builder#autoStart}, its
     * script starts now too (else with its first subscriber).
     */
    public void startMeeting(String id, String title, String organizerEmail) {
        control.startMeeting(id, title, organizerEmail);
    }

    /**
     * Starts the script of {@code transcriptId} (its own, or the default one) now, whether or not anybody is subscribed:
     * the meeting goes on while nobody listens, and what it says meanwhile reaches nobody but is in its live
     * {@code transcript(id)} sentences. A subscriber that comes later gets what is sent after it came. A meeting that
     * had ended starts again from the top. It does not list the meeting in {@code active_meetings} (see
     * {@link #startMeeting(String, String, String)}).
     *
     * @return whether a script started now (false: no script, already running (it now keeps going unattended), or an
     *         unknown transcript id)
     */
    public boolean startMeeting(String transcriptId) {
        return control.startMeeting(Objects.requireNonNull(transcriptId, "transcriptId"));
    }

    /**
     * Ends a meeting now: it leaves {@code active_meetings}, its script stops, {@code transcript(id)} says it is no
     * longer live, and its subscribers get a DISCONNECT ({@code 41}).
     */
    public void endMeeting(String id) {
        control.endMeeting(id);
    }

    /** Sets a meeting's state ({@code active} or {@code paused}). */
    public void setMeetingState(String id, String state) {
        control.setMeetingState(id, state);
    }

    /** The next {@code calls} GraphQL requests get HTTP 429 with {@code Retry-After: retryAfterSeconds}. */
    public void rateLimitGraphQL(int calls, int retryAfterSeconds) {
        graphql.rateLimit(calls, retryAfterSeconds);
    }

    /**
     * The GraphQL side's steering: the per-operation caps (reset them, move their clock), the uploads and live action
     * items recorded.
     */
    public SimulatorGraphQL graphql() {
        return graphqlApi;
    }

    /** How many GraphQL requests arrived so far (any outcome). */
    public int graphqlRequests() {
        return graphql.requests();
    }

    /**
     * How many GraphQL requests asked for {@code operation} so far (any outcome, 401 and 429 included), by the first
     * root field of the document ({@code "transcript"}, {@code "active_meetings"}, {@code "addToLiveMeeting"}...);
     * {@code "other"} counts every request for neither {@code transcript} nor {@code active_meetings} (another field,
     * no query, a body that is not JSON).
     */
    public int graphqlRequests(String operation) {
        return graphql.requests(operation);
    }

    // ------------------------------------------------------------------------------------------------ webhooks

    /**
     * Sends a V2 webhook now: {@code {"event":event,"timestamp":<now>,"meeting_id":meetingId}}, signed with the
     * configured secret, to the configured URL (whatever the configured versions). The delivery goes out on the webhook
     * thread, after those already queued.
     *
     * @return the delivery, once answered (or failed: status -1); it is in {@link #webhookDeliveries()} too
     * @throws IllegalStateException when no webhook URL is configured, or the simulator is not running
     */
    public CompletableFuture<WebhookDelivery> sendWebhook(String event, String meetingId) {
        return sendWebhook(WebhookVersion.V2, event, meetingId, null);
    }

    /**
     * Sends a webhook of {@code version} now, signed with the configured secret: V2
     * {@code {"event","timestamp","meeting_id"[,"client_reference_id"]}}, V1
     * {@code {"meetingId","eventType":event[,"clientReferenceId"]}} (the API's V1 only ever sends
     * {@value #WEBHOOK_V1_TRANSCRIPTION_COMPLETED}).
     *
     * @param clientReferenceId null: the field is left out
     */
    public CompletableFuture<WebhookDelivery> sendWebhook(WebhookVersion version, String event, String meetingId,
            String clientReferenceId) {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(meetingId, "meetingId");
        return control.webhooks().send(version, event, meetingId, clientReferenceId);
    }

    /**
     * Sends {@code body} as is (tampered, duplicated, not even JSON) with {@code signature} as the value of the
     * version's signature header ({@code null}: no such header), to test how a receiver copes. A delivery's body and
     * signature from {@link #webhookDeliveries()} sent again make an exact duplicate; {@link #webhookSignature(String)}
     * signs a body of your own.
     */
    public CompletableFuture<WebhookDelivery> sendRawWebhook(WebhookVersion version, String body, String signature) {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(body, "body");
        return control.webhooks().sendRaw(version, body, signature);
    }

    /**
     * The signature header's value the simulator sends for {@code body}: the lower-case hex HMAC-SHA256 of its UTF-8
     * bytes with the configured secret, after {@code sha256=} when so configured; {@code null} when no secret is set.
     */
    public String webhookSignature(String body) {
        return control.webhooks().signature(Objects.requireNonNull(body, "body"));
    }

    /** Every webhook sent so far (automatic and steered), in the order they went out, with the status they got. */
    public List<WebhookDelivery> webhookDeliveries() {
        return webhooks == null ? List.of() : webhooks.deliveries();
    }

    // ------------------------------------------------------------------------------------------------ builder

    /** Configures a {@link FirefliesSimulator}. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String path = DEFAULT_PATH;
        private String apiKey;
        private Duration pingInterval = Duration.ofMillis(25_000);
        private Duration pingTimeout = Duration.ofMillis(20_000);
        private Duration connectTimeout = Duration.ofMillis(45_000);
        private int maxPayload = 1_000_000;
        private final Map<String, MeetingScript> scripts = new LinkedHashMap<>();
        private MeetingScript defaultScript;
        private boolean loop;
        private Duration loopPause = Duration.ofSeconds(2);
        private boolean autoStart;
        private List<URI> webhookUrls;
        private String webhookSecret;
        private Set<WebhookVersion> webhookVersions = EnumSet.of(WebhookVersion.V2);
        private boolean webhookSignaturePrefix;
        private Duration transcriptReadyDelay = Duration.ofSeconds(2);
        private Duration summaryReadyDelay;
        private final Set<String> unknownTranscripts = new HashSet<>(Set.of(UNKNOWN_TRANSCRIPT));
        private int maxThreads = 8;
        private final List<ScheduledMeeting> scheduled = new ArrayList<>();
        private final Map<String, RateCaps.Cap> graphqlCaps = new LinkedHashMap<>(RateCaps.DEFAULTS);

        private Builder() {
        }

        /**
         * Declares a meeting that {@code active_meetings} lists from {@code start} to {@code end} after the simulator
         * started (once it listens: a cold start of its server is not counted; {@code end} null: until
         * {@link FirefliesSimulator#endMeeting(String)}). At its end its subscribers get
         * a DISCONNECT. Its live events come from the script bound with {@link #meeting(String, MeetingScript)}, or the
         * default one.
         */
        public Builder activeMeeting(String id, String title, String organizerEmail, Duration start, Duration end) {
            scheduled.add(new ScheduledMeeting(id, title, organizerEmail, start, end, "active"));
            return this;
        }

        /** The address to bind; default {@code 127.0.0.1}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port to bind; default 0, a free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port);
            }
            this.port = port;
            return this;
        }

        /** The Socket.IO path, default {@value FirefliesSimulator#DEFAULT_PATH} (a trailing slash is ignored). */
        public Builder path(String path) {
            String p = Objects.requireNonNull(path, "path").strip();
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.startsWith("/") || p.length() < 2) {
                throw new IllegalArgumentException("path must start with / and not be the root: " + path);
            }
            this.path = p;
            return this;
        }

        /** The API key to accept (without {@code Bearer }); default a random one. */
        public Builder apiKey(String apiKey) {
            if (apiKey == null || apiKey.isBlank() || REJECT_KEY.equals(apiKey)) {
                throw new IllegalArgumentException("apiKey must be non-blank and not '" + REJECT_KEY + "'");
            }
            this.apiKey = apiKey;
            return this;
        }

        /** Heartbeat interval announced in OPEN; default 25 s. */
        public Builder pingInterval(Duration d) {
            this.pingInterval = positive(d, "pingInterval");
            return this;
        }

        /** Heartbeat timeout announced in OPEN; default 20 s. */
        public Builder pingTimeout(Duration d) {
            this.pingTimeout = positive(d, "pingTimeout");
            return this;
        }

        /** How long a connection may stay without a successful CONNECT; default 45 s as socket.io. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** The largest client frame accepted (announced in OPEN); default 1,000,000. Larger frames get close 1009. */
        public Builder maxPayload(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxPayload must be at least 1024");
            }
            this.maxPayload = bytes;
            return this;
        }

        /** Binds a script to one transcript id. */
        public Builder meeting(String transcriptId, MeetingScript script) {
            Objects.requireNonNull(transcriptId, "transcriptId");
            scripts.put(transcriptId, Objects.requireNonNull(script, "script"));
            return this;
        }

        /** Binds a script file (JSON lines) to one transcript id; the file is read now. */
        public Builder meeting(String transcriptId, Path script) {
            return meeting(transcriptId, MeetingScript.load(script));
        }

        /** Binds a script resource (JSON lines) to one transcript id; it is read now. */
        public Builder meeting(String transcriptId, URL script) {
            return meeting(transcriptId, MeetingScript.load(script));
        }

        /** The script of every transcript id that has none of its own. */
        public Builder defaultMeeting(MeetingScript script) {
            this.defaultScript = Objects.requireNonNull(script, "script");
            return this;
        }

        /** The script of every transcript id that has none of its own; read now. */
        public Builder defaultMeeting(URL script) {
            return defaultMeeting(MeetingScript.load(script));
        }

        /** The script of every transcript id that has none of its own; read now. */
        public Builder defaultMeeting(Path script) {
            return defaultMeeting(MeetingScript.load(script));
        }

        /** Whether scripts start again after their last line; default false. */
        public Builder loop(boolean loop) {
            this.loop = loop;
            return this;
        }

        /** The pause between two rounds of a looping script; default 2 s. */
        public Builder loopPause(Duration d) {
            Objects.requireNonNull(d, "loopPause");
            if (d.isNegative()) {
                throw new IllegalArgumentException("loopPause must not be negative");
            }
            this.loopPause = d;
            return this;
        }

        /**
         * Whether meetings start on their own clock, whether or not anybody listens; default false: a meeting's script
         * starts with its first subscriber. When true, a script bound with {@link #meeting(String, MeetingScript)}
         * starts when the simulator starts, a scheduled {@link #activeMeeting} at its scheduled start, and one started
         * with {@link FirefliesSimulator#startMeeting(String, String, String)} at that call; such a meeting keeps going
         * while nobody listens (a looping one keeps looping), so a late subscriber misses its beginning and a
         * reconnecting one what was sent while it was away; both are in the live {@code transcript(id)} sentences. A
         * subscriber that comes before that start still starts the script then. Meetings of the default script start
         * with their first subscriber, as there is no telling their ids in advance.
         */
        public Builder autoStart(boolean autoStart) {
            this.autoStart = autoStart;
            return this;
        }

        /**
         * Sends Fireflies webhooks to {@code url}, at the moments the API would, for the meetings of the schedule
         * ({@link #activeMeeting}, {@link FirefliesSimulator#startMeeting(String, String, String)}): V2
         * {@value FirefliesSimulator#WEBHOOK_BOT_JOINED} when a meeting starts,
         * {@value FirefliesSimulator#WEBHOOK_TRANSCRIBED} {@link #transcriptReadyDelay} after it ended (its scheduled end, {@link FirefliesSimulator#endMeeting}, or its
         * script's {@code end}), and optionally {@value FirefliesSimulator#WEBHOOK_SUMMARIZED}; V1 sends only
         * {@value FirefliesSimulator#WEBHOOK_V1_TRANSCRIPTION_COMPLETED} (see {@link #webhookVersions}). Each body is
         * signed with HMAC-SHA256 of {@code secret} in {@code X-Hub-Signature} (V1: {@code x-hub-signature}).
         *
         * @param url    an absolute http or https URL
         * @param secret the signing secret; null or empty: deliveries are not signed. Never logged.
         */
        public Builder webhook(URI url, String secret) {
            return webhook(List.of(Objects.requireNonNull(url, "url")), secret);
        }

        /**
         * As {@link #webhook(URI, String)}, to several receivers: each delivery goes to every URL, in this order, with
         * the same bytes and signature (instances behind one delivery source, as a load balancer that fans out would
         * make them). {@link FirefliesSimulator#webhookDeliveries()} lists one delivery per URL; the futures of
         * {@link FirefliesSimulator#sendWebhook} complete with the first URL's.
         */
        public Builder webhook(List<URI> urls, String secret) {
            Objects.requireNonNull(urls, "urls");
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("At least one webhook URL");
            }
            for (URI url : urls) {
                Objects.requireNonNull(url, "url");
                String scheme = url.getScheme();
                if (!url.isAbsolute() || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                    throw new IllegalArgumentException("The webhook URL must be an absolute http or https URL: " + url);
                }
            }
            this.webhookUrls = List.copyOf(urls);
            this.webhookSecret = secret;
            return this;
        }

        /** Which webhook schemes to send: {@link WebhookVersion#V2} (default), {@link WebhookVersion#V1}, or both. */
        public Builder webhookVersions(WebhookVersion... versions) {
            if (versions == null || versions.length == 0) {
                throw new IllegalArgumentException("At least one webhook version");
            }
            this.webhookVersions = EnumSet.copyOf(List.of(versions));
            return this;
        }

        /** Whether the signature header's value is {@code sha256=<hex>} rather than the bare hex (default). */
        public Builder webhookSignaturePrefix(boolean sha256Prefix) {
            this.webhookSignaturePrefix = sha256Prefix;
            return this;
        }

        /** From a meeting's end to its {@value FirefliesSimulator#WEBHOOK_TRANSCRIBED} webhook; default 2 s. */
        public Builder transcriptReadyDelay(Duration d) {
            Objects.requireNonNull(d, "transcriptReadyDelay");
            if (d.isNegative()) {
                throw new IllegalArgumentException("transcriptReadyDelay must not be negative");
            }
            this.transcriptReadyDelay = d;
            return this;
        }

        /**
         * From {@value FirefliesSimulator#WEBHOOK_TRANSCRIBED} to {@value FirefliesSimulator#WEBHOOK_SUMMARIZED} (V2
         * only); default null: no {@value FirefliesSimulator#WEBHOOK_SUMMARIZED} is sent.
         */
        public Builder summaryReadyDelay(Duration d) {
            if (d != null && d.isNegative()) {
                throw new IllegalArgumentException("summaryReadyDelay must not be negative");
            }
            this.summaryReadyDelay = d;
            return this;
        }

        /** More transcript ids to treat as unknown (besides {@value FirefliesSimulator#UNKNOWN_TRANSCRIPT}). */
        public Builder unknownTranscript(String... transcriptIds) {
            unknownTranscripts.addAll(List.of(transcriptIds));
            return this;
        }

        /** Tomcat's worker threads (at most); default 8. */
        public Builder maxThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxThreads must be positive");
            }
            this.maxThreads = n;
            return this;
        }

        /**
         * Caps a GraphQL mutation at {@code calls} per {@code window} for each API key (a 429 with Retry-After beyond),
         * replacing the default cap of that operation if it has one; {@code calls} 0 refuses every call. Defaults:
         * addToLiveMeeting 3 per 20 minutes; updateMeetingState, createLiveActionItem and createLiveSoundbite 10 an
         * hour; deleteTranscript 10 a minute; shareMeeting 10 an hour.
         */
        public Builder graphqlCap(String operation, int calls, Duration window) {
            graphqlCaps.put(Objects.requireNonNull(operation, "operation"), new RateCaps.Cap(calls, window));
            return this;
        }

        /** No per-operation caps at all (the steered {@link FirefliesSimulator#rateLimitGraphQL} still works). */
        public Builder noGraphqlCaps() {
            graphqlCaps.clear();
            return this;
        }

        /** A simulator with this configuration, not started. */
        public FirefliesSimulator build() {
            return new FirefliesSimulator(new SimulatorConfig(host, port, path,
                    apiKey != null ? apiKey : "sim-" + SimConnection.newId(),
                    pingInterval.toMillis(), pingTimeout.toMillis(), connectTimeout.toMillis(), maxPayload, scripts,
                    defaultScript, loop, loopPause.toMillis(), autoStart, unknownTranscripts, maxThreads, scheduled,
                    webhookUrls == null ? null : new WebhookSettings(webhookUrls, webhookSecret, webhookVersions,
                            webhookSignaturePrefix, transcriptReadyDelay, summaryReadyDelay),
                    graphqlCaps));
        }

        /** {@code build().start()}. */
        public FirefliesSimulator start() {
            return build().start();
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
