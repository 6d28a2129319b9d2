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
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ScheduledFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO connection on the server side (one WebSocket): handshake, heartbeat, Socket.IO CONNECT with auth.
 * Sends are serialized on {@link #sendLock}; no lock of a meeting is ever taken while holding it.
 */
final class SimConnection extends Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(SimConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String DISCONNECT_FRAME = SioFrames.DISCONNECT;

    private final MeetingRegistry registry;
    private final SimulatorConfig config;
    private final Object sendLock = new Object();
    private final Object timerLock = new Object();
    private final String sid = newId();

    private volatile Session session;
    private volatile boolean open;
    private volatile Meeting meeting;

    // guarded by timerLock
    private ScheduledFuture<?> pingTask;
    private ScheduledFuture<?> pongTimeout;
    private ScheduledFuture<?> connectTimeout;

    SimConnection(MeetingRegistry registry) {
        this.registry = registry;
        this.config = registry.config();
    }

    static String newId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String sid() {
        return sid;
    }

    boolean isOpen() {
        return open;
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Override
    public void onOpen(Session session, EndpointConfig endpointConfig) {
        this.session = session;
        this.open = true;
        session.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", 10_000L);
        session.setMaxIdleTimeout(0);
        session.addMessageHandler(String.class, this::onText);
        session.addMessageHandler(ByteBuffer.class, this::onBinary);
        if (!registry.register(this)) {
            close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "simulator closed"));
            return;
        }
        send(SioFrames.open(sid, config.pingIntervalMs(), config.pingTimeoutMs(), config.maxPayload()));
        synchronized (timerLock) {
            pingTask = registry.timer().schedule(this::ping, config.pingIntervalMs());
            connectTimeout = registry.timer().schedule(() -> {
                LOG.debug("Connection {}: no Socket.IO CONNECT within the connect timeout, closing", sid);
                close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
            }, config.connectTimeoutMs());
        }
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        LOG.debug("Connection {} closed: {}", sid, closeReason);
        cleanup();
    }

    @Override
    public void onError(Session session, Throwable thr) {
        LOG.debug("Connection {} error: {}", sid, thr.toString());
    }

    private void cleanup() {
        open = false;
        synchronized (timerLock) {
            cancel(pingTask);
            cancel(pongTimeout);
            cancel(connectTimeout);
            pingTask = null;
            pongTimeout = null;
            connectTimeout = null;
        }
        leaveMeeting();
        registry.unregister(this);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private void leaveMeeting() {
        Meeting m = meeting;
        meeting = null;
        if (m != null) {
            m.unsubscribe(this);
        }
    }

    // ------------------------------------------------------------------------------------------------ heartbeat

    private void ping() {
        // the PONG timeout is armed before the PING goes out: a client on loopback may answer before send() returns,
        // and a PONG that found no timeout armed would be taken as unsolicited (no next PING, then a close)
        synchronized (timerLock) {
            if (!open) {
                return;
            }
            cancel(pongTimeout);
            pongTimeout = registry.timer().schedule(() -> {
                LOG.debug("Connection {}: no PONG within pingTimeout, closing", sid);
                close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
            }, config.pingTimeoutMs());
        }
        send(SioFrames.PING);
    }

    private void onPong() {
        synchronized (timerLock) {
            if (pongTimeout == null || !open) {
                return; // unsolicited pong: ignore, the ping schedule stays as it is
            }
            cancel(pongTimeout);
            pongTimeout = null;
            cancel(pingTask);
            pingTask = registry.timer().schedule(this::ping, config.pingIntervalMs());
        }
    }

    // ------------------------------------------------------------------------------------------------ incoming

    private void onBinary(ByteBuffer data) {
        LOG.debug("Connection {}: ignoring a binary frame of {} bytes", sid, data.remaining());
    }

    private void onText(String frame) {
        SioFrames.Decoded packet;
        try {
            packet = SioFrames.decode(frame);
        } catch (SioFrames.ProtocolException e) {
            LOG.debug("Connection {}: invalid frame, closing: {}", sid, e.getMessage());
            close(new CloseReason(CloseReason.CloseCodes.PROTOCOL_ERROR, "parse error"));
            return;
        }
        switch (packet.kind()) {
            case PONG -> onPong();
            case PING -> {
                // Engine.IO v4: the server pings, a ping from the client is a protocol error
                LOG.debug("Connection {}: PING from the client (invalid heartbeat direction), closing", sid);
                close(new CloseReason(CloseReason.CloseCodes.PROTOCOL_ERROR, "invalid heartbeat direction"));
            }
            case CLOSE -> close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
            case CONNECT -> onConnect(packet);
            case DISCONNECT -> leaveMeeting();
            case NOOP -> {
                // nothing
            }
            case OPEN, UPGRADE -> close(new CloseReason(CloseReason.CloseCodes.PROTOCOL_ERROR, "unexpected packet"));
            default -> LOG.debug("Connection {}: ignoring client packet {}", sid, packet.kind());
        }
    }

    private void onConnect(SioFrames.Decoded connect) {
        JsonNode auth = connect.payload();
        String token = text(auth, "token");
        String transcriptId = text(auth, "transcriptId");
        registry.countAttempt(transcriptId);
        if (!SioFrames.ROOT.equals(connect.namespace())) {
            send(SioFrames.connectError(connect.namespace(), "Invalid namespace", null));
            return;
        }
        if (("Bearer " + FirefliesSimulator.REJECT_KEY).equals(token)) {
            // refused by a middleware: CONNECT_ERROR, and the connection stays until the connect timeout
            ObjectNode data = NODES.objectNode().put("reason", "rejected by middleware");
            send(SioFrames.connectError(SioFrames.ROOT, "Authentication rejected", data));
            LOG.debug("Connection {}: CONNECT rejected by the middleware", sid);
            return;
        }
        synchronized (timerLock) {
            cancel(connectTimeout);
            connectTimeout = null;
        }
        leaveMeeting(); // a second CONNECT replaces the first
        ObjectNode ack = NODES.objectNode().put("sid", newId());
        send(SioFrames.connect(ack));
        if (!config.isValidToken(token)) {
            LOG.debug("Connection {}: invalid API key for transcript {}", sid, transcriptId);
            send(SioFrames.event("auth.failed", NODES.objectNode().put("message", "Invalid API key")));
            send(DISCONNECT_FRAME);
            close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
            return;
        }
        send(SioFrames.event("auth.success", NODES.objectNode().put("message", "Authenticated")));
        Meeting m = transcriptId == null ? null : registry.meetingFor(transcriptId);
        if (m == null) {
            LOG.debug("Connection {}: transcript {} not found", sid, transcriptId);
            send(SioFrames.event("connection.error", NODES.objectNode().put("message", "Transcript not found")));
            send(DISCONNECT_FRAME);
            close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
            return;
        }
        // subscribed before connection.established goes out, so that a client that has seen it gets every later
        // event; holding the send lock meanwhile keeps meeting events from overtaking connection.established
        synchronized (sendLock) {
            if (!open) {
                return;
            }
            meeting = m;
            m.add(this);
            if (!send(SioFrames.event("connection.established"))) {
                return;
            }
        }
        m.subscribed();
        LOG.debug("Connection {} subscribed to transcript {}", sid, transcriptId);
    }

    private static String text(JsonNode obj, String field) {
        if (obj == null) {
            return null;
        }
        JsonNode n = obj.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    // ------------------------------------------------------------------------------------------------ outgoing

    /** Sends one text frame; {@code false} when the connection is closed or the send failed (then it is closed). */
    boolean send(String frame) {
        return sendWithAttachment(frame, null);
    }

    /**
     * Sends a text frame directly followed by one binary frame (a BINARY_EVENT with one attachment), or by nothing when
     * {@code attachment} is null; {@code false} when the connection is closed or the send failed (then it is closed).
     */
    boolean sendWithAttachment(String frame, byte[] attachment) {
        boolean failed = false;
        synchronized (sendLock) {
            Session s = session;
            if (!open || s == null) {
                return false;
            }
            try {
                s.getBasicRemote().sendText(frame);
                if (attachment != null) {
                    s.getBasicRemote().sendBinary(ByteBuffer.wrap(attachment));
                }
                return true;
            } catch (IOException | RuntimeException e) {
                LOG.debug("Connection {}: send failed: {}", sid, e.toString());
                failed = true;
            }
        }
        if (failed) {
            close(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "send failed"));
        }
        return false;
    }

    /** Server-side Socket.IO DISCONNECT: {@code 41}, and the socket leaves its meeting (the WebSocket stays open). */
    boolean disconnect() {
        leaveMeeting();
        return send(DISCONNECT_FRAME);
    }

    /** Closes the WebSocket with a close frame. Idempotent. */
    void close(CloseReason reason) {
        Session s = session;
        synchronized (sendLock) {
            if (s != null && s.isOpen()) {
                try {
                    s.close(reason);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Connection {}: close failed: {}", sid, e.toString());
                }
            }
        }
        cleanup();
    }
}
