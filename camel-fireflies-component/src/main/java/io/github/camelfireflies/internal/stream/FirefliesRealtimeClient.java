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
package io.github.camelfireflies.internal.stream;

import io.github.camelfireflies.api.FirefliesEvents;
import io.github.camelfireflies.api.FirefliesException;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.internal.socketio.Backoff;
import io.github.camelfireflies.internal.socketio.ConnectRefusedException;
import io.github.camelfireflies.internal.socketio.Packet;
import io.github.camelfireflies.internal.socketio.EventReader;
import io.github.camelfireflies.internal.socketio.PacketCodec;
import io.github.camelfireflies.internal.socketio.SessionConfig;
import io.github.camelfireflies.internal.socketio.SessionListener;
import io.github.camelfireflies.internal.socketio.SessionStats;
import io.github.camelfireflies.internal.socketio.SocketIoProtocolException;
import io.github.camelfireflies.internal.socketio.SocketIoSession;
import io.github.camelfireflies.internal.socketio.SocketIoUris;
import io.github.camelfireflies.internal.websocket.WebSocketTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live subscription to one Fireflies transcript: a {@link SocketIoSession} plus what the Fireflies Realtime API means
 * by its events. Knows nothing of Camel. Authentication failures are final; {@code connection.error} is transient;
 * {@code transcription.broadcast} payloads are mapped to {@link TranscriptionEvent}s (a bad one is reported and
 * skipped). Events are delivered on the I/O thread to a {@link Listener} that must hand them off without blocking.
 */
public final class FirefliesRealtimeClient {

    private static final Logger LOG = LoggerFactory.getLogger(FirefliesRealtimeClient.class);

    /** What the owner is told. All callbacks must return quickly. */
    public interface Listener {

        /** An event selected by the options (on the I/O thread). */
        void onEvent(RealtimeEvent event);

        /** Something was lost or refused but the subscription goes on (a bad event, a protocol error). */
        void onError(FirefliesException error);

        /**
         * The subscription stopped for good because of a failure (authentication refused, reconnect attempts
         * exhausted). The server ending the session is no failure: see {@link #onSessionEnded()}.
         */
        void onFatal(FirefliesException error);

        /** The connection was lost; a reconnect follows in {@code delayMillis}. */
        default void onConnectionLost(String reason, int attempt, long delayMillis) {
        }

        /**
         * The server ended the session on purpose (a Socket.IO DISCONNECT): the meeting is probably over. Called
         * whether or not a reconnect follows ({@code reconnectOnServerDisconnect}); when none follows, the session's
         * state is {@code ENDED}.
         */
        default void onSessionEnded() {
        }

        /** Connected (again). */
        default void onConnected(boolean reconnected, long gapMillis) {
        }
    }

    /**
     * @param url                         base URL such as {@code wss://api.fireflies.ai}
     * @param path                        Socket.IO path such as {@code /ws/realtime}
     * @param apiKey                      the API key
     * @param transcriptId                the meeting
     * @param events                      event names to deliver; empty = every event
     * @param connectTimeoutMillis        connect timeout
     * @param backoff                     reconnect waits
     * @param reconnectAttempts           0 unlimited, -1 never
     * @param reconnectOnServerDisconnect whether a server DISCONNECT is followed by a reconnect
     */
    public record Options(
            String url,
            String path,
            ApiKey apiKey,
            String transcriptId,
            Set<String> events,
            long connectTimeoutMillis,
            Backoff backoff,
            int reconnectAttempts,
            boolean reconnectOnServerDisconnect) {

        public Options {
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(transcriptId, "transcriptId");
            events = Set.copyOf(events);
        }

        /** The WebSocket URI; built here and nowhere else. */
        public URI uri() {
            return SocketIoUris.engineIoUri(url, path);
        }

        @Override
        public String toString() {
            return "Options[url=" + url + ", path=" + path + ", transcriptId=" + transcriptId + ", events=" + events
                   + ", apiKey=" + apiKey + "]";
        }
    }

