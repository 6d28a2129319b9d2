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
package io.github.camelfireflies.internal.socketio;

import io.github.camelfireflies.internal.websocket.WebSocketTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Socket.IO client session: connects over a {@link WebSocketTransport}, does the Engine.IO and Socket.IO
 * handshakes, answers pings on the I/O thread, watches the heartbeat, and reconnects with backoff after transient
 * failures until stopped. It creates no threads: timers run on the given scheduler, blocking connects on the given
 * executor.
 * <p>
 * Failures are of two kinds. Transient ones (a dropped connection, a connect timeout, a silent heartbeat, an Engine.IO
 * CLOSE, a refused TCP connection) lead to a reconnect after {@link Backoff} (unless attempts run out). Final ones (a
 * CONNECT_ERROR, or {@link #fail} called by the owner, e.g. on an authentication failure) stop the session for good.
 * A server DISCONNECT is final unless {@link SessionConfig#reconnectOnServerDisconnect()}.
 * <p>
 * Long because the Engine.IO and Socket.IO state machine (handshake, heartbeat, reconnect, stop) runs under one lock;
 * its pure parts are PacketCodec and Backoff.
 */
public final class SocketIoSession implements SessionStats {

    private static final Logger LOG = LoggerFactory.getLogger(SocketIoSession.class);

    /** Where a session is. */
    public enum State {
        /** Created, not started. */
        NEW,
        /** Opening the WebSocket or doing the handshakes. */
        CONNECTING,
        /** The namespace is connected: events flow. */
        CONNECTED,
        /** Waiting before the next connect attempt. */
        RECONNECT_WAIT,
        /** Stopped by its owner. */
        STOPPED,
        /** Ended by the server (DISCONNECT) and not reconnecting. */
        ENDED,
        /** Stopped for good by a fatal error or when reconnect attempts ran out. */
        FAILED
    }

    private final SessionConfig config;
    private final WebSocketTransport transport;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final Executor blockingExecutor;
    private final SessionListener listener;
    private final EventReader<?> eventReader; // the owner's fast path, root namespace only

    private final Object lock = new Object();
    // guarded by lock
    private State state = State.NEW;
    private Attempt current;
    private int generation;
    private int failedAttempts;
    private long lostAtNanos;
    private boolean everConnected;
    private Future<?> reconnectTask;
    private String lastError;

    // statistics, read by health checks and JMX without the lock
    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong eventsReceived = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile long lastFrameMillis;
    private volatile long lastFrameNanos; // for the heartbeat watchdog: immune to wall-clock jumps
    private volatile long pingTimeoutMillis = 20_000; // the server's, from its last OPEN packet

    public SocketIoSession(SessionConfig config, WebSocketTransport transport, ScheduledExecutorService scheduler,
                           Executor blockingExecutor, SessionListener listener) {
        this(config, transport, scheduler, blockingExecutor, listener, System::nanoTime);
    }

    /**
     * @param nanoClock the monotonic clock the heartbeat and the gap are measured with ({@code System::nanoTime}; a
     *                  test passes the clock of the scheduler it drives)
     */
    public SocketIoSession(SessionConfig config, WebSocketTransport transport, ScheduledExecutorService scheduler,
                           Executor blockingExecutor, SessionListener listener, LongSupplier nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.config = Objects.requireNonNull(config, "config");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.eventReader = Packet.DEFAULT_NAMESPACE.equals(config.namespace()) ? listener.eventReader() : null;
    }

    // ------------------------------------------------------------------------------------------------ control

    /** Starts connecting in the background. A session starts once. */
    public void start() {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("Session " + config.description() + " was already started");
            }
        }
        connectNow();
    }

    /**
     * Stops the session: cancels a pending reconnect, sends a Socket.IO DISCONNECT when connected and closes the
     * WebSocket. Idempotent; no callback is made afterwards except {@link SessionListener#onStateChanged}.
     */
    public void stop() {
        Attempt attempt;
        State from;
        synchronized (lock) {
            if (state == State.STOPPED) {
                return;
            }
            from = state;
            state = State.STOPPED;
            attempt = current;
            current = null;
            cancelReconnect();
        }
        listener.onStateChanged(from, State.STOPPED);
        if (attempt != null) {
            attempt.closeGracefully(from == State.CONNECTED);
        }
    }

    /**
     * Ends the session for good because of a fatal error the owner recognised (for example an authentication failure
     * reported as an event). Closes the connection; no reconnect follows.
     */
    public void fail(String reason, Throwable cause) {
        Attempt attempt;
        State from;
        synchronized (lock) {
            if (isFinal(state)) {
                return;
            }
            from = state;
            state = State.FAILED;
            lastError = reason;
            attempt = current;
            current = null;
            cancelReconnect();
        }
        listener.onStateChanged(from, State.FAILED);
        if (attempt != null) {
            attempt.closeGracefully(from == State.CONNECTED);
        }
        listener.onFailed(reason, cause);
    }

    /**
     * Drops the current connection and reconnects after the backoff, as after a transient failure the owner recognised
     * (for example an error event after which the server will disconnect).
     */
    public void reconnect(String reason, Throwable cause) {
        Attempt attempt;
        synchronized (lock) {
            attempt = current;
        }
        if (attempt != null) {
            attempt.lost(reason, cause, true);
        }
    }

    /**
     * Confirms the current connection is good: resets the reconnect attempt count. Called by owners that set
     * {@link SessionConfig#establishedOnConnectAck()} to false once the application says so.
     */
    public void markEstablished() {
        synchronized (lock) {
            failedAttempts = 0;
        }
    }

    // ------------------------------------------------------------------------------------------------ observation

    @Override
    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /** The server's {@code pingTimeout} from its last OPEN packet, or Engine.IO's default (20 s) before one. */
    public long pingTimeoutMillis() {
        return pingTimeoutMillis;
    }

    /** The number of failed attempts in a row since the last established connection. */
    @Override
    public int failedAttempts() {
        synchronized (lock) {
            return failedAttempts;
        }
    }

    /** The last failure, as a message without secrets, or null. */
    @Override
    public String lastError() {
        synchronized (lock) {
            return lastError;
        }
    }

    @Override
    public long framesReceived() {
        return framesReceived.get();
    }

    @Override
    public long eventsReceived() {
        return eventsReceived.get();
    }

    /** Successful reconnects (connects after a lost connection). */
    @Override
    public long reconnects() {
        return reconnects.get();
    }

    /** Wall-clock time of the last frame received, or 0. */
    @Override
    public long lastFrameMillis() {
        return lastFrameMillis;
    }

    public SessionConfig config() {
        return config;
    }

    // ------------------------------------------------------------------------------------------------ internals

    private static boolean isFinal(State s) {
        return s == State.STOPPED || s == State.FAILED || s == State.ENDED;
    }

    private void cancelReconnect() {
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
            reconnectTask = null;
        }
    }

    private void connectNow() {
        Attempt attempt;
        State from;
        synchronized (lock) {
            if (isFinal(state)) {
                return;
            }
            reconnectTask = null;
            from = state;
            state = State.CONNECTING;
            attempt = new Attempt(++generation);
            current = attempt;
        }
        if (from != State.CONNECTING) {
            listener.onStateChanged(from, State.CONNECTING);
        }
        attempt.begin();
    }

    /**
     * Why the session stops when its timer refuses a task although the timer is not shut down (a timer with a bounded
     * queue, for example): without its timers a session would wait for ever, connected to nothing.
     */
    private String timerRefused(RejectedExecutionException e) {
        return "The timer of " + config.description() + " refused a task (" + e.getMessage()
               + "): the session cannot keep its timeouts and stops; give it a timer whose queue is not bounded";
    }

    /** Called with the attempt already detached from {@link #current}. */
    private void scheduleReconnect(String reason, Throwable cause, boolean wasConnected) {
        long delay;
        int attemptNo;
        State from;
        State to;
        boolean giveUp;
        RejectedExecutionException refused = null;
        synchronized (lock) {
            if (isFinal(state)) {
                return;
            }
            lastError = reason;
            if (wasConnected && lostAtNanos == 0) {
                lostAtNanos = nanoClock.getAsLong();
            }
            from = state;
            attemptNo = ++failedAttempts;
            giveUp = config.reconnectAttempts() < 0
                    || (config.reconnectAttempts() > 0 && attemptNo > config.reconnectAttempts());
            if (giveUp) {
                state = State.FAILED;
                delay = -1;
            } else {
                delay = config.backoff().delayMillis(attemptNo - 1);
                state = State.RECONNECT_WAIT;
                try {
                    reconnectTask = scheduler.schedule(this::connectNow, delay, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    if (scheduler.isShutdown()) {
                        state = State.STOPPED; // the scheduler is shutting down: so are we
                    } else {
                        refused = e;
                        state = State.FAILED;
                        lastError = timerRefused(e);
                    }
                    delay = -1;
                }
            }
            to = state;
        }
        listener.onStateChanged(from, to);
        if (refused != null) {
            listener.onFailed(timerRefused(refused) + "; last error: " + reason, refused);
        } else if (giveUp) {
            String why = config.reconnectAttempts() < 0
                    ? "Connection " + config.description() + " lost and reconnecting is disabled: " + reason
                    : "Gave up on " + config.description() + " after " + config.reconnectAttempts()
                      + " reconnect attempts; last error: " + reason;
            listener.onFailed(why, cause);
        } else if (delay >= 0) {
            LOG.debug("Session {}: {}; reconnect attempt {} in {} ms", config.description(), reason, attemptNo, delay);
            listener.onConnectionLost(reason, cause, attemptNo, delay);
        }
    }

    /**
     * One connection attempt and, if it succeeds, the connection's life. Callbacks of an attempt that is no longer
     * current are ignored.
     */
    private final class Attempt implements WebSocketTransport.Listener {

        private final int gen;
        private volatile WebSocketTransport.Connection connection;
        private volatile boolean connected;
        private volatile boolean done;
        private volatile long heartbeatTimeoutMillis;
        private volatile Future<?> connectTimer;
        private volatile Future<?> heartbeatTimer;
        private int pendingAttachments;
        /**
         * Frames to send that were produced before {@link WebSocketTransport#connect} returned the connection: a JSR 356
         * container may deliver the server's OPEN on its I/O thread before connectToServer() returns. Guarded by this.
         */
        private List<String> earlySends;

        Attempt(int gen) {
            this.gen = gen;
        }

        boolean isCurrent() {
            synchronized (lock) {
                return current == this;
            }
        }

        void begin() {
            try {
                blockingExecutor.execute(this::openTransport);
            } catch (RejectedExecutionException e) {
                // no thread to connect on: a failed attempt, not a silent stop (the scheduler decides whether we go on)
                lost("Cannot start a connect: the executor refused the task (" + e.getMessage() + ")", e, false);
            }
        }

        private void openTransport() {
            if (done || !isCurrent()) {
                return; // stopped or superseded while the task waited for a thread
            }
            // the timeout counts from here, not from when the task was queued: many sessions share the connect threads
            try {
                connectTimer = scheduler.schedule(() -> lost("Connect timed out after " + config.connectTimeoutMillis() + " ms",
                        null, false), config.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                if (!scheduler.isShutdown()) {
                    fail(timerRefused(e), e);
                }
                return; // else the scheduler is shutting down: so are we
            }
            WebSocketTransport.Connection c;
            try {
                c = transport.connect(config.uri(), config.headers(), this);
            } catch (IOException | RuntimeException e) {
                lost("Cannot connect to " + config.uri() + ": " + rootMessage(e), e, false);
                return;
            }
            Exception sendFailure = null;
            synchronized (this) {
                connection = c;
                if (earlySends != null && !done) {
                    try {
                        for (String frame : earlySends) {
                            c.sendText(frame);
                        }
                    } catch (IOException | RuntimeException e) {
                        sendFailure = e;
                    }
                }
                earlySends = null;
            }
            if (sendFailure != null) {
                lost("Cannot send to the server: " + rootMessage(sendFailure), sendFailure, false);
            }
            if (done || !isCurrent()) {
                c.close(1000, "superseded");
            }
        }

        // ------------------------------------------------------------------ frames (I/O thread)

        @Override
        public void onText(String frame) {
            if (done) {
                return;
            }
            lastFrameMillis = System.currentTimeMillis();
            lastFrameNanos = nanoClock.getAsLong();
            framesReceived.incrementAndGet();
            if (eventReader != null) {
                Object argument = eventReader.read(frame);
                if (argument != null) {
                    eventsReceived.incrementAndGet();
                    listener.onEventRead(eventReader.name(), argument);
                    return;
                }
            }
            Packet packet;
            try {
                packet = PacketCodec.decode(frame);
            } catch (SocketIoProtocolException e) {
                listener.onProtocolError(e);
                return;
            }
            if (packet instanceof Packet.Event event) {
                if (config.namespace().equals(event.namespace())) {
                    eventsReceived.incrementAndGet();
                    listener.onEvent(event);
                }
            } else if (packet instanceof Packet.Ping ping) {
                send(ping.data().isEmpty() ? PacketCodec.PONG_FRAME : PacketCodec.encode(new Packet.Pong(ping.data())));
            } else if (packet instanceof Packet.Open open) {
                onOpen(open);
            } else if (packet instanceof Packet.Connect connect) {
                if (config.namespace().equals(connect.namespace())) {
                    onConnectAck(connect);
                }
            } else if (packet instanceof Packet.ConnectError error) {
                String message = "Server refused the Socket.IO connection of " + config.description() + ": "
                                 + (error.message().isEmpty() ? "(no message)" : error.message())
                                 + (error.data() != null ? " " + error.data() : "");
                fail(message, new ConnectRefusedException(message, error.data()));
            } else if (packet instanceof Packet.Disconnect) {
                serverDisconnect();
            } else if (packet instanceof Packet.Close) {
                lost("Server closed the Engine.IO session", null, true);
            } else if (packet instanceof Packet.BinaryEvent binary) {
                pendingAttachments = binary.attachments();
                listener.onProtocolError(new SocketIoProtocolException("Binary " + (binary.ack() ? "ack" : "event '"
                        + binary.name() + "'") + " with " + binary.attachments()
                                                                      + " attachment(s) is not supported; skipped"));
            }
            // Pong, Noop, Upgrade, Ack: nothing to do
        }

        @Override
        public void onBinary(ByteBuffer frame) {
            if (done) {
                return;
            }
            lastFrameMillis = System.currentTimeMillis();
            lastFrameNanos = nanoClock.getAsLong();
            framesReceived.incrementAndGet();
            boolean attachment = pendingAttachments > 0;
            if (attachment) {
                pendingAttachments--;
            } else {
                listener.onProtocolError(new SocketIoProtocolException(
                        "Unexpected binary frame of " + frame.remaining() + " bytes; skipped"));
            }
            listener.onBinaryFrame(frame, attachment);
        }

        @Override
        public void onClose(int code, String reason) {
            lost("WebSocket closed (code " + code + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ")", null,
                    false);
        }

        @Override
        public void onError(Throwable cause) {
            lost("WebSocket error: " + rootMessage(cause), cause, false);
        }

        private void onOpen(Packet.Open open) {
            heartbeatTimeoutMillis = open.pingInterval() + open.pingTimeout();
            pingTimeoutMillis = open.pingTimeout();
            armHeartbeat(heartbeatTimeoutMillis);
            JsonNode auth = config.auth().get();
            send(PacketCodec.encode(new Packet.Connect(config.namespace(), auth)));
        }

        private void onConnectAck(Packet.Connect ack) {
            boolean reconnected;
            long gapMillis;
            State from;
            synchronized (lock) {
                if (current != this || isFinal(state)) {
                    return;
                }
                connected = true;
                from = state;
                state = State.CONNECTED;
                reconnected = everConnected && lostAtNanos != 0;
                gapMillis = reconnected ? TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - lostAtNanos) : 0;
                everConnected = true;
                lostAtNanos = 0;
                if (config.establishedOnConnectAck()) {
                    failedAttempts = 0;
                }
            }
            cancel(connectTimer);
            if (reconnected) {
                reconnects.incrementAndGet();
            }
            listener.onStateChanged(from, State.CONNECTED);
            JsonNode sid = ack.data() == null ? null : ack.data().get("sid");
            listener.onConnected(sid == null ? null : sid.asText(), reconnected, gapMillis);
        }

        private void serverDisconnect() {
            if (config.reconnectOnServerDisconnect()) {
                listener.onServerDisconnect();
                lost("Server disconnected the session", null, true);
                return;
            }
            State from;
            synchronized (lock) {
                if (current != this || isFinal(state)) {
                    return;
                }
                from = state;
                state = State.ENDED;
                lastError = "Server ended the session";
                current = null;
            }
            finish();
            closeQuietly(1000, "server disconnect");
            listener.onStateChanged(from, State.ENDED);
            listener.onServerDisconnect();
        }

        private void armHeartbeat(long delayMillis) {
            try {
                heartbeatTimer = scheduler.schedule(this::checkHeartbeat, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                if (!scheduler.isShutdown()) {
                    fail(timerRefused(e), e);
                } // else shutting down
            }
        }

        private void checkHeartbeat() {
            if (done) {
                return;
            }
            long idle = TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - lastFrameNanos);
            long timeout = heartbeatTimeoutMillis;
            if (idle >= timeout) {
                lost("No data for " + idle + " ms (pingInterval + pingTimeout = " + timeout + " ms): connection is dead", null,
                        false);
            } else {
                armHeartbeat(timeout - idle);
            }
        }

        private void send(String frame) {
            Exception sendFailure;
            synchronized (this) { // keeps the order with frames queued before the connection was known
                if (done) {
                    return;
                }
                WebSocketTransport.Connection c = connection;
                if (c == null) {
                    if (earlySends == null) {
                        earlySends = new ArrayList<>(2);
                    }
                    earlySends.add(frame);
                    return;
                }
                try {
                    c.sendText(frame);
                    return;
                } catch (IOException | RuntimeException e) {
                    sendFailure = e;
                }
            }
            lost("Cannot send to the server: " + rootMessage(sendFailure), sendFailure, false);
        }

        /**
         * This attempt's connection is gone (or must go): detach it and schedule a reconnect. Only the first call of
         * the current attempt counts.
         */
        void lost(String reason, Throwable cause, boolean sendDisconnect) {
            boolean wasConnected;
            synchronized (lock) {
                if (current != this || isFinal(state)) {
                    done = true;
                    return;
                }
                current = null;
                wasConnected = connected;
            }
            finish();
            if (sendDisconnect && wasConnected) {
                send0(PacketCodec.encode(new Packet.Disconnect(config.namespace())));
            }
            closeLater(wasConnected ? 1000 : 1001, "reconnecting");
            scheduleReconnect(reason, cause, wasConnected);
        }

        private void finish() {
            done = true;
            cancel(connectTimer);
            cancel(heartbeatTimer);
        }

        void closeGracefully(boolean sendDisconnect) {
            finish();
            if (sendDisconnect) {
                send0(PacketCodec.encode(new Packet.Disconnect(config.namespace())));
            }
            closeQuietly(1000, "client stopped");
        }

        private void send0(String frame) {
            WebSocketTransport.Connection c = connection;
            if (c != null) {
                try {
                    c.sendText(frame);
                } catch (IOException | RuntimeException e) {
                    LOG.trace("Session {}: could not send {}: {}", config.description(), frame, e.toString());
                }
            }
        }

        /** Closing may block on some containers: never on the I/O thread or a timer. */
        private void closeLater(int code, String reason) {
            try {
                blockingExecutor.execute(() -> closeQuietly(code, reason));
            } catch (RejectedExecutionException e) {
                closeQuietly(code, reason);
            }
        }

        private void closeQuietly(int code, String reason) {
            WebSocketTransport.Connection c = connection;
            if (c != null) {
                c.close(code, reason);
            }
        }

        private void cancel(Future<?> f) {
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root == t
                ? String.valueOf(msg == null ? t.getClass().getSimpleName() : msg)
                : (t.getMessage() == null ? "" : t.getMessage() + " <- ") + root.getClass().getSimpleName()
                  + (msg == null ? "" : ": " + msg);
    }
}
