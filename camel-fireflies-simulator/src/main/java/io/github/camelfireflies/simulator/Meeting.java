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

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelfireflies.socketio.PacketCodec;

/**
 * The room of one transcript id: its subscribers and, when it has a script, the script's clock. The clock starts when
 * the first subscriber arrives. Script state is guarded by {@code this}; the subscriber set is lock-free, so that a
 * connection closing never waits for a meeting that is busy sending.
 */
final class Meeting {

    private static final Logger LOG = LoggerFactory.getLogger(Meeting.class);

    private enum State {
        IDLE,
        RUNNING,
        DONE
    }

    private final MeetingRegistry registry;
    private final String transcriptId;
    private final MeetingScript script;
    private final boolean loop;
    private final long loopPauseMs;
    private final Set<SimConnection> subscribers = new CopyOnWriteArraySet<>();

    // guarded by this
    private State state = State.IDLE;
    private long cycleStartNanos;
    private int next;
    private ScheduledFuture<?> pending;
    private int cycles;

    Meeting(MeetingRegistry registry, String transcriptId, MeetingScript script, boolean loop, long loopPauseMs) {
        this.registry = registry;
        this.transcriptId = transcriptId;
        this.script = script;
        this.loop = loop;
        this.loopPauseMs = loopPauseMs;
    }

    String transcriptId() {
        return transcriptId;
    }

    List<SimConnection> subscribers() {
        return List.copyOf(subscribers);
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** First half of a subscription: joins the room (lock-free, safe under a connection's send lock). */
    void add(SimConnection c) {
        subscribers.add(c);
    }

    /** Second half, without any connection lock held: wakes waiters and starts the clock of an idle meeting. */
    void subscribed() {
        registry.subscriptionsChanged();
        startIfIdle();
    }

    void unsubscribe(SimConnection c) {
        if (subscribers.remove(c)) {
            registry.subscriptionsChanged();
        }
    }

    private synchronized void startIfIdle() {
        if (script == null || state != State.IDLE || script.steps().isEmpty() || registry.isClosed()) {
            return;
        }
        state = State.RUNNING;
        cycleStartNanos = System.nanoTime();
        next = 0;
        cycles++;
        LOG.debug("Meeting {}: script {} starts (cycle {})", transcriptId, script.source(), cycles);
        scheduleNext();
    }

    private void scheduleNext() {
        long dueNanos = cycleStartNanos + TimeUnit.MILLISECONDS.toNanos(script.steps().get(next).atMs());
        long delayMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(dueNanos - System.nanoTime()));
        pending = registry.timer().schedule(this::tick, delayMs);
    }

    private synchronized void tick() {
        if (state != State.RUNNING || registry.isClosed()) {
            return;
        }
        List<MeetingScript.Step> steps = script.steps();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cycleStartNanos);
        // play every step that is due; bounded by the script's length
        while (next < steps.size() && steps.get(next).atMs() <= elapsedMs) {
            play(steps.get(next++));
        }
        if (next < steps.size()) {
            scheduleNext();
        } else if (loop && !subscribers.isEmpty()) {
            cycleStartNanos += TimeUnit.MILLISECONDS.toNanos(script.durationMs() + loopPauseMs);
            next = 0;
            cycles++;
            scheduleNext();
        } else {
            // looping meetings wait for their next subscriber; the others are over
            state = loop ? State.IDLE : State.DONE;
            pending = null;
            LOG.debug("Meeting {}: script finished ({})", transcriptId, state);
        }
    }

    private void play(MeetingScript.Step step) {
        if (step instanceof MeetingScript.EventStep e) {
            JsonNode data = e.data();
            String frame;
            if (data == null) {
                frame = PacketCodec.event(e.event());
            } else {
                if (data.isObject() && !data.has("transcript_id")) {
                    ObjectNode copy = ((ObjectNode) data).deepCopy();
                    copy.put("transcript_id", transcriptId);
                    data = copy;
                }
                if (FirefliesSimulator.TRANSCRIPTION_EVENT.equals(e.event())) {
                    registry.recordSpoken(transcriptId, data);
                }
                frame = PacketCodec.event(e.event(), e.shape().wrap(data));
            }
            sendAll(frame);
        } else if (step instanceof MeetingScript.RawStep r) {
            sendAll(r.frame());
        } else if (step instanceof MeetingScript.EndStep) {
            LOG.debug("Meeting {}: end", transcriptId);
            disconnectAll();
        }
    }

    /** Sends one frame to every current subscriber; returns how many got it. */
    int sendAll(String frame) {
        int n = 0;
        for (SimConnection c : subscribers) {
            if (c.send(frame)) {
                n++;
            }
        }
        return n;
    }

    /** Server DISCONNECT ({@code 41}) of every subscriber. */
    int disconnectAll() {
        int n = 0;
        for (SimConnection c : subscribers) {
            if (c.disconnect()) {
                n++;
            }
        }
        return n;
    }

    synchronized void stop() {
        state = State.DONE;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