    private final Options options;
    private final Listener listener;
    private final ApiKey apiKey;
    private final SocketIoSession session;
    private final String description;
    // the gap to report with the next delivered event; written and read on the I/O thread
    private volatile long pendingGapMillis = -1;
    private volatile boolean established;

    public FirefliesRealtimeClient(Options options, WebSocketTransport transport, ScheduledExecutorService scheduler,
                                   Executor blockingExecutor, Listener listener) {
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.apiKey = options.apiKey();
        URI uri = options.uri();
        this.description = "transcript " + options.transcriptId() + " at " + uri.getScheme() + "://" + uri.getAuthority()
                           + uri.getPath();
        SessionConfig config = new SessionConfig(
                uri, Map.of(), this::authPayload, Packet.DEFAULT_NAMESPACE, options.connectTimeoutMillis(),
                options.backoff(), options.reconnectAttempts(), options.reconnectOnServerDisconnect(), false, description);
        this.session = new SocketIoSession(config, transport, scheduler, blockingExecutor, new Handler());
    }

    private JsonNode authPayload() {
        ObjectNode auth = JsonNodeFactory.instance.objectNode();
        auth.put("token", apiKey.authorization());
        auth.put("transcriptId", options.transcriptId());
        return auth;
    }

    public void start() {
        LOG.debug("Connecting to {}", description);
        session.start();
    }

    public void stop() {
        session.stop();
    }

    /**
     * Lets the current connection go and reconnects after the backoff, as after a transient failure: for an owner that
     * cannot take more events now and must not keep the server waiting for a heartbeat answer.
     */
    public void abandonConnection(String reason) {
        session.reconnect(scrub(reason), null);
    }

    /** The server's {@code pingTimeout} (from its last OPEN packet; 20 s until one arrived), in milliseconds. */
    public long pingTimeoutMillis() {
        return session.pingTimeoutMillis();
    }

    /** The session's statistics, read-only. */
    public SessionStats stats() {
        return session;
    }

    /** Where the session is now. */
    public SocketIoSession.State state() {
        return session.state();
    }

    public Options options() {
        return options;
    }

    /** How logs name this subscription (no secret in it). */
    public String description() {
        return description;
    }

    /** Removes the API key from a text that came from elsewhere (a server message, an exception). */
    String scrub(String text) {
        return apiKey.scrub(text);
    }

    private boolean selected(String name) {
        return options.events().isEmpty() || options.events().contains(name);
    }

    private void deliver(String name, TranscriptionEvent transcription, JsonNode argument) {
        long gap = pendingGapMillis;
        boolean reconnected = gap >= 0;
        if (reconnected) {
            pendingGapMillis = -1;
        }
        listener.onEvent(new RealtimeEvent(name, options.transcriptId(), transcription, argument, reconnected,
                reconnected ? gap : 0));
    }

