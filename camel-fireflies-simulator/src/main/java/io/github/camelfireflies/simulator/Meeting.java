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


/**
 * The room of one transcript id: its subscribers, what it has said so far ({@link LiveTranscript}) and, when it has a
 * script, the script's clock. The clock starts when the first subscriber arrives, or earlier with
 * {@link #startNow()}: then the meeting keeps going while nobody listens. Script state is guarded by {@code this}; the
 * subscriber set is lock-free, so that a connection closing never waits for a meeting that is busy sending.
 * <p>
 * A meeting is live from the start of its script (a meeting without a script: from its creation) until its script plays
 * {@code end}, or it is ended from outside ({@link #end()}). A new round of a looping script is a new occurrence of the
 * meeting: live again, with a fresh transcript.
 */
final class Meeting {

    private static final Logger LOG = LoggerFactory.getLogger(Meeting.class);

    private enum State {
        IDLE,
        RUNNING,
        DONE
    }

    private enum Phase {
        NOT_STARTED,
        LIVE,
        ENDED
    }

    private final MeetingRegistry registry;
    private final String transcriptId;
    private final MeetingScript script;
    private final boolean loop;
    private final long loopPauseMs;
    private final Set<SimConnection> subscribers = new CopyOnWriteArraySet<>();
    private final LiveTranscript transcript = new LiveTranscript();

    // guarded by this
    private State state = State.IDLE;
    private long cycleStartNanos;
    private int next;
    private ScheduledFuture<?> pending;
    private int cycles;
    private boolean unattended;
    private volatile Phase phase;

    Meeting(MeetingRegistry registry, String transcriptId, MeetingScript script, boolean loop, long loopPauseMs) {
        this.registry = registry;
        this.transcriptId = transcriptId;
        this.script = script;
        this.loop = loop;
        this.loopPauseMs = loopPauseMs;
        this.phase = hasScript() ? Phase.NOT_STARTED : Phase.LIVE;
    }

    private boolean hasScript() {
        return script != null && !script.steps().isEmpty();
    }

    String transcriptId() {
        return transcriptId;
    }

    /** Whether the meeting is going on: started and not ended. */
    boolean isLive() {
        return phase == Phase.LIVE;
    }

    /** What it has said so far. */
    LiveTranscript transcript() {
        return transcript;
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

    /** Hears a transcription sent to this meeting (by its script or by the steering), for its live transcript. */
    void heard(JsonNode event) {
        transcript.heard(event);
    }

    private synchronized void startIfIdle() {
        start();
    }

    /**
     * Starts the script's clock now, whether or not anybody is subscribed; from now on the meeting keeps going while
     * nobody listens (a looping script keeps looping).
     *
     * @return whether the script started now (false: no script, already running, over, or closed); a script already
     *         running keeps going while nobody listens from now on
     */
    synchronized boolean startNow() {
        boolean started = start();
        if (state == State.RUNNING) {
            unattended = true;
        }
        return started;
    }

    private boolean start() {
        if (!hasScript() || state != State.IDLE || registry.isClosed()) {
            return false;
        }
        state = State.RUNNING;
        cycleStartNanos = System.nanoTime();
        next = 0;
        newRound();
        LOG.debug("Meeting {}: script {} starts (cycle {})", transcriptId, script.source(), cycles);
        scheduleNext();
        return true;
    }

    /** A round of the script begins: the meeting is live; a round after the first is a new occurrence. */
    private void newRound() {
        if (cycles > 0) {
            transcript.clear();
        }
        cycles++;
        phase = Phase.LIVE;
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
        while (state == State.RUNNING && next < steps.size() && steps.get(next).atMs() <= elapsedMs) {
            play(steps.get(next++));
        }
        if (state != State.RUNNING) {
            return; // the script ended the meeting
        }
        if (next < steps.size()) {
            scheduleNext();
        } else if (loop && (unattended || !subscribers.isEmpty())) {
            // the pause runs from the last line as played: a late timer shortens neither the pause nor the next round
            long onSchedule = cycleStartNanos + TimeUnit.MILLISECONDS.toNanos(script.durationMs() + loopPauseMs);
            cycleStartNanos = Math.max(onSchedule, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(loopPauseMs));
            next = 0;
            newRound();
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
                frame = SioFrames.event(e.event());
            } else {
                if (data.isObject() && !data.has("transcript_id")) {
                    ObjectNode copy = ((ObjectNode) data).deepCopy();
                    copy.put("transcript_id", transcriptId);
                    data = copy;
                }
                if (FirefliesSimulator.TRANSCRIPTION_EVENT.equals(e.event())) {
                    heard(data);
                }
                frame = SioFrames.event(e.event(), e.shape().wrap(data));
            }
            sendAll(frame);
        } else if (step instanceof MeetingScript.RawStep r) {
            sendAll(r.frame());
        } else if (step instanceof MeetingScript.EndStep) {
            LOG.debug("Meeting {}: end", transcriptId);
            phase = Phase.ENDED;
            disconnectAll();
            if (!loop) {
                // over for good: no more step plays, and the others learn it (off this lock)
                state = State.DONE;
                pending = null;
                registry.timer().schedule(() -> registry.scriptEnded(transcriptId), 0);
            }
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

    /** Ends the meeting from outside (its schedule, the steering): the script stops, the meeting is no longer live. */
    synchronized void end() {
        stop();
        phase = Phase.ENDED;
    }

    /** A meeting that ended starts again (the steering): its script from the top, with a fresh transcript. */
    synchronized void restartIfEnded() {
        if (phase != Phase.ENDED) {
            return;
        }
        transcript.clear();
        state = State.IDLE;
        next = 0;
        unattended = false;
        phase = hasScript() ? Phase.NOT_STARTED : Phase.LIVE;
        if (!subscribers.isEmpty()) {
            startIfIdle();
        }
    }

    synchronized void stop() {
        state = State.DONE;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
