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
package io.github.camelfireflies.testsupport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.simulator.Shape;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The genuine socket.io npm server ({@code src/test/node/server.js}, socket.io 4.8.4) run as a child process and
 * steered through its {@code /admin/} JSON API.
 * <p>
 * The fixture directory comes from the system property {@code fireflies.node.dir} (set by the surefire
 * configuration), else {@code src/test/node} of the module. {@code node} must be on the {@code PATH}; when
 * {@code node_modules} is missing, {@code npm ci} is run there once. Without Node.js the tests are skipped
 * ({@link TestAbortedException}), except when the environment variable {@code CI=true}, where they fail.
 * <p>
 * The server exits by itself when its stdin closes, so it never outlives the JVM that holds it.
 * <p>
 * It also plays meetings on its own ({@link #startMeeting(String, MeetingScript)}: events sent in real time to whoever
 * is subscribed at that moment, nobody included) and answers the GraphQL queries {@code transcript(id)} (the live
 * sentences of such a meeting: one per chunk sent so far, at its latest text, by start time) and
 * {@code active_meetings} on {@link #graphqlUrl()}, with the simulator's errors (401 {@code auth_failed}, 429
 * {@code too_many_requests} with {@code Retry-After} after {@link #rateLimitGraphQL(int, int)}, {@code object_not_found}
 * with {@code data: null}). A POST that asks for an h2c upgrade (the JDK client's default) is answered in HTTP/1.1.
 */
public final class NodeSocketIoServer implements FirefliesTestServer {

    /** The GraphQL operation {@code transcript(id)}, as {@link #graphqlCalls(String)} counts it. */
    public static final String OP_TRANSCRIPT = "transcript";

    /** The GraphQL operation {@code active_meetings}, as {@link #graphqlCalls(String)} counts it. */
    public static final String OP_ACTIVE_MEETINGS = "active_meetings";

    private static final Logger LOG = LoggerFactory.getLogger(NodeSocketIoServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_MARGIN = Duration.ofSeconds(10);
    private static final Object NPM_LOCK = new Object();

    /** How to start the server. Use {@link #defaults()} and the {@code with...} methods. */
    public record Options(String apiKey, String path, Duration pingInterval, Duration pingTimeout, Path tlsPfx,
                          String tlsPassphrase) {
        public Options {
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(pingInterval, "pingInterval");
            Objects.requireNonNull(pingTimeout, "pingTimeout");
        }

        /** Without TLS. */
        public Options(String apiKey, String path, Duration pingInterval, Duration pingTimeout) {
            this(apiKey, path, pingInterval, pingTimeout, null, null);
        }

        /**
         * Serve https/wss with the key and certificate of a PKCS#12 file. The admin API then needs TLS too: use the
         * WebSocket side only (e.g. {@code events=*}), or a client that trusts the certificate.
         */
        public Options withTls(Path pkcs12, String passphrase) {
            return new Options(apiKey, path, pingInterval, pingTimeout, pkcs12, passphrase);
        }

        /** Key {@code test-key-123}, path {@code /ws/realtime}, ping interval 25 s, ping timeout 20 s. */
        public static Options defaults() {
            return new Options("test-key-123", "/ws/realtime", Duration.ofMillis(25_000), Duration.ofMillis(20_000));
        }

        public Options withApiKey(String key) {
            return new Options(key, path, pingInterval, pingTimeout, tlsPfx, tlsPassphrase);
        }

        public Options withPath(String p) {
            return new Options(apiKey, p, pingInterval, pingTimeout, tlsPfx, tlsPassphrase);
        }

        public Options withPing(Duration interval, Duration timeout) {
            return new Options(apiKey, path, interval, timeout, tlsPfx, tlsPassphrase);
        }
    }

    /** What {@link #burst} measured on the server side. */
    public record BurstResult(long sent, long millis, long framesPerSecond) {
    }

    /** What {@link #paced} did. */
    public record PacedResult(long sent, long millis) {
    }

    /**
     * Where a meeting stands.
     *
     * @param live        started and not ended
     * @param done        every event of its script was sent
     * @param sent        events sent so far (first events and revisions)
     * @param total       events in its script
     * @param heard       events handed to at least one subscriber (a connection being dropped may still count)
     * @param unheard     events sent while nobody was subscribed: lost, as with the real server
     * @param deliveries  events times subscribers
     * @param chunks      distinct chunk ids sent so far (the number of sentences of {@code transcript(id)})
     * @param subscribers sockets subscribed to its transcript id now
     * @param endedAt     null while live
     */
    public record MeetingProgress(String transcriptId, boolean live, boolean done, int sent, int total, int heard,
                                  int unheard, long deliveries, int chunks, int subscribers, Instant startedAt,
                                  Instant endedAt) {
    }

    /**
     * One event a meeting sent.
     *
     * @param seq      its position in the meeting (0 is the first event sent)
     * @param revision 0 for a segment's first event, then 1, 2 ...
     * @param sockets  how many subscribers it was handed to (0: nobody heard it)
     * @param atMillis when, in milliseconds after the meeting started
     */
    public record SentEvent(int seq, String chunkId, int revision, String text, int sockets, long atMillis) {
    }

    /** One call to {@code /graphql}: its operation ({@code transcript}, {@code active_meetings}, {@code other},
     * {@code invalid}), HTTP status, the transcript id of a {@code transcript(id)} call (else null) and when. */
    public record GraphQLCall(String operation, int status, String transcriptId, Instant at) {
    }

    private final Options options;
    private final Process process;
    private final int port;
    private final HttpClient http;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NodeSocketIoServer(Options options, Process process, int port) {
        this.options = options;
        this.process = process;
        this.port = port;
        // HTTP/1.1 on purpose: an h2c upgrade attempt would be taken for a WebSocket upgrade by engine.io
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Starts a server with the default options. */
    public static NodeSocketIoServer start() {
        return start(Options.defaults());
    }

    /** Starts a server; returns once it listens. Aborts the calling test when Node.js is not available. */
    public static NodeSocketIoServer start(Options options) {
        Path dir = nodeDir();
        String node = findOnPath("node").orElseThrow(() -> unavailable("node was not found on the PATH"));
        ensureInstalled(dir);

        List<String> cmd = new ArrayList<>(List.of(node, "server.js", "--port", "0", "--key", options.apiKey(), "--path",
                options.path(), "--ping-interval", Long.toString(options.pingInterval().toMillis()),
                "--ping-timeout", Long.toString(options.pingTimeout().toMillis())));
        if (options.tlsPfx() != null) {
            cmd.addAll(List.of("--pfx", options.tlsPfx().toAbsolutePath().toString(), "--passphrase",
                    String.valueOf(options.tlsPassphrase())));
        }
        Process process;
        try {
            // stdin stays a pipe: the server exits when we close it (or when this JVM dies)
            process = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + node + " in " + dir, e);
        }
        String prefix = "[node " + process.pid() + "] ";
        Deque<String> stderrTail = new ArrayDeque<>();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        pump(process.getErrorStream(), "stderr", line -> {
            synchronized (stderrTail) {
                if (stderrTail.size() == 20) {
                    stderrTail.removeFirst();
                }
                stderrTail.addLast(line);
            }
            LOG.info("{}{}", prefix, line);
        }, () -> { });
        pump(process.getInputStream(), "stdout", line -> {
            if (!listening.isDone() && line.startsWith("LISTENING ")) {
                try {
                    listening.complete(Integer.parseInt(line.substring("LISTENING ".length()).trim()));
                } catch (NumberFormatException e) {
                    listening.completeExceptionally(new IllegalStateException("Bad startup line: " + line));
                }
            } else {
                LOG.info("{}{}", prefix, line);
            }
        }, () -> listening.completeExceptionally(new IllegalStateException("stdout closed before LISTENING")));

        NodeSocketIoServer server;
        try {
            int port = listening.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            server = new NodeSocketIoServer(options, process, port);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            stop(process);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String tail;
            synchronized (stderrTail) {
                tail = String.join("\n", stderrTail);
            }
            throw new IllegalStateException("The node server did not report LISTENING within " + STARTUP_TIMEOUT
                                            + " (exit " + (process.isAlive() ? "-" : process.exitValue()) + "); stderr:\n"
                                            + tail, e);
        }
        LOG.info("{}socket.io server listening on {}{}", prefix, server.url(), server.path());
        return server;
    }

    // ------------------------------------------------------------------------------------------------ discovery

    private static Path nodeDir() {
        String prop = System.getProperty("fireflies.node.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        for (String candidate : List.of("src/test/node", "camel-fireflies-component/src/test/node")) {
            Path p = Path.of(candidate).toAbsolutePath();
            if (Files.isRegularFile(p.resolve("server.js"))) {
                return p;
            }
        }
        return Path.of("src/test/node").toAbsolutePath();
    }

    private static Optional<String> findOnPath(String name) {
        String pathEnv = System.getenv("PATH");
        if (pathEnv == null) {
            return Optional.empty();
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        List<String> names = windows ? List.of(name + ".exe", name + ".cmd", name) : List.of(name);
        for (String entry : pathEnv.split(File.pathSeparator)) {
            for (String n : names) {
                Path p = Path.of(entry.isEmpty() ? "." : entry, n);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p.toString());
                }
            }
        }
        return Optional.empty();
    }

    /** Runs {@code npm ci} once when {@code node_modules} lacks socket.io; aborts or fails when that is impossible. */
    private static void ensureInstalled(Path dir) {
        if (!Files.isRegularFile(dir.resolve("server.js"))) {
            throw new IllegalStateException("No server.js in " + dir + " (system property fireflies.node.dir)");
        }
        synchronized (NPM_LOCK) {
            if (Files.isRegularFile(dir.resolve("node_modules/socket.io/package.json"))) {
                return;
            }
            String npm = findOnPath("npm").orElseThrow(() -> unavailable("node_modules is missing and npm was not found"));
            LOG.info("Running npm ci in {}", dir);
            Process p;
            try {
                p = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
            } catch (IOException e) {
                throw unavailable("npm ci could not be started: " + e);
            }
            pump(p.getInputStream(), "npm", line -> LOG.info("[npm ci] {}", line), () -> { });
            try {
                if (!p.waitFor(NPM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    stop(p);
                    throw unavailable("npm ci did not finish within " + NPM_TIMEOUT);
                }
            } catch (InterruptedException e) {
                stop(p);
                Thread.currentThread().interrupt();
                throw unavailable("interrupted while waiting for npm ci");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(dir.resolve("node_modules/socket.io/package.json"))) {
                throw unavailable("npm ci failed with exit code " + p.exitValue());
            }
        }
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win") ? "NUL" : "/dev/null");
    }

    /** Skips the test (or fails it on CI) with a message that says what is needed. */
    private static RuntimeException unavailable(String why) {
        String message = "The socket.io conformance tests need Node.js (18+) on the PATH and `npm ci` run in "
                         + nodeDir() + ": " + why;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return new IllegalStateException(message);
        }
        return new TestAbortedException(message);
    }

    private static void pump(InputStream in, String name, Consumer<String> onLine, Runnable onEnd) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    onLine.accept(line);
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                onEnd.run();
            }
        }, "node-" + name + "-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void stop(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------ FirefliesTestServer

    @Override
    public String url() {
        return (options.tlsPfx() != null ? "wss" : "ws") + "://127.0.0.1:" + port;
    }

    @Override
    public String path() {
        return options.path();
    }

    @Override
    public String apiKey() {
        return options.apiKey();
    }

    /** The PID of the node process. */
    public long pid() {
        return process.pid();
    }

    /** The HTTP port (WebSocket and admin API). */
    public int port() {
        return port;
    }

    @Override
    public int emitTranscription(String transcriptId, List<JsonNode> events, Shape shape, Duration awaitSubscriber) {
        ObjectNode body = JSON.createObjectNode()
                .put("transcriptId", transcriptId)
                .put("awaitMs", awaitSubscriber.toMillis())
                .put("shape", shape.name().toLowerCase(Locale.ROOT));
        body.putArray("events").addAll(events);
        return post("/admin/transcription", body, awaitSubscriber).path("sockets").asInt();
    }

    @Override
    public int emitEvent(String transcriptId, String eventName, List<JsonNode> args, Duration awaitSubscriber) {
        ObjectNode item = JSON.createObjectNode().put("event", eventName);
        item.putArray("args").addAll(args);
        return emit(transcriptId, item, awaitSubscriber);
    }

    @Override
    public int emitRawFrame(String transcriptId, String frame, Duration awaitSubscriber) {
        return emit(transcriptId, JSON.createObjectNode().put("raw", frame), awaitSubscriber);
    }

    @Override
    public int emitBinaryEvent(String transcriptId, String eventName, byte[] attachment, Duration awaitSubscriber) {
        ObjectNode item = JSON.createObjectNode().put("binary", eventName)
                .put("base64", Base64.getEncoder().encodeToString(attachment));
        return emit(transcriptId, item, awaitSubscriber);
    }

    private int emit(String transcriptId, ObjectNode item, Duration awaitSubscriber) {
        ObjectNode body = JSON.createObjectNode().put("transcriptId", transcriptId).put("awaitMs", awaitSubscriber.toMillis());
        body.putArray("items").add(item);
        return post("/admin/emit", body, awaitSubscriber).path("sockets").asInt();
    }

    @Override
    public void disconnect(String transcriptId) {
        post("/admin/disconnect", JSON.createObjectNode().put("transcriptId", transcriptId), Duration.ZERO);
    }

    @Override
    public int connectAttempts(String transcriptId) {
        return state().path("attempts").path(transcriptId).asInt(0);
    }

    @Override
    public int subscribers(String transcriptId) {
        return state().path("subscribers").path(transcriptId).asInt(0);
    }

    // ------------------------------------------------------------------------------------------------ fault injection

    /**
     * {@code {"subscribers":{tid:n},"attempts":{tid:n},"engineConnections":n,"meetings":{tid:{live,sent,total}},
     * "graphqlCalls":{operation:n}}}.
     */
    public JsonNode state() {
        return get("/admin/state");
    }

    /**
     * Cuts the TCP connections of the subscribers of {@code transcriptId} without any WebSocket or Socket.IO close:
     * a FIN ({@code rst=false}) or a RST ({@code rst=true}). The client sees an abnormal closure (1006).
     *
     * @return how many sockets were dropped
     */
    public int dropConnections(String transcriptId, boolean rst) {
        ObjectNode body = JSON.createObjectNode().put("transcriptId", transcriptId).put("mode", rst ? "rst" : "fin");
        return post("/admin/drop", body, Duration.ZERO).path("sockets").asInt();
    }

    /** From now on the server sends nothing (not even pings) to those sockets and keeps their TCP connections open. */
    public int stall(String transcriptId) {
        return post("/admin/stall", JSON.createObjectNode().put("transcriptId", transcriptId), Duration.ZERO)
                .path("sockets").asInt();
    }

    /** Drops every connection abruptly, stops listening for {@code down}, listens again on the same port. */
    public void restart(Duration down) {
        post("/admin/restart", JSON.createObjectNode().put("downMs", down.toMillis()), down);
    }

    /**
     * Writes {@code count} pre-encoded {@code transcription.broadcast} frames ({@code chunk_id} {@code c0..}) to each
     * subscriber as fast as its socket accepts them.
     */
    public BurstResult burst(String transcriptId, int count, int textLength) {
        ObjectNode body = JSON.createObjectNode().put("transcriptId", transcriptId).put("count", count)
                .put("textLength", textLength);
        JsonNode r = post("/admin/burst", body, Duration.ofMinutes(5));
        return new BurstResult(r.path("sent").asLong(), r.path("millis").asLong(), r.path("framesPerSecond").asLong());
    }

    /**
     * Sends {@code count} {@code transcription.broadcast} events ({@code chunk_id} {@code p0..}) at
     * {@code ratePerSecond}, each carrying {@code sent_at_us} (server epoch microseconds); returns when all are sent.
     */
    public PacedResult paced(String transcriptId, int count, int ratePerSecond) {
        ObjectNode body = JSON.createObjectNode().put("transcriptId", transcriptId).put("count", count)
                .put("ratePerSecond", ratePerSecond);
        Duration expected = Duration.ofMillis((long) Math.ceil(count * 1000.0 / ratePerSecond));
        JsonNode r = post("/admin/paced", body, expected.plus(expected));
        return new PacedResult(r.path("sent").asLong(), r.path("millis").asLong());
    }

    /**
     * Like {@link #paced(String, int, int)} but to each of {@code transcriptIds} ({@code ratePerSecond} each); with
     * {@code stampText} the text of each event is its send time in {@code process.hrtime} nanoseconds (on Linux the
     * same clock as {@link System#nanoTime()}).
     */
    public PacedResult paced(List<String> transcriptIds, int count, int ratePerSecond, boolean stampText) {
        ObjectNode body = JSON.createObjectNode().put("count", count).put("ratePerSecond", ratePerSecond)
                .put("stampText", stampText);
        transcriptIds.forEach(body.putArray("transcriptIds")::add);
        Duration expected = Duration.ofMillis((long) Math.ceil(count * 1000.0 / ratePerSecond));
        JsonNode r = post("/admin/paced", body, expected.plus(expected));
        return new PacedResult(r.path("sent").asLong(), r.path("millis").asLong());
    }

    // ------------------------------------------------------------------------------------------------ meetings

    /**
     * Starts a meeting for {@code transcriptId} that plays {@code script} in real time from now, whether anybody is
     * subscribed or not; events due while nobody is subscribed are lost. Fails while a meeting with that id is live;
     * an ended one is replaced.
     */
    public MeetingProgress startMeeting(String transcriptId, MeetingScript script) {
        return progress(post("/admin/meeting/start", script.toJson(transcriptId), Duration.ZERO));
    }

    /** Where the meeting of {@code transcriptId} stands; fails for a meeting never started. */
    public MeetingProgress meetingProgress(String transcriptId) {
        return progress(get("/admin/meeting?transcriptId=" + encode(transcriptId)));
    }

    /** Every event the meeting of {@code transcriptId} sent so far, in order, with how many sockets got it. */
    public List<SentEvent> meetingLog(String transcriptId) {
        JsonNode log = get("/admin/meeting?log=true&transcriptId=" + encode(transcriptId)).path("log");
        List<SentEvent> list = new ArrayList<>(log.size());
        for (JsonNode e : log) {
            list.add(new SentEvent(e.path("seq").asInt(), e.path("chunkId").asText(), e.path("revision").asInt(),
                    e.path("text").asText(), e.path("sockets").asInt(), e.path("atMs").asLong()));
        }
        return list;
    }

    /**
     * Ends the meeting of {@code transcriptId}: it sends nothing more, is no longer live (nor in
     * {@code active_meetings}) and its subscribers get a Socket.IO DISCONNECT ({@code 41}), as {@link #disconnect}.
     * Its sentences stay as they were. Ending an ended meeting does no harm.
     *
     * @return how many sockets were disconnected
     */
    public int endMeeting(String transcriptId) {
        return post("/admin/meeting/end", JSON.createObjectNode().put("transcriptId", transcriptId), Duration.ZERO)
                .path("sockets").asInt();
    }

    private static MeetingProgress progress(JsonNode p) {
        return new MeetingProgress(p.path("transcriptId").asText(), p.path("live").asBoolean(), p.path("done").asBoolean(),
                p.path("sent").asInt(), p.path("total").asInt(), p.path("heard").asInt(), p.path("unheard").asInt(),
                p.path("deliveries").asLong(), p.path("chunks").asInt(), p.path("subscribers").asInt(),
                Instant.parse(p.path("startedAt").asText()),
                p.path("endedAt").isTextual() ? Instant.parse(p.path("endedAt").asText()) : null);
    }

    // ------------------------------------------------------------------------------------------------ GraphQL

    /** The GraphQL endpoint, e.g. {@code http://127.0.0.1:34567/graphql} ({@code https} with TLS). */
    public String graphqlUrl() {
        return (options.tlsPfx() != null ? "https" : "http") + "://127.0.0.1:" + port + "/graphql";
    }

    /** The next {@code calls} authenticated GraphQL calls get HTTP 429 with {@code Retry-After: retryAfterSeconds}. */
    public void rateLimitGraphQL(int calls, int retryAfterSeconds) {
        post("/admin/graphql/rate-limit", JSON.createObjectNode().put("calls", calls)
                .put("retryAfterSeconds", retryAfterSeconds), Duration.ZERO);
    }

    /**
     * How many GraphQL calls (any outcome: 200, 401, 429 ...) named {@code operation} so far: {@link #OP_TRANSCRIPT},
     * {@link #OP_ACTIVE_MEETINGS}, {@code other} (another query) or {@code invalid} (no query, not a POST).
     */
    public int graphqlCalls(String operation) {
        return graphqlStats().path("operations").path(operation).asInt(0);
    }

    /** How many {@code transcript(id)} calls (any outcome) asked for {@code transcriptId} so far. */
    public int transcriptCalls(String transcriptId) {
        return graphqlStats().path("transcriptCalls").path(transcriptId).asInt(0);
    }

    /** The last 1,000 GraphQL calls, oldest first. */
    public List<GraphQLCall> graphqlCallLog() {
        JsonNode log = graphqlStats().path("log");
        List<GraphQLCall> list = new ArrayList<>(log.size());
        for (JsonNode c : log) {
            list.add(new GraphQLCall(c.path("operation").asText(), c.path("status").asInt(),
                    c.path("transcriptId").isTextual() ? c.path("transcriptId").asText() : null,
                    Instant.ofEpochMilli(c.path("at").asLong())));
        }
        return list;
    }

    /**
     * {@code {"total":n,"operations":{op:n},"statuses":{"200":n},"transcriptCalls":{tid:n},"rateLimitLeft":n,
     * "retryAfterSeconds":n,"log":[...]}}.
     */
    public JsonNode graphqlStats() {
        return get("/admin/graphql");
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(admin(pathAndQuery)).GET(), Duration.ZERO, "GET " + pathAndQuery);
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private JsonNode post(String path, JsonNode body, Duration serverSideWait) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(admin(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        return send(b, serverSideWait, "POST " + path);
    }

    private JsonNode send(HttpRequest.Builder builder, Duration serverSideWait, String what) {
        if (closed.get()) {
            throw new IllegalStateException("The node server is closed");
        }
        HttpRequest request = builder.timeout(serverSideWait.plus(REQUEST_MARGIN)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            JsonNode json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        what + " -> HTTP " + response.statusCode() + ": " + json.path("error").asText(response.body()));
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(what + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    /** Builds a JSON array argument list (for {@link #emitEvent}). */
    public static List<JsonNode> args(Object... values) {
        ArrayNode array = JSON.valueToTree(values);
        List<JsonNode> list = new ArrayList<>(array.size());
        array.forEach(list::add);
        return list;
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** Closes stdin, terminates the process (then kills it if needed), each wait bounded. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stop(process);
            LOG.info("[node {}] stopped (alive: {})", process.pid(), process.isAlive());
        }
    }

    @Override
    public String toString() {
        return "NodeSocketIoServer[pid " + process.pid() + ", " + url() + path() + "]";
    }
}
