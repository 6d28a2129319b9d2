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
package io.github.camelfireflies;

import io.github.camelfireflies.api.OverflowPolicy;
import io.github.camelfireflies.api.EmitMode;
import io.github.camelfireflies.api.FirefliesPlan;
import io.github.camelfireflies.api.BackfillMode;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.internal.auth.PlainText;
import io.github.camelfireflies.internal.graphql.FirefliesGraphQLClient;
import io.github.camelfireflies.internal.socketio.Backoff;
import io.github.camelfireflies.internal.socketio.SocketIoUris;
import io.github.camelfireflies.internal.stream.FirefliesRealtimeClient;
import jakarta.websocket.WebSocketContainer;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Options shared by the component (as defaults) and its endpoints, as camel-kafka's configuration is, with the one
 * check of them per endpoint kind ({@link #validate}) and the values derived from them. {@link #toString()} never shows
 * the API key.
 * <p>
 * Long because it declares every option with its documentation and accessors.
 */
@UriParams
public class FirefliesConfiguration implements Cloneable {

    /** The default base URL of the Fireflies Realtime API. */
    public static final String DEFAULT_URL = "wss://api.fireflies.ai";
    /** The default Socket.IO path of the Fireflies Realtime API. */
    public static final String DEFAULT_PATH = "/ws/realtime";
    /** The default Fireflies GraphQL endpoint (see {@code graphqlUrl}). */
    public static final String DEFAULT_GRAPHQL_URL = FirefliesGraphQLClient.DEFAULT_URL;
    /** The event that carries live transcript chunks. */
    public static final String DEFAULT_EVENTS = "transcription.broadcast";
    /** How often {@code fireflies:meetings} polls when neither {@code delay} nor {@code pollInterval} is set. */
    public static final long DEFAULT_POLL_INTERVAL = 60_000;
    /** The safety-net poll of the webhook mode when neither {@code delay} nor {@code pollInterval} is set: hourly. */
    public static final long WEBHOOK_POLL_INTERVAL = 3_600_000;

    @UriParam(label = "security", secret = true,
              description = "The Fireflies API key, with or without the `Bearer ` prefix. Can be set on the component"
                            + " so that endpoints need not repeat it. It is sent only in the Socket.IO CONNECT packet,"
                            + " never logged.")
    @Metadata(required = true)
    private String apiKey;

    @UriParam(label = "common", defaultValue = DEFAULT_URL,
              description = "Base URL of the realtime server: scheme (`wss`, `ws`, `https`, `http`), host and optional"
                            + " port, without a path.")
    private String url = DEFAULT_URL;

    @UriParam(label = "common", defaultValue = DEFAULT_PATH,
              description = "The Socket.IO path of the realtime server (the server's `path` option, not a namespace)."
                            + " The WebSocket URL is the url, the path, a slash and the query EIO=4&transport=websocket.")
    private String path = DEFAULT_PATH;

    @UriParam(label = "consumer", defaultValue = DEFAULT_EVENTS,
              description = "Comma-separated Socket.IO event names that become exchanges. The value star (a single asterisk) selects every event,"
                            + " lifecycle ones (`auth.success`, `auth.failed`, `connection.established`,"
                            + " `connection.error`) included.")
    private String events = DEFAULT_EVENTS;

    @UriParam(label = "consumer,advanced", defaultValue = "20000", javaType = "java.time.Duration",
              description = "Time allowed for one connect, from opening the TCP connection to the Socket.IO CONNECT ack"
                            + " (milliseconds).")
    private long connectTimeout = 20000;

    @UriParam(label = "consumer,advanced", defaultValue = "4194304",
              description = "The largest incoming WebSocket message accepted, in bytes. The server does not limit what"
                            + " it sends: a 1 MiB transcript text arrives as one frame of just over 1 MiB.")
    private int maxMessageSize = 4 * 1024 * 1024;

    @UriParam(label = "consumer,advanced", defaultValue = "1000", javaType = "java.time.Duration",
              description = "The first wait before reconnecting after a transient failure (milliseconds); it doubles"
                            + " with each failed attempt.")
    private long reconnectDelay = 1000;

    @UriParam(label = "consumer,advanced", defaultValue = "5000", javaType = "java.time.Duration",
              description = "The longest wait between reconnect attempts (milliseconds).")
    private long reconnectDelayMax = 5000;

    @UriParam(label = "consumer,advanced", defaultValue = "0.5",
              description = "How much each reconnect wait is spread at random, from 0 (not at all) to 1 (+-100%),"
                            + " so that many clients do not reconnect in step.")
    private double randomizationFactor = 0.5;

    @UriParam(label = "consumer,advanced", defaultValue = "0",
              description = "How many reconnect attempts in a row before giving up; 0 means no limit, -1 never"
                            + " reconnect. A connection that reaches `connection.established` resets the count."
                            + " Authentication failures are never retried.")
    private int reconnectAttempts;

    @UriParam(label = "consumer,advanced", defaultValue = "false",
              description = "Whether to reconnect after the server ends the session on purpose (a Socket.IO"
                            + " DISCONNECT), which usually means the meeting is over. By default the consumer then"
                            + " logs it, emits open segments as final, stops receiving and says so in its health check"
                            + " (DOWN for good); the route must be restarted to subscribe again.")
    private boolean reconnectOnServerDisconnect;

    @UriParam(label = "consumer,advanced", defaultValue = "10000",
              description = "How many events may wait for the route. Events are received on the WebSocket thread and"
                            + " routed on a worker thread (or on the reader itself, see `routeOnReader`), in order;"
                            + " when the route is slower than the meeting, the queue fills and `overflowPolicy`"
                            + " decides what happens: wait (`BLOCK`) or drop.")
    private int queueSize = 10000;

    @UriParam(label = "consumer,advanced", defaultValue = "BLOCK",
              enums = "BLOCK,DROP_OLDEST,DROP_NEWEST",
              description = "What a full queue does. `BLOCK` (default) loses nothing: the WebSocket reader waits for"
                            + " room, so the server's sends slow down through the WebSocket and TCP windows, as with"
                            + " the JS client. The wait is bounded by half the server's pingTimeout (10 s against"
                            + " Fireflies), since a reader that waits reads no heartbeat: past it the waiting event is"
                            + " kept, the connection is let go and a reconnect follows (counted as a route stall,"
                            + " reported through the exception handler; backfill=gaps fetches what was said"
                            + " meanwhile). `DROP_OLDEST` keeps the stream current (live captions), `DROP_NEWEST`"
                            + " keeps what already waits; every drop is counted (JMX, health check) and reported"
                            + " through the exception handler; nothing is dropped silently. Any case is accepted"
                            + " (`drop_oldest` too).")
    private OverflowPolicy overflowPolicy = OverflowPolicy.BLOCK;

    @UriParam(label = "consumer,advanced", defaultValue = "true",
              description = "With overflowPolicy=BLOCK: whether an event may be routed on the WebSocket reader thread"
                            + " itself. It is, when no earlier event waits for the route and the route has proven"
                            + " quick: its last 64 exchanges on the worker pool took at most 10 ms each. Then the reader"
                            + " routes the event before it reads the next frame, as the JS client does on its one"
                            + " thread, and no worker is woken per event (less CPU per event). A route that is slow"
                            + " from the start (it calls out, it blocks) never runs on the reader. One that turns slow"
                            + " keeps the reader for that one exchange: the next events go to the workers until 64 were"
                            + " quick again, and for a pause at least (1 s, doubling up to 5 min while it stays slow);"
                            + " an exchange that keeps the reader past the stall limit of overflowPolicy=BLOCK lets the"
                            + " connection go in the same way (a route stall, then a reconnect). Order is kept either"
                            + " way. Set false to route every event on the worker pool.")
    private boolean routeOnReader = true;

    @UriParam(label = "consumer", defaultValue = "REVISIONS", enums = "REVISIONS,CHANGES,FINAL",
              description = "Which transcription events become exchanges. `REVISIONS`: every event, each revision of a"
                            + " segment included. `CHANGES`: every event except exact repeats (same chunk id and same"
                            + " text). `FINAL`: one exchange per segment with its last revision, marked"
                            + " CamelFirefliesChunkFinal; Fireflies never says a segment is finished, so this is"
                            + " inferred (see finalizeAfter), and a revision that arrives later is emitted again as a"
                            + " correction (CamelFirefliesCorrection). Any case is accepted (`final` too).")
    private EmitMode emit = EmitMode.REVISIONS;

    @UriParam(label = "consumer", defaultValue = "5000", javaType = "java.time.Duration",
              description = "With emit=final: a segment is taken as finished once a newer segment (chunk id) has"
                            + " started and it has had no revision for this long (milliseconds). A heuristic: a"
                            + " revision arriving later is emitted as a correction. Open segments are emitted at once"
                            + " when the server ends the session and when the consumer stops.")
    private long finalizeAfter = 5000;

    @UriParam(label = "consumer", enums = "NONE,GAPS,ALL",
              description = "What the consumer fetches from the GraphQL API (`transcript(id)`: the live sentences of"
                            + " the meeting) so that the transcript misses nothing the socket missed. `NONE`: nothing."
                            + " `GAPS`: after a reconnect (or a suspend and resume), the segments spoken while the"
                            + " connection was down, emitted before the live events that follow and marked"
                            + " CamelFirefliesBackfill. `ALL`: `GAPS`, plus, on the first subscription, everything said"
                            + " in the meeting before it. Each fetch is one GraphQL call, counted and rate limited (HTTP"
                            + " 429 Retry-After). When not set: `GAPS` for `live`, `ALL` for `meetings` (which always"
                            + " finds a meeting after it started). Any case is accepted (`gaps` too).")
    private BackfillMode backfill;

    @UriParam(label = "advanced",
              description = "A JSR 356 `WebSocketContainer` to connect with instead of the one the component makes"
                            + " (see the component's webSocketProvider), e.g. the container of the host application."
                            + " The component neither configures nor stops it.")
    private WebSocketContainer webSocketContainer;

    @UriParam(label = "security",
              description = "TLS settings (trust store, key store, protocols) for `wss` connections; by default the"
                            + " JVM's trust store verifies the server.")
    private SSLContextParameters sslContextParameters;

    @UriParam(label = "security", defaultValue = "false",
              description = "Allow a plain `ws://` (or `http://`) URL to a host other than the loopback interface."
                            + " Refused by default: the API key would cross the network in clear text.")
    private boolean allowInsecure;

    @UriParam(label = "advanced",
              description = "The Fireflies GraphQL endpoint, used by `meetings` (to find the meetings in progress),"
                            + " `graphql`, and the `backfill` of `live` and `meetings`. The API key is sent in its"
                            + " Authorization header. Not set: the `/graphql` endpoint on the host of `url` (https for"
                            + " wss, http for ws), so `https://api.fireflies.ai/graphql` with the default `url`, and the"
                            + " simulator's own with the simulator's `url`.")
    private String graphqlUrl;

    @UriParam(label = "consumer,webhook", secret = true,
              description = "With `webhook:fireflies:events` and `meetings` webhooks (`webhookPath`): the signing secret set in"
                            + " the Fireflies dashboard. Each delivery's `X-Hub-Signature` (HMAC-SHA256 of the raw body,"
                            + " hex, with or without `sha256=`) is checked against it in constant time before anything"
                            + " else; a missing or wrong signature is answered 401 and never routed.")
    private String webhookSecret;

    @UriParam(label = "consumer,webhook", defaultValue = "false",
              description = "Take unsigned webhook deliveries when no `webhookSecret` is set. Without either, a"
                            + " webhook endpoint refuses to start: anyone who can reach its URL could post events.")
    private boolean allowUnsigned;

    @UriParam(label = "consumer,webhook", defaultValue = "1048576",
              description = "The largest webhook body accepted, in bytes; a larger one is answered 413. A declared"
                            + " Content-Length over it is refused before reading; to refuse chunked bodies without"
                            + " buffering them, give the HTTP server the same limit (e.g. `camel.server.maxBodySize`).")
    private int maxBodySize = 1024 * 1024;

    @UriParam(label = "consumer,webhook", defaultValue = "600000", javaType = "java.time.Duration",
              description = "How long an exact repeat of a webhook delivery (the same bytes) is answered 200 without"
                            + " being routed again (milliseconds); the memory is bounded to the last 10000 deliveries."
                            + " With `idempotentRepository` the repository decides instead.")
    private long duplicateWindow = 600000;

    @UriParam(label = "consumer,webhook", defaultValue = "false",
              description = "With `webhook:fireflies:events` (and `meetings` webhooks when its `events` names"
                            + " `meeting.transcribed`): a `meeting.transcribed` exchange carries the finished transcript,"
                            + " fetched with GraphQL `transcript(id)` (one call, counted, needs the apiKey): the body"
                            + " becomes a `Transcript` (id, title, date, duration, organizer, participants, speakers,"
                            + " sentences, summary) and the webhook event goes to the `CamelFirefliesWebhookEvent`"
                            + " header. When no transcript comes within `fetchTimeout` (rate limited, unknown, failed,"
                            + " slow) the exchange is routed all the same with the webhook event as its body and"
                            + " `CamelFirefliesTranscriptError` (and `CamelFirefliesRetryAfter` on HTTP 429). After a"
                            + " 429 no call is made before its Retry-After.")
    private boolean fetchTranscript;

    @UriParam(label = "consumer,webhook,advanced", defaultValue = "5000", javaType = "java.time.Duration",
              description = "With `fetchTranscript=true`: how long the transcript fetch may take in all, a wait for a"
                            + " short Retry-After included (milliseconds). The answer to the webhook waits for it and"
                            + " then for the route, and Fireflies gives up after 10 s: keep it well under that.")
    private long fetchTimeout = 5000;

    @UriParam(label = "advanced",
              description = "A Camel IdempotentRepository (memory, file, JDBC, Infinispan, Redis, Kafka...). With"
                            + " `live` and `meetings` and `emit=final`, it records each segment emitted final once its"
                            + " exchange completed (key: transcript, speaker and start time in quarter seconds), and a"
                            + " segment recorded before is not emitted again: after a handover or a restart, the next"
                            + " owner of a meeting emits only what was not emitted yet, whether it comes from the socket"
                            + " or from a backfill. Not used with the other emit modes. With webhooks it remembers the"
                            + " deliveries routed (the SHA-256 of each body), so that a repeat is not routed twice,"
                            + " across restarts and instances. With `transcripts` it records each transcript"
                            + " (`fireflies-transcript:<id>`) once its exchange completed, so that none is emitted twice"
                            + " across restarts.")
    private IdempotentRepository idempotentRepository;

    @UriParam(label = "consumer",
              description = "With `meetings`: whose meetings to follow, by e-mail. Empty: the API key's own user. Admins"
                            + " may name a teammate.")
    private String email;

    @UriParam(label = "consumer", defaultValue = "active,paused",
              description = "With `meetings`: which meeting states to follow, comma-separated (`active`, `paused`).")
    private String states = "active,paused";

    @UriParam(label = "consumer,webhook",
              description = "With `meetings`: take the Fireflies webhooks at this path (e.g. `/fireflies/meetings`) on"
                            + " the application's HTTP server (the REST consumer of `webhookComponentName`, e.g."
                            + " `platform-http`), registered when the route's consumer starts and removed when it stops."
                            + " `meeting.bot_joined` follows a meeting at once, `meeting.transcribed` ends it; polling is"
                            + " then a safety net: every `delay` (3600000 when not set), off with `startScheduler=false`."
                            + " While the route is suspended the webhooks are answered 503, so that Fireflies sends them"
                            + " again. Replaces `webhook:fireflies:meetings`.")
    private String webhookPath;

    @UriParam(label = "consumer,webhook,advanced",
              description = "With `meetings` and `webhookPath`: the name of the component (or registry bean) that takes"
                            + " the webhook's HTTP requests, a `RestConsumerFactory` such as `platform-http`. Not set: the"
                            + " one such component of the context, as Camel's webhook component finds it.")
    private String webhookComponentName;

    @UriParam(label = "consumer,webhook,advanced",
              description = "With `meetings` and `webhookPath`: the public base URL that reaches this application (e.g."
                            + " `https://hooks.example.com`), for the webhook URL the endpoint logs at start (the one to"
                            + " paste in the Fireflies dashboard). Not set: the REST configuration's host and port.")
    private String webhookExternalUrl;

    @Deprecated
    @Metadata(deprecationNote = "Use delay (ScheduledPollEndpoint's option, same unit); startScheduler=false turns the"
                                + " safety-net poll of the webhook mode off")
    @UriParam(label = "consumer", defaultValue = "60000", javaType = "java.time.Duration",
              description = "Deprecated: use `delay` (and `startScheduler=false` for 0). With `meetings`: how often to"
                            + " ask the GraphQL API for the meetings in progress (milliseconds). Mapped onto `delay`;"
                            + " when both are set `delay` wins (a WARN says so). With webhooks (`webhookPath`, or"
                            + " `webhook:fireflies:meetings`) the poll is only a safety net: not set, it is 3600000 (one"
                            + " call an hour), and 0 turns it off.")
    private long pollInterval = DEFAULT_POLL_INTERVAL;
    private boolean pollIntervalSet;

    @UriParam(label = "common,budget", defaultValue = "BUSINESS", enums = "FREE,PRO,BUSINESS,ENTERPRISE,NONE",
              description = "The Fireflies plan of the API key, for its rate budget (shared by every consumer and"
                            + " producer of the component that uses the key): `FREE` 50 GraphQL requests a day, `PRO`"
                            + " 500 a day, `BUSINESS` and `ENTERPRISE` 60 a minute, `NONE` no plan-wide limit. The"
                            + " default, `BUSINESS`, is the highest documented limit, so it holds back no call that any"
                            + " plan would accept, yet no key ever sends more than 60 a minute; set `FREE` or `PRO` to"
                            + " have the daily limit kept too (the API does not tell a key's plan). The documented"
                            + " per-operation caps (addToLiveMeeting 3 per 20 minutes, updateMeetingState,"
                            + " createLiveActionItem, createLiveSoundbite 10 an hour, ...) apply on every plan. All"
                            + " endpoints of one key must agree.")
    private FirefliesPlan plan = FirefliesPlan.BUSINESS;

    @UriParam(label = "advanced,budget", defaultValue = "0",
              description = "Requests the API key may make per budgetWindow, instead of the plan's (e.g. a contract's"
                            + " limit). 0: the plan's.")
    private int budgetRequests;

    @UriParam(label = "advanced,budget", defaultValue = "0", javaType = "java.time.Duration",
              description = "The window budgetRequests are counted in (milliseconds; any window of that length holds"
                            + " at most that many). 0: the plan's (a day for free and pro, a minute otherwise).")
    private long budgetWindow;

    @UriParam(label = "advanced,budget", defaultValue = "60000", javaType = "java.time.Duration",
              description = "How long a GraphQL call may wait for its key's rate budget (or a server's Retry-After)"
                            + " before it fails with a RateBudgetExceededException that names the limit and when it"
                            + " frees. A call the budget knows the API would refuse is never sent. 0: fail at once.")
    private long budgetMaxWait = 60000;

    @UriParam(label = "advanced,budget", defaultValue = "2",
              description = "How many times a GraphQL call that the server refused with HTTP 429 (or"
                            + " too_many_requests) is sent again, each after the server's Retry-After (1 s, doubling,"
                            + " when it gives none) if that is within budgetMaxWait. 0: never.")
    private int budgetRetries = 2;

    public FirefliesConfiguration copy() {
        try {
            return (FirefliesConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    // ------------------------------------------------------------------------------------ checks and derived values

    /**
     * The one check of an endpoint's options, for its kind: fails endpoint creation with a message that says what is
     * wrong and how to fix it (and never shows a key or secret).
     */
    public void validate(EndpointType type, String transcriptId) {
        if (type == EndpointType.live && (transcriptId == null || transcriptId.isBlank())) {
            throw new IllegalArgumentException(
                    "fireflies:live needs a transcriptId, e.g. fireflies:live?transcriptId=<the meeting's transcript id>");
        }
        positive("maxBodySize", maxBodySize);
        if (duplicateWindow < 0) {
            throw new IllegalArgumentException("duplicateWindow must not be negative, was " + duplicateWindow);
        }
        eventNames();
        positive("fetchTimeout", fetchTimeout);
        if (budgetMaxWait < 0) {
            throw new IllegalArgumentException("budgetMaxWait must not be negative, was " + budgetMaxWait);
        }
        if (budgetRetries < 0) {
            throw new IllegalArgumentException("budgetRetries must not be negative, was " + budgetRetries);
        }
        RateBudgets.planLimit(this); // checks plan, budgetRequests and budgetWindow
        if (type == EndpointType.events) {
            if (fetchTranscript) {
                apiKey(type); // the fetch needs the key
                graphqlUri();
            }
            return; // webhooks need neither the key nor the realtime URL
        }
        apiKey(type);
        PlainText.requireEncrypted(SocketIoUris.engineIoUri(url, path), "ws", "URL", allowInsecure);
        positive("maxMessageSize", maxMessageSize);
        positive("queueSize", queueSize);
        positive("connectTimeout", connectTimeout);
        if (reconnectAttempts < -1) {
            throw new IllegalArgumentException("reconnectAttempts must be -1 (never), 0 (no limit) or positive, was "
                                               + reconnectAttempts);
        }
        if (emit == null) {
            throw new IllegalArgumentException("emit must be REVISIONS, CHANGES or FINAL");
        }
        if (finalizeAfter < 0) {
            throw new IllegalArgumentException("finalizeAfter must not be negative, was " + finalizeAfter);
        }
        backoff();
        if (type == EndpointType.transcripts) {
            graphqlUri();
        } else if (type == EndpointType.meetings || type == EndpointType.graphql) {
            graphqlUri();
            if (pollInterval < 0 || pollInterval == 0 && type != EndpointType.meetings) {
                throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
            }
            meetingStates();
        } else if (backfillMode(type) != BackfillMode.NONE) {
            graphqlUri();
        }
    }

    private static void positive(String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
    }

    /** The API key, parsed; fails with a message that says where to set it (and never shows it). */
    public ApiKey apiKey(EndpointType type) {
        try {
            return ApiKey.of(apiKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fireflies:" + type + " needs an apiKey (" + e.getMessage() + "): set it on"
                                               + " the endpoint (apiKey=RAW(...)) or on the component"
                                               + " (camel.component.fireflies.api-key)");
        }
    }

    /** The selected event names; empty means every event. */
    public Set<String> eventNames() {
        if (events == null || events.isBlank()) {
            throw new IllegalArgumentException("events must name at least one event, or * for all");
        }
        Set<String> names = Arrays.stream(events.split(",")).map(String::trim).filter(e -> !e.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return names.contains("*") ? Set.of() : names;
    }

    /** The selected meeting states (lower case); never empty. */
    public List<String> meetingStates() {
        List<String> list = states == null ? List.of()
                : Arrays.stream(states.split(",")).map(String::trim).filter(e -> !e.isEmpty())
                        .map(e -> e.toLowerCase(Locale.ROOT)).distinct().toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("states must name at least one of active, paused");
        }
        for (String e : list) {
            if (!e.equals("active") && !e.equals("paused")) {
                throw new IllegalArgumentException("Unknown meeting state '" + e + "': valid states are active, paused");
            }
        }
        return list;
    }

    /** The reconnect backoff; fails on options out of range. */
    public Backoff backoff() {
        return new Backoff(reconnectDelay, reconnectDelayMax, randomizationFactor);
    }

    /** The backfill mode: the option, else {@code gaps} for {@code live} and {@code all} for {@code meetings}. */
    public BackfillMode backfillMode(EndpointType type) {
        if (backfill != null) {
            return backfill;
        }
        return type == EndpointType.meetings ? BackfillMode.ALL : BackfillMode.GAPS;
    }

    /** The GraphQL endpoint: the option, else the one on the realtime server's host; checked. */
    public URI graphqlUri() {
        URI g;
        if (graphqlUrl == null || graphqlUrl.isBlank()) {
            g = FirefliesGraphQLClient.besideRealtime(url);
        } else {
            try {
                g = URI.create(graphqlUrl.trim());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("graphqlUrl is not a valid URL: " + e.getMessage(), e);
            }
        }
        if (g.getScheme() == null || g.getHost() == null
                || !(g.getScheme().equals("https") || g.getScheme().equals("http"))) {
            throw new IllegalArgumentException("graphqlUrl must be an http(s) URL, was " + g);
        }
        PlainText.requireEncrypted(g, "http", "graphqlUrl", allowInsecure);
        return g;
    }

    /** The options of a live subscription to one meeting. */
    public FirefliesRealtimeClient.Options clientOptions(EndpointType type, String meetingId) {
        return new FirefliesRealtimeClient.Options(url, path, apiKey(type), meetingId, eventNames(), connectTimeout,
                backoff(), reconnectAttempts, reconnectOnServerDisconnect);
    }

    // ------------------------------------------------------------------------------------ options

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getEvents() {
        return events;
    }

    public void setEvents(String events) {
        this.events = events;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public long getReconnectDelay() {
        return reconnectDelay;
    }

    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public long getReconnectDelayMax() {
        return reconnectDelayMax;
    }

    public void setReconnectDelayMax(long reconnectDelayMax) {
        this.reconnectDelayMax = reconnectDelayMax;
    }

    public double getRandomizationFactor() {
        return randomizationFactor;
    }

    public void setRandomizationFactor(double randomizationFactor) {
        this.randomizationFactor = randomizationFactor;
    }

    public int getReconnectAttempts() {
        return reconnectAttempts;
    }

    public void setReconnectAttempts(int reconnectAttempts) {
        this.reconnectAttempts = reconnectAttempts;
    }

    public boolean isReconnectOnServerDisconnect() {
        return reconnectOnServerDisconnect;
    }

    public void setReconnectOnServerDisconnect(boolean reconnectOnServerDisconnect) {
        this.reconnectOnServerDisconnect = reconnectOnServerDisconnect;
    }

    public int getQueueSize() {
        return queueSize;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public boolean isRouteOnReader() {
        return routeOnReader;
    }

    public void setRouteOnReader(boolean routeOnReader) {
        this.routeOnReader = routeOnReader;
    }

    public OverflowPolicy getOverflowPolicy() {
        return overflowPolicy;
    }

    public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
        this.overflowPolicy = overflowPolicy;
    }

    public EmitMode getEmit() {
        return emit;
    }

    public void setEmit(EmitMode emit) {
        this.emit = emit;
    }

    public long getFinalizeAfter() {
        return finalizeAfter;
    }

    public void setFinalizeAfter(long finalizeAfter) {
        this.finalizeAfter = finalizeAfter;
    }

    public BackfillMode getBackfill() {
        return backfill;
    }

    public void setBackfill(BackfillMode backfill) {
        this.backfill = backfill;
    }

    public WebSocketContainer getWebSocketContainer() {
        return webSocketContainer;
    }

    public void setWebSocketContainer(WebSocketContainer webSocketContainer) {
        this.webSocketContainer = webSocketContainer;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public boolean isAllowInsecure() {
        return allowInsecure;
    }

    public void setAllowInsecure(boolean allowInsecure) {
        this.allowInsecure = allowInsecure;
    }

    public String getGraphqlUrl() {
        return graphqlUrl;
    }

    public void setGraphqlUrl(String graphqlUrl) {
        this.graphqlUrl = graphqlUrl;
    }

    public String getWebhookSecret() {
        return webhookSecret;
    }

    public void setWebhookSecret(String webhookSecret) {
        this.webhookSecret = webhookSecret;
    }

    public boolean isAllowUnsigned() {
        return allowUnsigned;
    }

    public void setAllowUnsigned(boolean allowUnsigned) {
        this.allowUnsigned = allowUnsigned;
    }

    public int getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(int maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    public long getDuplicateWindow() {
        return duplicateWindow;
    }

    public void setDuplicateWindow(long duplicateWindow) {
        this.duplicateWindow = duplicateWindow;
    }

    public boolean isFetchTranscript() {
        return fetchTranscript;
    }

    public void setFetchTranscript(boolean fetchTranscript) {
        this.fetchTranscript = fetchTranscript;
    }

    public long getFetchTimeout() {
        return fetchTimeout;
    }

    public void setFetchTimeout(long fetchTimeout) {
        this.fetchTimeout = fetchTimeout;
    }

    public FirefliesPlan getPlan() {
        return plan;
    }

    public void setPlan(FirefliesPlan plan) {
        this.plan = plan;
    }

    public int getBudgetRequests() {
        return budgetRequests;
    }

    public void setBudgetRequests(int budgetRequests) {
        this.budgetRequests = budgetRequests;
    }

    public long getBudgetWindow() {
        return budgetWindow;
    }

    public void setBudgetWindow(long budgetWindow) {
        this.budgetWindow = budgetWindow;
    }

    public long getBudgetMaxWait() {
        return budgetMaxWait;
    }

    public void setBudgetMaxWait(long budgetMaxWait) {
        this.budgetMaxWait = budgetMaxWait;
    }

    public int getBudgetRetries() {
        return budgetRetries;
    }

    public void setBudgetRetries(int budgetRetries) {
        this.budgetRetries = budgetRetries;
    }

    public IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    public void setIdempotentRepository(IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public String getEmail() {
        return email;
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public String getStates() {
        return states;
    }

    public void setStates(String states) {
        this.states = states;
    }

    /** @deprecated use the endpoint's {@code delay} */
    @Deprecated
    public long getPollInterval() {
        return pollInterval;
    }

    /** @deprecated use the endpoint's {@code delay} (and {@code startScheduler=false} for 0) */
    @Deprecated
    public void setPollInterval(long pollInterval) {
        this.pollInterval = pollInterval;
        this.pollIntervalSet = true;
    }

    /** Whether the deprecated {@code pollInterval} was set (on the endpoint or the component). */
    boolean isPollIntervalSet() {
        return pollIntervalSet;
    }

    public String getWebhookPath() {
        return webhookPath;
    }

    public void setWebhookPath(String webhookPath) {
        this.webhookPath = webhookPath;
    }

    public String getWebhookExternalUrl() {
        return webhookExternalUrl;
    }

    public void setWebhookExternalUrl(String webhookExternalUrl) {
        this.webhookExternalUrl = webhookExternalUrl;
    }

    public String getWebhookComponentName() {
        return webhookComponentName;
    }

    public void setWebhookComponentName(String webhookComponentName) {
        this.webhookComponentName = webhookComponentName;
    }


    @Override
    public String toString() {
        return "FirefliesConfiguration[url=" + url + ", path=" + path + ", events=" + events
               + ", apiKey=" + (apiKey == null ? "<none>" : "***")
               + ", webhookSecret=" + (webhookSecret == null ? "<none>" : "***") + ", connectTimeout=" + connectTimeout
               + ", maxMessageSize=" + maxMessageSize + ", reconnectDelay=" + reconnectDelay
               + ", reconnectDelayMax=" + reconnectDelayMax + ", randomizationFactor=" + randomizationFactor
               + ", reconnectAttempts=" + reconnectAttempts + ", queueSize=" + queueSize
               + ", overflowPolicy=" + overflowPolicy + ", routeOnReader=" + routeOnReader + ", backfill=" + backfill + "]";
    }
}