    private static String serverMessage(JsonNode arg) {
        if (arg == null || arg.isNull()) {
            return "(no message)";
        }
        if (arg.isTextual()) {
            return arg.asText();
        }
        JsonNode m = arg.get("message");
        if (m != null && m.isTextual()) {
            return m.asText();
        }
        String s = arg.toString();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private final class Handler implements SessionListener {

        // transcription.broadcast frames read straight into the event: scanned from the text, else with a streaming
        // parser, with no tree (frames both decline take onEvent)
        private final EventReader<TranscriptionEvent> broadcasts = EventReader.of(
                FirefliesEvents.TRANSCRIPTION,
                (frame, from) -> TranscriptionEventScanner.scan(frame, from, options.transcriptId()),
                p -> TranscriptionEventReader.read(p, options.transcriptId()));

        @Override
        public EventReader<?> eventReader() {
            return broadcasts;
        }

        @Override
        public void onEventRead(String name, Object argument) {
            confirm();
            if (selected(FirefliesEvents.TRANSCRIPTION)) {
                deliver(FirefliesEvents.TRANSCRIPTION, (TranscriptionEvent) argument, null);
            }
        }

        @Override
        public void onConnected(String sid, boolean reconnected, long gapMillis) {
            established = false;
            if (reconnected) {
                pendingGapMillis = gapMillis;
                LOG.info("Reconnected to {} after {} ms: events sent meanwhile are not replayed", description, gapMillis);
            } else {
                LOG.debug("Connected to {}", description);
            }
            listener.onConnected(reconnected, gapMillis);
        }

        @Override
        public void onEvent(Packet.Event event) {
            String name = event.name();
            JsonNode arg = event.firstArg();
            switch (name) {
                case FirefliesEvents.TRANSCRIPTION:
                    onTranscription(arg);
                    return;
                case FirefliesEvents.CONNECTION_ESTABLISHED:
                    confirm();
                    break;
                case FirefliesEvents.AUTH_FAILED:
                    if (selected(name)) {
                        deliver(name, null, arg);
                    }
                    String msg = "Authentication failed for transcript " + options.transcriptId() + ": "
                                 + scrub(serverMessage(arg)) + " (not retrying; check the apiKey)";
                    session.fail(msg, new FirefliesException.AuthenticationException(options.transcriptId(), msg));
                    return;
                case FirefliesEvents.CONNECTION_ERROR:
                    if (selected(name)) {
                        deliver(name, null, arg);
                    }
                    String err = "Server reported connection.error for transcript " + options.transcriptId() + ": "
                                 + scrub(serverMessage(arg));
                    listener.onError(new FirefliesException(options.transcriptId(), err, null));
                    session.reconnect(err, null);
                    return;
                default:
                    break;
            }
            if (selected(name)) {
                deliver(name, null, arg);
            }
        }

        private void onTranscription(JsonNode arg) {
            if (!selected(FirefliesEvents.TRANSCRIPTION)) {
                confirm();
                return;
            }
            TranscriptionEvent te;
            try {
                te = TranscriptionEventMapper.map(arg, options.transcriptId());
            } catch (InvalidEventException e) {
                listener.onError(new FirefliesException.MalformedEventException(options.transcriptId(),
                        "Skipped an invalid transcription event for transcript " + options.transcriptId() + ": "
                                                                              + scrub(e.getMessage()),
                        e));
                return;
            }
            confirm();
            deliver(FirefliesEvents.TRANSCRIPTION, te, null);
        }

        private void confirm() {
            if (!established) {
                established = true;
                session.markEstablished();
            }
        }

        @Override
        public void onProtocolError(SocketIoProtocolException error) {
            listener.onError(new FirefliesException.MalformedEventException(options.transcriptId(),
                    "Skipped a frame from " + description + ": " + scrub(error.getMessage()), error));
        }

        @Override
        public void onConnectionLost(String reason, Throwable cause, int attempt, long delayMillis) {
            LOG.warn("{}: {}; reconnect attempt {} in {} ms", description, scrub(reason), attempt, delayMillis);
            listener.onConnectionLost(scrub(reason), attempt, delayMillis);
        }

        @Override
        public void onServerDisconnect() {
            // not an error: the server ends the session when the meeting is over
            LOG.info("Server ended the session of {}{}", description, options.reconnectOnServerDisconnect()
                    ? "; reconnecting (reconnectOnServerDisconnect=true)"
                    : " (the meeting is probably over); not reconnecting");
            listener.onSessionEnded();
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
            FirefliesException e;
            if (cause instanceof FirefliesException fe) {
                e = fe;
            } else if (cause instanceof ConnectRefusedException) {
                e = new FirefliesException.AuthenticationException(options.transcriptId(), scrub(reason));
            } else {
                e = new FirefliesException.ConnectionException(options.transcriptId(), scrub(reason), cause);
            }
            listener.onFatal(e);
        }

        @Override
        public void onStateChanged(SocketIoSession.State from, SocketIoSession.State to) {
            LOG.trace("{}: {} -> {}", description, from, to);
        }
    }

    @Override
    public String toString() {
        return "FirefliesRealtimeClient[" + description + "]";
    }
}
