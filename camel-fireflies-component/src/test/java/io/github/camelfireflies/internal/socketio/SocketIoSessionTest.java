package io.github.camelfireflies.internal.socketio;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import io.github.camelfireflies.testsupport.ManualScheduler;
import org.junit.jupiter.api.Test;

import io.github.camelfireflies.internal.socketio.FakeTransport.FakeConnection;
import io.github.camelfireflies.internal.socketio.SocketIoSession.State;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SocketIoSessionTest {

    private static final URI URI_ = SocketIoUris.engineIoUri("wss://api.fireflies.ai", "/ws/realtime");
    private static final String AUTH_FRAME = "40{\"token\":\"Bearer k\",\"transcriptId\":\"t1\"}";
    private static final Duration MAX = Duration.ofSeconds(5);

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final ManualScheduler manual = new ManualScheduler();
    private final ExecutorService blocking = Executors.newCachedThreadPool();
    private final FakeTransport transport = new FakeTransport();
    private final RecordingListener listener = new RecordingListener();
    private ScheduledThreadPoolExecutor refusingTimer;
    private final AtomicInteger authCalls = new AtomicInteger();
    private SocketIoSession session;

    @BeforeAll
    static void fastPolling() {
        Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
    }

    @AfterAll
    static void resetAwaitility() {
        Awaitility.reset();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (session != null) {
            session.stop();
        }
        if (refusingTimer != null) {
            refusingTimer.shutdownNow();
        }
        scheduler.shutdownNow();
        blocking.shutdownNow();
        assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(blocking.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private JsonNode auth() {
        authCalls.incrementAndGet();
        return JsonNodeFactory.instance.objectNode().put("token", "Bearer k").put("transcriptId", "t1");
    }

    private SocketIoSession session(long connectTimeout, Backoff backoff, int attempts, boolean reconnectOnServerDisconnect,
                                    boolean establishedOnAck) {
        return session(connectTimeout, backoff, attempts, reconnectOnServerDisconnect, establishedOnAck, scheduler);
    }

    private SocketIoSession session(long connectTimeout, Backoff backoff, int attempts, boolean reconnectOnServerDisconnect,
                                    boolean establishedOnAck, ScheduledExecutorService scheduler) {
        SessionConfig config = new SessionConfig(URI_, Map.of("User-Agent", "test"), this::auth, "/", connectTimeout, backoff,
                attempts, reconnectOnServerDisconnect, establishedOnAck, "test session");
        session = new SocketIoSession(config, transport, scheduler, blocking, listener);
        return session;
    }

    /**
     * A session whose timers run on a manual clock and whose connects run on the caller's thread: the test moves the
     * clock, and whatever that makes happen has happened when {@code advance} returns.
     */
    private SocketIoSession manualSession(Backoff backoff, int attempts) {
        SessionConfig config = new SessionConfig(URI_, Map.of("User-Agent", "test"), this::auth, "/", 5000, backoff,
                attempts, false, true, "test session");
        session = new SocketIoSession(config, transport, manual, Runnable::run, listener, manual::nanoTime);
        return session;
    }

    /** Far past every timer these tests set (backoffs, connect timeout), well short of the 45 s heartbeat. */
    private void advancePastEveryTimer() {
        manual.advance(30, TimeUnit.SECONDS);
    }

    private SocketIoSession defaultSession() {
        return session(5000, new Backoff(20, 100, 0), 0, false, true);
    }

    /** Starts (if new) and completes the handshake on connection {@code index}. */
    private FakeConnection handshake(int index, long pingInterval, long pingTimeout) {
        if (session.state() == State.NEW) {
            session.start();
        }
        FakeConnection c = transport.awaitConnection(index);
        c.open(pingInterval, pingTimeout);
        c.awaitSent(AUTH_FRAME);
        c.server("40{\"sid\":\"sio" + index + "\"}");
        await().atMost(MAX).until(() -> listener.connected.size() > index);
        return c;
    }

    // ------------------------------------------------------------------ handshake and frames

    @Test
    void openIsAnsweredWithConnectCarryingTheAuth() {
        defaultSession().start();
        FakeConnection c = transport.awaitConnection(0);
        assertThat(transport.lastUri).isEqualTo(URI_);
        assertThat(transport.lastHeaders).containsEntry("User-Agent", "test");
        assertThat(session.state()).isEqualTo(State.CONNECTING);
        c.open(25000, 20000);
        assertThat(c.sent).containsExactly(AUTH_FRAME);
        c.server("40{\"sid\":\"i89NCdi2SU0ZrGFqAAAA\"}");
        assertThat(listener.connected).containsExactly(new RecordingListener.Connected("i89NCdi2SU0ZrGFqAAAA", false, 0));
        assertThat(session.state()).isEqualTo(State.CONNECTED);
        assertThat(listener.transitions).containsExactly("NEW->CONNECTING", "CONNECTING->CONNECTED");
        assertThatThrownBy(session::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void openDeliveredBeforeConnectReturnsStillGetsItsConnect() {
        // JSR 356 containers may deliver the server's first frame on their I/O thread before connectToServer() returns
        transport.duringConnect = c -> c.open(25000, 20000);
        defaultSession().start();
        FakeConnection c = transport.awaitConnection(0);
        c.awaitSent(AUTH_FRAME);
        c.server("40{\"sid\":\"s\"}");
        assertThat(session.state()).isEqualTo(State.CONNECTED);
    }

    @Test
    void pingIsAnsweredSynchronouslyOnTheCallingThread() {
        defaultSession();
        FakeConnection c = handshake(0, 25000, 20000);
        c.server("2");
        assertThat(c.sent).last().isEqualTo("3");
        assertThat(c.sendThreads).last().isSameAs(Thread.currentThread());
        c.server("2probe");
        assertThat(c.sent).last().isEqualTo("3probe");
    }

    @Test
    void eventsAreDeliveredAndBadFramesSkipped() {
        defaultSession();
        FakeConnection c = handshake(0, 25000, 20000);
        c.server("42[\"auth.success\",{}]");
        c.server("42[\"x\"");
        c.server("42[\"transcription.broadcast\",{\"chunk_id\":\"1\",\"text\":\"hi\"}]");
        c.server("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
        c.serverBinary(new byte[] { 1, 2, 3 });
        c.server("42[\"after.binary\"]");
        c.serverBinary(new byte[] { 4 });
        c.server("42/other,[\"other.namespace\"]");
        c.server("6");
        c.server("42[\"last\"]");

        assertThat(listener.events).extracting(Packet.Event::name)
                .containsExactly("auth.success", "transcription.broadcast", "after.binary", "last");
        assertThat(listener.protocolErrors).hasSize(3);
        assertThat(listener.protocolErrors.get(0)).hasMessageContaining("42[\"x\"");
        assertThat(listener.protocolErrors.get(1)).hasMessageContaining("bin").hasMessageContaining("not supported");
        assertThat(listener.protocolErrors.get(2)).hasMessageContaining("Unexpected binary");
        assertThat(listener.binaryFrames).containsExactly(true, false);
        assertThat(session.state()).isEqualTo(State.CONNECTED);
        assertThat(session.eventsReceived()).isEqualTo(4);
        assertThat(session.framesReceived()).isEqualTo(12); // OPEN, CONNECT ack and the ten above
        assertThat(session.lastFrameMillis()).isPositive();
    }

    // ------------------------------------------------------------------ losing and regaining the connection

    @Test
    void abruptDropReconnectsAndReportsTheGap() {
        defaultSession();
        FakeConnection c0 = handshake(0, 25000, 20000);
        c0.drop(1006);
        assertThat(listener.lost).hasSize(1);
        assertThat(listener.lost.get(0).reason()).contains("1006");
        assertThat(listener.lost.get(0).attempt()).isEqualTo(1);
        assertThat(listener.lost.get(0).delayMillis()).isEqualTo(20);
        assertThat(listener.transitions).contains("CONNECTED->RECONNECT_WAIT");

        FakeConnection c1 = transport.awaitConnection(1);
        c1.open(25000, 20000);
        assertThat(c1.sent).containsExactly(AUTH_FRAME);
        assertThat(authCalls).hasValue(2);
        c1.server("40{\"sid\":\"second\"}");
        assertThat(listener.connected).hasSize(2);
        RecordingListener.Connected again = listener.connected.get(1);
        assertThat(again.sid()).isEqualTo("second");
        assertThat(again.reconnected()).isTrue();
        assertThat(again.gapMillis()).isPositive();
        assertThat(session.reconnects()).isEqualTo(1);
        assertThat(session.failedAttempts()).isZero();
        assertThat(session.state()).isEqualTo(State.CONNECTED);
    }

    @Test
    void silentConnectionIsDeclaredDeadAfterPingIntervalPlusTimeout() {
        manualSession(new Backoff(20, 100, 0), 0);
        FakeConnection c0 = handshake(0, 100, 100);
        manual.advance(199, TimeUnit.MILLISECONDS);
        assertThat(listener.lost).as("alive until pingInterval + pingTimeout").isEmpty();
        manual.advance(1, TimeUnit.MILLISECONDS);
        assertThat(listener.lost).singleElement().extracting(RecordingListener.Lost::reason).asString()
                .contains("No data for 200 ms");
        // the owner is told first, then the dead connection is closed
        assertThat(c0.open).as("dead connection closed").isFalse();
        manual.advance(20, TimeUnit.MILLISECONDS); // the backoff
        FakeConnection c1 = transport.awaitConnection(1);
        c1.open(25000, 20000);
        c1.awaitSent(AUTH_FRAME);
    }

    @Test
    void pingsKeepTheConnectionAlive() {
        manualSession(new Backoff(20, 100, 0), 0);
        FakeConnection c0 = handshake(0, 100, 100);
        for (int i = 0; i < 14; i++) { // 700 ms, a ping every 50 ms: far past pingInterval + pingTimeout (200 ms)
            manual.advance(50, TimeUnit.MILLISECONDS);
            c0.server("2");
        }
        assertThat(listener.lost).isEmpty();
        assertThat(session.state()).isEqualTo(State.CONNECTED);
        assertThat(c0.sent.stream().filter("3"::equals).count()).as("every ping answered").isEqualTo(14);
        manual.advance(200, TimeUnit.MILLISECONDS); // the pings stop
        assertThat(listener.lost).singleElement().extracting(RecordingListener.Lost::reason).asString().contains("No data");
    }

    @Test
    void connectTimeout() {
        session(200, new Backoff(20, 100, 0), 0, false, true).start();
        FakeConnection c0 = transport.awaitConnection(0);
        // the server never sends OPEN
        await().atMost(MAX).until(() -> !listener.lost.isEmpty());
        assertThat(listener.lost.get(0).reason()).contains("timed out");
        assertThat(c0.open).isFalse();
        transport.awaitConnection(1);
    }

    @Test
    void connectTimeoutAlsoCoversAMissingConnectAck() {
        session(200, new Backoff(20, 100, 0), 0, false, true).start();
        FakeConnection c0 = transport.awaitConnection(0);
        c0.open(25000, 20000);
        await().atMost(MAX).until(() -> !listener.lost.isEmpty());
        assertThat(listener.lost.get(0).reason()).contains("timed out");
    }

    @Test
    void refusedConnectionsBackOffWithGrowingDelays() {
        transport.refuse.set(true);
        manualSession(new Backoff(20, 100, 0), 0).start();
        // each reconnect comes exactly its delay after the failed connect before it, not a millisecond sooner
        long[] delays = {20, 40, 80, 100, 100};
        for (int i = 0; i < delays.length; i++) {
            assertThat(manual.nextDelayMillis()).as("delay %d", i).isEqualTo(delays[i]);
            manual.advance(delays[i] - 1, TimeUnit.MILLISECONDS);
            assertThat(transport.connects).as("not before delay %d", i).hasValue(i + 1);
            manual.advance(1, TimeUnit.MILLISECONDS);
            assertThat(transport.connects).as("after delay %d", i).hasValue(i + 2);
        }
        assertThat(listener.lost).extracting(RecordingListener.Lost::delayMillis).startsWith(20L, 40L, 80L, 100L, 100L);
        assertThat(listener.lost).extracting(RecordingListener.Lost::attempt).startsWith(1, 2, 3, 4, 5);
        assertThat(listener.lost.get(0).reason()).contains("Connection refused");
        assertThat(session.state()).isEqualTo(State.RECONNECT_WAIT);
        assertThat(session.lastError()).contains("Connection refused");
    }

    @Test
    void givesUpAfterTheConfiguredReconnectAttempts() {
        transport.refuse.set(true);
        manualSession(new Backoff(20, 100, 0), 2).start();
        assertThat(manual.nextDelayMillis()).isEqualTo(20);
        manual.advance(20, TimeUnit.MILLISECONDS);
        assertThat(manual.nextDelayMillis()).isEqualTo(40);
        manual.advance(40, TimeUnit.MILLISECONDS);
        assertThat(session.state()).isEqualTo(State.FAILED);
        assertThat(listener.failed).hasSize(1);
        assertThat(listener.failed.get(0)).contains("2 reconnect attempts").contains("Connection refused");
        assertThat(listener.lost).hasSize(2);
        // the first connect and two reconnect attempts, then nothing more
        advancePastEveryTimer();
        assertThat(transport.connects).hasValue(3);
        assertThat(manual.pending()).isZero();
        assertThat(listener.lastReportedState()).isEqualTo(State.FAILED);
    }

    @Test
    void reconnectDisabledFailsOnFirstLoss() {
        manualSession(new Backoff(20, 100, 0), -1);
        FakeConnection c0 = handshake(0, 25000, 20000);
        c0.drop(1006);
        assertThat(session.state()).isEqualTo(State.FAILED);
        assertThat(listener.failed).singleElement().asString().contains("disabled");
        advancePastEveryTimer();
        assertThat(transport.connects).hasValue(1);
    }

    // ------------------------------------------------------------------ final outcomes

    @Test
    void connectErrorIsFinal() {
        manualSession(new Backoff(20, 100, 0), 0).start();
        FakeConnection c0 = transport.awaitConnection(0);
        c0.open(25000, 20000);
        c0.server("44{\"message\":\"Not authorized\",\"data\":{\"code\":401}}");
        assertThat(session.state()).isEqualTo(State.FAILED);
        assertThat(listener.failed).singleElement().asString().contains("Not authorized").contains("401");
        assertThat(c0.open).isFalse();
        c0.drop(1005);
        advancePastEveryTimer();
        assertThat(transport.connects).hasValue(1);
        assertThat(listener.lost).isEmpty();
        assertThat(session.state()).isEqualTo(State.FAILED);
    }

    @Test
    void failIsFinal() {
        manualSession(new Backoff(20, 100, 0), 0);
        FakeConnection c0 = handshake(0, 25000, 20000);
        session.fail("auth.failed", null);
        assertThat(session.state()).isEqualTo(State.FAILED);
        assertThat(session.lastError()).isEqualTo("auth.failed");
        assertThat(c0.sent).last().isEqualTo("41");
        assertThat(c0.open).isFalse();
        c0.drop(1006);
        session.fail("again", null);
        session.reconnect("try", null);
        advancePastEveryTimer();
        assertThat(transport.connects).hasValue(1);
        assertThat(listener.failed).containsExactly("auth.failed");
        assertThat(listener.lost).isEmpty();
        assertThat(session.state()).isEqualTo(State.FAILED);
    }

    @Test
    void failDuringReconnectWaitCancelsTheReconnect() {
        manualSession(new Backoff(200, 200, 0), 0);
        FakeConnection c0 = handshake(0, 25000, 20000);
        c0.drop(1006);
        assertThat(session.state()).isEqualTo(State.RECONNECT_WAIT);
        assertThat(manual.nextDelayMillis()).isEqualTo(200);
        session.fail("auth.failed", null);
        advancePastEveryTimer();
        assertThat(transport.connects).hasValue(1);
        assertThat(session.state()).isEqualTo(State.FAILED);
    }

    @Test
    void serverDisconnectEndsTheSession() {
        manualSession(new Backoff(20, 100, 0), 0);
        FakeConnection c0 = handshake(0, 25000, 20000);
        c0.server("41");
        assertThat(session.state()).isEqualTo(State.ENDED);
        assertThat(listener.serverDisconnects).hasSize(1);
        assertThat(c0.open).isFalse();
        c0.drop(1005);
        advancePastEveryTimer();
        assertThat(transport.connects).hasValue(1);
        assertThat(listener.lost).isEmpty();
        assertThat(listener.failed).isEmpty();
    }

    @Test
    void serverDisconnectReconnectsWhenConfigured() {
        session(5000, new Backoff(20, 100, 0), 0, true, true);
        FakeConnection c0 = handshake(0, 25000, 20000);
        c0.server("41");
        assertThat(listener.serverDisconnects).hasSize(1);
        assertThat(listener.lost).hasSize(1);
        FakeConnection c1 = transport.awaitConnection(1);
        c1.open(25000, 20000);
        c1.awaitSent(AUTH_FRAME);
        c1.server("40{\"sid\":\"b\"}");
        assertThat(listener.connected).hasSize(2);
        assertThat(listener.connected.get(1).reconnected()).isTrue();
    }

    @Test
    void engineIoCloseIsTransient() {
        defaultSession();
        FakeConnection c0 = handshake(0, 25000, 20000);
        c0.server("1");
        assertThat(listener.lost).singleElement().extracting(RecordingListener.Lost::reason).asString().contains("closed");
        transport.awaitConnection(1);
    }

    @Test
    void stopSendsDisconnectWhenConnectedAndCloses() {
        manualSession(new Backoff(20, 100, 0), 0);
        FakeConnection c0 = handshake(0, 25000, 20000);
        session.stop();
        assertThat(c0.sent).last().isEqualTo("41");
        assertThat(c0.open).isFalse();
        assertThat(c0.closeCode).isEqualTo(1000);
        assertThat(session.state()).isEqualTo(State.STOPPED);
        int callbacks = listener.all.size();
        c0.server("42[\"late\"]");
        c0.drop(1006);
        session.stop();
        advancePastEveryTimer();
        assertThat(transport.connects).hasValue(1);
        assertThat(listener.all).hasSize(callbacks);
    }

    @Test
    void stopWhileConnectingSendsNoDisconnect() {
        defaultSession().start();
        FakeConnection c0 = transport.awaitConnection(0);
        c0.open(25000, 20000);
        session.stop();
        assertThat(c0.sent).containsExactly(AUTH_FRAME);
        assertThat(c0.open).isFalse();
    }

    @Test
    void stopDuringReconnectWaitMeansNoFurtherConnect() {
        manualSession(new Backoff(200, 200, 0), 0);
        FakeConnection c0 = handshake(0, 25000, 20000);
        c0.drop(1006);
        assertThat(session.state()).isEqualTo(State.RECONNECT_WAIT);
        assertThat(manual.nextDelayMillis()).isEqualTo(200);
        session.stop();
        assertThat(session.state()).isEqualTo(State.STOPPED);
        advancePastEveryTimer();
        assertThat(transport.connects).hasValue(1);
    }

    @Test
    void stateReportedToTheListenerMatchesWhenTheSchedulerIsShuttingDown() {
        defaultSession();
        FakeConnection c0 = handshake(0, 25000, 20000);
        scheduler.shutdown();
        c0.drop(1006);
        assertThat(session.state()).isEqualTo(State.STOPPED);
        assertThat(listener.lastReportedState()).isEqualTo(session.state());
    }

    @Test
    void withoutEstablishedOnConnectAckTheAttemptCountGrowsUntilMarkEstablished() {
        session(5000, new Backoff(20, 100, 0), 0, false, false);
        FakeConnection c0 = handshake(0, 25000, 20000);
        c0.drop(1006);
        FakeConnection c1 = handshake(1, 25000, 20000);
        assertThat(session.failedAttempts()).isEqualTo(1);
        c1.drop(1006);
        assertThat(listener.lost).extracting(RecordingListener.Lost::attempt).containsExactly(1, 2);
        assertThat(listener.lost).extracting(RecordingListener.Lost::delayMillis).containsExactly(20L, 40L);
        FakeConnection c2 = handshake(2, 25000, 20000);
        assertThat(session.failedAttempts()).isEqualTo(2);
        session.markEstablished();
        assertThat(session.failedAttempts()).isZero();
        c2.drop(1006);
        assertThat(listener.lost).extracting(RecordingListener.Lost::attempt).containsExactly(1, 2, 1);
    }

    @Test
    void ownerRequestedReconnect() {
        defaultSession();
        FakeConnection c0 = handshake(0, 25000, 20000);
        session.reconnect("connection.error", null);
        assertThat(c0.sent).last().isEqualTo("41");
        assertThat(listener.lost).singleElement().extracting(RecordingListener.Lost::reason).isEqualTo("connection.error");
        handshake(1, 25000, 20000);
    }

    // ------------------------------------------------------------------ a timer that refuses tasks

    /**
     * A running timer that accepts {@code accepted} tasks and refuses the rest, like a scheduler with a bounded queue
     * (Camel's default profile bounds one at 1000 tasks).
     */
    private static ScheduledThreadPoolExecutor newRefusingTimer(int accepted) {
        AtomicInteger left = new AtomicInteger(accepted);
        return new ScheduledThreadPoolExecutor(1) {
            @Override
            public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                if (left.getAndDecrement() <= 0) {
                    throw new RejectedExecutionException("Task rejected due queue size limit reached");
                }
                return super.schedule(command, delay, unit);
            }
        };
    }

    private void assertEndedBecauseTheTimerRefused() {
        await().atMost(MAX).until(() -> session.state() == State.FAILED);
        assertThat(listener.failed).singleElement().asString().contains("refused a task")
                .contains("queue size limit reached");
        assertThat(session.lastError()).contains("refused a task");
    }

    /** A session on a running timer that accepts {@code accepted} tasks and refuses the rest. */
    private SocketIoSession sessionWithRefusingTimer(int accepted) {
        refusingTimer = newRefusingTimer(accepted);
        return session(5000, new Backoff(20, 100, 0), 0, false, true, refusingTimer);
    }

    @Test
    void aConnectTimeoutTheTimerRefusesEndsTheSessionInsteadOfWaitingForEver() {
        sessionWithRefusingTimer(0).start();
        assertEndedBecauseTheTimerRefused();
        assertThat(transport.connects.get()).as("no connect without its timeout").isZero();
    }

    @Test
    void aHeartbeatTheTimerRefusesEndsTheSession() {
        sessionWithRefusingTimer(1).start(); // accepts the connect timeout only
        transport.awaitConnection(0).open(25000, 20000);
        assertEndedBecauseTheTimerRefused();
    }

    @Test
    void aReconnectTheTimerRefusesEndsTheSessionRatherThanStoppingSilently() {
        sessionWithRefusingTimer(2); // accepts the connect timeout and the heartbeat
        FakeConnection c0 = handshake(0, 25000, 20000);
        c0.drop(1006);
        assertEndedBecauseTheTimerRefused();
        assertThat(listener.failed.get(0)).contains("1006");
    }
}
