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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.websocket.CloseReason;

/**
 * The meetings and the connections: one {@link Meeting} room per transcript id (created on first use, with its script),
 * the open WebSocket connections, CONNECT attempts per transcript id, and waiting for subscribers. Thread-safe.
 */
final class MeetingRegistry {

    private final SimulatorConfig config;
    private final SimTimer timer;

    private final Map<String, Meeting> meetings = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Set<SimConnection> connections = ConcurrentHashMap.newKeySet();
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition changed = stateLock.newCondition();
    private volatile boolean closed;
    private volatile Consumer<String> scriptEnded;

    MeetingRegistry(SimulatorConfig config, SimTimer timer) {
        this.config = config;
        this.timer = timer;
    }

    SimulatorConfig config() {
        return config;
    }

    SimTimer timer() {
        return timer;
    }

    boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------------------------------------ meetings

    /** The meeting of a known transcript id (created on first use), or {@code null} when the id is unknown. */
    Meeting meetingFor(String transcriptId) {
        if (config.isUnknownTranscript(transcriptId)) {
            return null;
        }
        return meetings.computeIfAbsent(transcriptId,
                id -> new Meeting(this, id, config.scriptFor(id), config.loop(), config.loopPauseMs()));
    }

    /** How many sockets are subscribed to {@code transcriptId} right now. */
    int subscribers(String transcriptId) {
        Meeting m = meetings.get(transcriptId);
        return m == null ? 0 : m.subscriberCount();
    }

    List<SimConnection> subscribersOf(String transcriptId) {
        Meeting m = meetings.get(transcriptId);
        return m == null ? List.of() : m.subscribers();
    }

    /** Sends the frames, in order, to each subscriber; returns how many got all of them. */
    int sendFrames(String transcriptId, List<String> frames) {
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

    /** Server DISCONNECT ({@code 41}) of the subscribers of {@code transcriptId}; returns how many. */
    int disconnect(String transcriptId) {
        Meeting m = meetings.get(transcriptId);
        return m == null ? 0 : m.disconnectAll();
    }

    /**
     * Hears a transcription sent to {@code transcriptId} by the steering (whether or not anybody is subscribed), for
     * the meeting's live transcript; the meeting is created if need be. Nothing for an unknown transcript id.
     */
    void heard(String transcriptId, JsonNode event) {
        Meeting m = meetingFor(transcriptId);
        if (m != null) {
            m.heard(event);
        }
    }

    /** The transcript ids of the meetings that exist (subscribed to, emitted to or started). */
    Set<String> meetingIds() {
        return Set.copyOf(meetings.keySet());
    }

    /** The meeting of {@code transcriptId} if it exists (it was subscribed to, emitted to or started), else null. */
    Meeting existing(String transcriptId) {
        return meetings.get(transcriptId);
    }

    /** Who learns that a script played its {@code end} line (not in a loop): the meeting is over. */
    void onScriptEnded(Consumer<String> listener) {
        this.scriptEnded = listener;
    }

    /** Called by a meeting, off its lock, when its script ended it. */
    void scriptEnded(String transcriptId) {
        Consumer<String> l = scriptEnded;
        if (l != null && !closed) {
            l.accept(transcriptId);
        }
    }

    // ------------------------------------------------------------------------------------------------ connections

    /** Adds an open connection; {@code false} once closed (the connection must then close itself). */
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

    /** How many WebSocket connections are open right now (subscribed or not). */
    int connections() {
        return connections.size();
    }

    void countAttempt(String transcriptId) {
        attempts.computeIfAbsent(key(transcriptId), k -> new AtomicInteger()).incrementAndGet();
    }

    /** How many Socket.IO CONNECT attempts (any outcome) have named {@code transcriptId} so far. */
    int connectAttempts(String transcriptId) {
        AtomicInteger n = attempts.get(key(transcriptId));
        return n == null ? 0 : n.get();
    }

    private static String key(String transcriptId) {
        return transcriptId == null ? "" : transcriptId;
    }

    // ------------------------------------------------------------------------------------------------ waiting

    /** Wakes {@link #awaitSubscribers} waiters. */
    void subscriptionsChanged() {
        stateLock.lock();
        try {
            changed.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    /** Waits until at least {@code atLeast} sockets are subscribed to {@code transcriptId}, at most {@code timeout}. */
    boolean awaitSubscribers(String transcriptId, int atLeast, Duration timeout) {
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

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** Stops every script clock and closes every connection (1001). New connections are refused from now on. */
    void close() {
        closed = true;
        meetings.values().forEach(Meeting::stop);
        for (SimConnection c : List.copyOf(connections)) {
            c.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "simulator closed"));
        }
    }
}
