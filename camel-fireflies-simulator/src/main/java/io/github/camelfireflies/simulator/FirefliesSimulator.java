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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelfireflies.socketio.Packet;
import io.github.camelfireflies.socketio.PacketCodec;

/**
 * A local simulator of the Fireflies.ai Realtime API: a Socket.IO server (Engine.IO v4 / Socket.IO v5 over WebSocket
 * only) on an embedded Tomcat, speaking with the component's own {@link PacketCodec}.
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
 * its first subscriber connects; a subscriber that reconnects gets only what is sent after it is back (nothing is
 * replayed). With {@link Builder#loop(boolean)} the script starts again after its last line (after
 * {@link Builder#loopPause(Duration)}), or, when no one is subscribed then, with the next subscriber.</li>
 * <li>Steering for tests: {@code emit*} send to the current subscribers of a transcript id, {@link #disconnect(String)},
 * counts, and {@link #awaitSubscribers(String, int, Duration)}.</li>
 * </ul>
 * Differences from the real server worth knowing: a close initiated by the simulator carries close code 1000 (the
 * genuine server sends a close frame without a code, seen as 1005); there is no HTTP long-polling transport.
 * <p>
 * Threads: Tomcat's acceptor, poller, a small worker pool and one utility thread, plus one timer thread for pings and
 * scripts. {@link #close()} stops all of them.
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

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String host;
    private final int requestedPort;
    private final String path;
    private final String apiKey;
    private final long pingIntervalMs;
    private final long pingTimeoutMs;
    private final long connectTimeoutMs;
    private final int maxPayload;
    private final Map<String, MeetingScript> scripts;
    private final MeetingScript defaultScript;
    private final boolean loop;
    private final long loopPauseMs;
    private final Set<String> unknownTranscripts;
    private final int maxThreads;

    private final Map<String, Meeting> meetings = new ConcurrentHashMap<>();
    // the GraphQL side: meetings in progress (by schedule or steering), what was said, rate limiting
    private final Map<String, ScheduledMeeting> schedule = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Map<String, JsonNode>> spoken = new ConcurrentHashMap<>();
    private final AtomicInteger rateLimitedCalls = new AtomicInteger();
    private volatile int retryAfterSeconds;
    private final AtomicInteger graphqlRequests = new AtomicInteger();
    private volatile long startNanos;
    private volatile java.time.Instant startedAt;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Set<SimConnection> connections = ConcurrentHashMap.newKeySet();
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition changed = stateLock.newCondition();

    private volatile boolean started;
    private volatile boolean closed;
    private Tomcat tomcat;
    private Path baseDir;
    private ScheduledThreadPoolExecutor timer;
    private int port = -1;

    private FirefliesSimulator(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.path = b.path;
        this.apiKey = b.apiKey != null ? b.apiKey : "sim-" + SimConnection.newId();
        this.pingIntervalMs = b.pingInterval.toMillis();
        this.pingTimeoutMs = b.pingTimeout.toMillis();
        this.connectTimeoutMs = b.connectTimeout.toMillis();
        this.maxPayload = b.maxPayload;
        this.scripts = Map.copyOf(b.scripts);
        this.defaultScript = b.defaultScript;
        this.loop = b.loop;
        this.loopPauseMs = b.loopPause.toMillis();
        this.unknownTranscripts = Set.copyOf(b.unknownTranscripts);
        this.maxThreads = b.maxThreads;
        for (ScheduledMeeting m : b.scheduled) {
            schedule.put(m.id(), m);
        }
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
        timer = new ScheduledThreadPoolExecutor(1, threadFactory("fireflies-sim-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        timer.prestartAllCoreThreads();
        try {
            baseDir = Files.createTempDirectory("fireflies-sim");
            tomcat = new Tomcat();
            tomcat.setSilent(true);
            tomcat.setBaseDir(baseDir.toString());
            tomcat.getServer().setUtilityThreads(1);

            Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
            connector.setPort(requestedPort);
            connector.setProperty("address", host);
            connector.setProperty("minSpareThreads", "1");
            connector.setProperty("maxThreads", Integer.toString(maxThreads));
            connector.setProperty("acceptCount", "100");
            connector.setProperty("connectionTimeout", "10000");
            connector.setThrowOnFailure(true);
            tomcat.getService().addConnector(connector);
            tomcat.setConnector(connector);
            tomcat.getEngine().setBackgroundProcessorDelay(-1);
            tomcat.getHost().setAutoDeploy(false);

            Context ctx = tomcat.addContext("", baseDir.toString());
            // the web application's loader must see the classes we were loaded with (exec:java, app servers, IDEs);
            // the websocket API finds Tomcat's default configurator through it
            ctx.setParentClassLoader(FirefliesSimulator.class.getClassLoader());
            if (ctx instanceof StandardContext std) {
                // nothing is ever redeployed here: skip the leak checks that need --add-opens and only warn
                std.setClearReferencesObjectStreamClassCaches(false);
                std.setClearReferencesRmiTargets(false);
                std.setClearReferencesThreadLocals(false);
                std.setSkipMemoryLeakChecksOnJvmShutdown(true);
            }
            Wrapper fallback = Tomcat.addServlet(ctx, "fallback", new EngineIoHttp.FallbackServlet(path));
            fallback.setAsyncSupported(true);
            ctx.addServletMappingDecoded("/", "fallback");
            Tomcat.addServlet(ctx, "graphql", new GraphQLServlet(this));
            ctx.addServletMappingDecoded(GRAPHQL_PATH, "graphql");
            ctx.addServletContainerInitializer(new WsSci(), null);
            ctx.addServletContainerInitializer(endpointInstaller(), null);

            startNanos = System.nanoTime();
            startedAt = java.time.Instant.now();
            tomcat.start();
            port = connector.getLocalPort();
            if (port <= 0) {
                throw new IllegalStateException("Tomcat did not bind " + host + ":" + requestedPort);
            }
        } catch (IOException | LifecycleException | RuntimeException e) {
            close();
            throw new IllegalStateException("Cannot start the Fireflies simulator on " + host + ":" + requestedPort + ": " + e, e);
        }
        LOG.info("Fireflies simulator listening on {}{}/ (GraphQL at {})", url(), path, graphqlUrl());
        synchronized (schedule) {
            for (ScheduledMeeting m : schedule.values()) {
                if (m.end() != null) {
                    scheduleEnd(m.id(), m.end().toMillis());
                }
            }
        }
        return this;
    }

    private void scheduleEnd(String id, long atMs) {
        long delay = Math.max(0, atMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        schedule(() -> {
            LOG.debug("Meeting {} ends (scheduled)", id);
            disconnect(id);
        }, delay);
    }

    private ServletContainerInitializer endpointInstaller() {
        return (classes, servletContext) -> {
            FilterRegistration.Dynamic filter
                    = servletContext.addFilter("engineio-handshake", new EngineIoHttp.HandshakeFilter());
            filter.setAsyncSupported(true);
            // before Tomcat's WsFilter, which is mapped "after"
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, path + "/");
            ServerContainer sc = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
            sc.setDefaultMaxTextMessageBufferSize(maxPayload);
            sc.setDefaultMaxBinaryMessageBufferSize(maxPayload);
            sc.setDefaultMaxSessionIdleTimeout(0);
            ServerEndpointConfig config = ServerEndpointConfig.Builder.create(SimConnection.class, path + "/")
                    .configurator(new ServerEndpointConfig.Configurator() {
                        @Override
                        public <T> T getEndpointInstance(Class<T> endpointClass) {
                            return endpointClass.cast(new SimConnection(FirefliesSimulator.this));
                        }
                    })
                    .build();
            try {
                sc.addEndpoint(config);
            } catch (DeploymentException e) {
                throw new IllegalStateException("Cannot deploy the Socket.IO endpoint at " + path + "/", e);
            }
        };
    }

    /**
     * Stops everything: script clocks, heartbeats, open connections (closed with 1001), Tomcat and the timer thread.
     * Idempotent; no thread of the simulator is left when it returns (Tomcat's may take a moment to finish exiting).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        meetings.values().forEach(Meeting::stop);
        for (SimConnection c : List.copyOf(connections)) {
            c.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "simulator closed"));
        }
        if (timer != null) {
            // stop the timer before Tomcat, so that no task is half-way through a send while the context stops
            timer.shutdownNow();
            try {
                if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("The simulator's timer thread did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (tomcat != null) {
            try {
                tomcat.stop();
            } catch (LifecycleException | RuntimeException e) {
                LOG.debug("Stopping Tomcat: {}", e.toString());
            }
            try {
                tomcat.destroy();
            } catch (LifecycleException | RuntimeException e) {
                LOG.debug("Destroying Tomcat: {}", e.toString());
            }
        }
        deleteBaseDir();
        subscriptionsChanged();
        LOG.debug("Fireflies simulator closed");
    }

    private void deleteBaseDir() {
        if (baseDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.debug("Cannot delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("Cannot delete {}: {}", baseDir, e.toString());
        }
    }

    /** Whether {@link #start()} succeeded and {@link #close()} was not called yet. */
    public boolean isRunning() {
        return started && !closed && port > 0;
    }

    // ------------------------------------------------------------------------------------------------ coordinates

    /** The base URL without the path, e.g. {@code ws://127.0.0.1:34567}. */
    public String url() {
        return "ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        if (port <= 0) {
            throw new IllegalStateException("Simulator not started");
        }
        return port;
    }

    /** The host or address bound. */
    public String host() {
        return host;
    }

    /** The Socket.IO path without the trailing slash, e.g. {@value #DEFAULT_PATH}. */
    public String path() {
        return path;
    }

    /** The full WebSocket URI a raw client connects to: {@code ws://host:port/ws/realtime/?EIO=4&transport=websocket}. */
    public URI socketUri() {
        return URI.create(url() + path + "/?EIO=4&transport=websocket");
    }

    /** The GraphQL endpoint, e.g. {@code http://127.0.0.1:34567/graphql}. */
    public String graphqlUrl() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + GRAPHQL_PATH;
    }

    /** The accepted API key (without {@code Bearer }). */
    public String apiKey() {
        return apiKey;
    }

    /** The heartbeat interval announced in OPEN. */
    public Duration pingInterval() {
        return Duration.ofMillis(pingIntervalMs);
    }

    /** The heartbeat timeout announced in OPEN. */
    public Duration pingTimeout() {
        return Duration.ofMillis(pingTimeoutMs);
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
        Objects.requireNonNull(shape, "shape");
        List<String> frames = new ArrayList<>(events.size());
        for (JsonNode e : events) {
            frames.add(PacketCodec.event(TRANSCRIPTION_EVENT, shape.wrap(e)));
            recordSpoken(transcriptId, e);
        }
        return sendFrames(transcriptId, frames);
    }

    /**
     * Sends a {@value #TRANSCRIPTION_EVENT} built from the documented fields (flat shape, {@code transcript_id} set).
     */
    public int emitTranscription(String transcriptId, String chunkId, String speakerName, String text,
            double startTime, double endTime) {
        ObjectNode o = NODES.objectNode();
        o.put("transcript_id", transcriptId);
        o.put("chunk_id", chunkId);
        o.put("text", text);
        o.put("speaker_name", speakerName);
        o.set("start_time", number(startTime));
        o.set("end_time", number(endTime));
        return emitTranscription(transcriptId, o, Shape.FLAT);
    }

    private static JsonNode number(double d) {
        // as JavaScript would serialize it: 0.0 -> 0
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? NODES.numberNode((long) d) : NODES.numberNode(d);
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
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        List<ScheduledMeeting> list = new ArrayList<>();
        synchronized (schedule) {
            for (ScheduledMeeting m : schedule.values()) {
                if (m.start().toMillis() <= elapsed && (m.end() == null || elapsed < m.end().toMillis())) {
                    list.add(m);
                }
            }
        }
        return list;
    }

    /** Starts a meeting now: {@code active_meetings} lists it until {@link #endMeeting(String)}. */
    public void startMeeting(String id, String title, String organizerEmail) {
        Duration now = Duration.ofNanos(System.nanoTime() - startNanos);
        schedule.put(id, new ScheduledMeeting(id, title, organizerEmail, now, null, "active"));
    }

    /** Ends a meeting now: it leaves {@code active_meetings} and its subscribers get a DISCONNECT ({@code 41}). */
    public void endMeeting(String id) {
        Duration now = Duration.ofNanos(System.nanoTime() - startNanos);
        schedule.computeIfPresent(id, (k, m) -> m.with(now, m.state()));
        disconnect(id);
    }

    /** Sets a meeting's state ({@code active} or {@code paused}). */
    public void setMeetingState(String id, String state) {
        schedule.computeIfPresent(id, (k, m) -> m.with(m.end(), state));
    }

    /** The next {@code calls} GraphQL requests get HTTP 429 with {@code Retry-After: retryAfterSeconds}. */
    public void rateLimitGraphQL(int calls, int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
        rateLimitedCalls.set(calls);
    }

    /** How many GraphQL requests arrived so far (any outcome). */
    public int graphqlRequests() {
        return graphqlRequests.get();
    }

    ScheduledMeeting scheduledMeeting(String id) {
        return schedule.get(id);
    }

    java.time.Instant startTimeOf(ScheduledMeeting m) {
        return startedAt.plus(m.start());
    }

    void countGraphQLRequest() {
        graphqlRequests.incrementAndGet();
    }

    /** The Retry-After seconds when this call is rate limited, else -1. */
    int takeRateLimit() {
        int before = rateLimitedCalls.getAndUpdate(n -> n > 0 ? n - 1 : 0);
        return before > 0 ? retryAfterSeconds : -1;
    }

    /** Records a transcription sent to a meeting, for {@code transcript(id)}: the latest text of each chunk. */
    void recordSpoken(String transcriptId, JsonNode data) {
        if (data == null || !data.isObject()) {
            return;
        }
        String chunk = data.path("chunk_id").asText("");
        spoken.computeIfAbsent(transcriptId, k -> java.util.Collections.synchronizedMap(new LinkedHashMap<>()))
                .put(chunk, data);
    }

    List<JsonNode> spoken(String transcriptId) {
        Map<String, JsonNode> m = spoken.get(transcriptId);
        if (m == null) {
            return List.of();
        }
        synchronized (m) {
            return List.copyOf(m.values());
        }
    }

    /** Sends {@code 42["name",args...]} (no argument: {@code 42["name"]}) to the subscribers of {@code transcriptId}. */
    public int emitEvent(String transcriptId, String eventName, List<? extends JsonNode> args) {
        Objects.requireNonNull(eventName, "eventName");
        return sendFrames(transcriptId,
                List.of(PacketCodec.encode(new Packet.Event(Packet.DEFAULT_NAMESPACE, null, eventName, List.copyOf(args)))));
    }

    /** Varargs form of {@link #emitEvent(String, String, List)}. */
    public int emitEvent(String transcriptId, String eventName, JsonNode... args) {
        return emitEvent(transcriptId, eventName, List.of(args));
    }

    /** Sends a raw text frame, as is (it may be malformed on purpose), to the subscribers of {@code transcriptId}. */
    public int emitRawFrame(String transcriptId, String frame) {
        return sendFrames(transcriptId, List.of(frame));
    }

    /**
     * Sends a BINARY_EVENT with one attachment: {@code 451-["name",{"_placeholder":true,"num":0}]} followed by one
     * binary frame.
     */
    public int emitBinaryEvent(String transcriptId, String eventName, byte[] attachment) {
        ObjectNode placeholder = NODES.objectNode().put("_placeholder", true).put("num", 0);
        String header = PacketCodec.encode(
                new Packet.BinaryEvent(Packet.DEFAULT_NAMESPACE, null, false, 1, eventName, List.of(placeholder)));
        byte[] copy = attachment.clone();
        int n = 0;
        for (SimConnection c : subscribersOf(transcriptId)) {
            if (c.sendWithAttachment(header, copy)) {
                n++;
            }
        }
        return n;
    }

    /** Server-side Socket.IO DISCONNECT ({@code 41}) of the subscribers of {@code transcriptId}; returns how many. */
    public int disconnect(String transcriptId) {
        Meeting m = meetings.get(transcriptId);
        return m == null ? 0 : m.disconnectAll();
    }

    /**
     * Closes the WebSocket of every subscriber of {@code transcriptId} with a close frame carrying {@code code}, without
     * a Socket.IO DISCONNECT first (e.g. 1001 or 1011 to make a client reconnect). Returns how many.
     */
    public int closeConnections(String transcriptId, int code, String reason) {
        List<SimConnection> subs = subscribersOf(transcriptId);
        for (SimConnection c : subs) {
            c.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason == null ? "" : reason));
        }
        return subs.size();
    }

    /** How many Socket.IO CONNECT attempts (any outcome) have named {@code transcriptId} so far. */
    public int connectAttempts(String transcriptId) {
        AtomicInteger n = attempts.get(key(transcriptId));
        return n == null ? 0 : n.get();
    }

    /** How many sockets are subscribed to {@code transcriptId} right now. */
    public int subscribers(String transcriptId) {
        Meeting m = meetings.get(transcriptId);
        return m == null ? 0 : m.subscriberCount();
    }

    /** How many WebSocket connections are open right now (subscribed or not). */
    public int connections() {
        return connections.size();
    }

    /**
     * Waits until at least {@code atLeast} sockets are subscribed to {@code transcriptId}, at most {@code timeout}.
     *
     * @return whether they are
     */
    public boolean awaitSubscribers(String transcriptId, int atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        stateLock.lock();
        try {
            while (subscribers(transcriptId) < atLeast) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            stateLock.unlock();
        }
    }

    private int sendFrames(String transcriptId, List<String> frames) {
        int n = 0;
        for (SimConnection c : subscribersOf(transcriptId)) {
            boolean all = true;
            for (String f : frames) {
                all &= c.send(f);
            }
            if (all) {
                n++;
            }
        }
        return n;
    }

    private List<SimConnection> subscribersOf(String transcriptId) {
        Meeting m = meetings.get(transcriptId);
        return m == null ? List.of() : m.subscribers();
    }

    // ------------------------------------------------------------------------------------------------ package-private

    long pingIntervalMs() {
        return pingIntervalMs;
    }

    long pingTimeoutMs() {
        return pingTimeoutMs;
    }

    long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    int maxPayload() {
        return maxPayload;
    }

    boolean isClosed() {
        return closed;
    }

    boolean isValidToken(String token) {
        return token != null && token.equals("Bearer " + apiKey);
    }

    void countAttempt(String transcriptId) {
        attempts.computeIfAbsent(key(transcriptId), k -> new AtomicInteger()).incrementAndGet();
    }

    private static String key(String transcriptId) {
        return transcriptId == null ? "" : transcriptId;
    }

    /** The meeting of a known transcript id (created on first use), or {@code null} when the id is unknown. */
    Meeting meetingFor(String transcriptId) {
        if (transcriptId.isEmpty() || unknownTranscripts.contains(transcriptId)) {
            return null;
        }
        return meetings.computeIfAbsent(transcriptId, id -> {
            MeetingScript script = scripts.getOrDefault(id, defaultScript);
            return new Meeting(this, id, script, loop, loopPauseMs);
        });
    }

    boolean register(SimConnection c) {
        if (closed) {
            return false;
        }
        connections.add(c);
        if (closed) { // raced with close()
            connections.remove(c);
            return false;
        }
        return true;
    }

    void unregister(SimConnection c) {
        connections.remove(c);
    }

    void subscriptionsChanged() {
        stateLock.lock();
        try {
            changed.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    /** Schedules a one-shot task on the timer; a no-op future once closed. */
    ScheduledFuture<?> schedule(Runnable task, long delayMs) {
        try {
            return timer.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Simulator task failed", e);
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null;
        }
    }

    private static ThreadFactory threadFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            // not Tomcat's web application class loader (which a lazily started thread would inherit)
            t.setContextClassLoader(FirefliesSimulator.class.getClassLoader());
            return t;
        };
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
        private final Set<String> unknownTranscripts = new HashSet<>(Set.of(UNKNOWN_TRANSCRIPT));
        private int maxThreads = 8;
        private final List<ScheduledMeeting> scheduled = new ArrayList<>();

        private Builder() {
        }

        /**
         * Declares a meeting that {@code active_meetings} lists from {@code start} to {@code end} after the simulator
         * starts ({@code end} null: until {@link FirefliesSimulator#endMeeting(String)}). At its end its subscribers get
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

        /** A simulator with this configuration, not started. */
        public FirefliesSimulator build() {
            return new FirefliesSimulator(this);
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
