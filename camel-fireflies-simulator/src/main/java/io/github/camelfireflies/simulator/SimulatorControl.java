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

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.websocket.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelfireflies.simulator.FirefliesSimulator.ScheduledMeeting;
import io.github.camelfireflies.socketio.Packet;
import io.github.camelfireflies.socketio.PacketCodec;

/**
 * The steering that tests and demos use: events sent on demand to a meeting's subscribers, server-side disconnects and
 * closes, and the meeting schedule's changes (start, end, state), which touch both the GraphQL side and the meetings.
 */
final class SimulatorControl {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorControl.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final MeetingRegistry registry;
    private final GraphQLState graphql;
    private final SimTimer timer;

    SimulatorControl(MeetingRegistry registry, GraphQLState graphql, SimTimer timer) {
        this.registry = registry;
        this.graphql = graphql;
        this.timer = timer;
        registry.onScriptEnded(this::scriptEnded);
    }

    /**
     * Once the server is up: the scheduled ends of the declared meetings; with {@code autoStart}, their scheduled
     * starts, and the scripts bound to a transcript id (and not scheduled) start now.
     */
    void started() {
        boolean autoStart = registry.config().autoStart();
        for (ScheduledMeeting m : graphql.scheduled()) {
            if (autoStart) {
                scheduleStart(m.id(), m.start().toMillis());
            }
            if (m.end() != null) {
                scheduleEnd(m.id(), m.end().toMillis());
            }
        }
        if (autoStart) {
            for (String id : registry.config().scripts().keySet()) {
                if (graphql.scheduledMeeting(id) == null) {
                    startMeeting(id);
                }
            }
        }
    }

    private void scheduleStart(String id, long atMs) {
        long delay = Math.max(0, atMs - graphql.elapsed().toMillis());
        timer.schedule(() -> {
            LOG.debug("Meeting {} starts (scheduled)", id);
            startMeeting(id);
        }, delay);
    }

    private void scheduleEnd(String id, long atMs) {
        long delay = Math.max(0, atMs - graphql.elapsed().toMillis());
        timer.schedule(() -> {
            LOG.debug("Meeting {} ends (scheduled)", id);
            endRoom(id);
        }, delay);
    }

    /** A script played its {@code end}: a scheduled meeting in progress leaves {@code active_meetings} now. */
    private void scriptEnded(String id) {
        graphql.endIfInProgress(id);
    }

    /** The meeting's script stops, it is no longer live, and its subscribers get a DISCONNECT. */
    private void endRoom(String id) {
        Meeting m = registry.existing(id);
        if (m != null) {
            m.end();
        }
        disconnect(id);
    }

    // ------------------------------------------------------------------------------------------------ events

    int emitTranscriptions(String transcriptId, List<? extends JsonNode> events, Shape shape) {
        Objects.requireNonNull(shape, "shape");
        List<String> frames = new ArrayList<>(events.size());
        for (JsonNode e : events) {
            frames.add(PacketCodec.event(FirefliesSimulator.TRANSCRIPTION_EVENT, shape.wrap(e)));
            registry.heard(transcriptId, e);
        }
        return registry.sendFrames(transcriptId, frames);
    }

    int emitTranscription(String transcriptId, String chunkId, String speakerName, String text, double startTime,
            double endTime) {
        ObjectNode o = NODES.objectNode();
        o.put("transcript_id", transcriptId);
        o.put("chunk_id", chunkId);
        o.put("text", text);
        o.put("speaker_name", speakerName);
        o.set("start_time", number(startTime));
        o.set("end_time", number(endTime));
        return emitTranscriptions(transcriptId, List.of(o), Shape.FLAT);
    }

    /** As JavaScript would serialize it: 0.0 is 0. */
    static JsonNode number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? NODES.numberNode((long) d) : NODES.numberNode(d);
    }

    int emitEvent(String transcriptId, String eventName, List<? extends JsonNode> args) {
        Objects.requireNonNull(eventName, "eventName");
        return registry.sendFrames(transcriptId,
                List.of(PacketCodec.encode(new Packet.Event(Packet.DEFAULT_NAMESPACE, null, eventName, List.copyOf(args)))));
    }

    int emitRawFrame(String transcriptId, String frame) {
        return registry.sendFrames(transcriptId, List.of(frame));
    }

    int emitBinaryEvent(String transcriptId, String eventName, byte[] attachment) {
        ObjectNode placeholder = NODES.objectNode().put("_placeholder", true).put("num", 0);
        String header = PacketCodec.encode(
                new Packet.BinaryEvent(Packet.DEFAULT_NAMESPACE, null, false, 1, eventName, List.of(placeholder)));
        byte[] copy = attachment.clone();
        int n = 0;
        for (SimConnection c : registry.subscribersOf(transcriptId)) {
            if (c.sendWithAttachment(header, copy)) {
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------------ connections

    int disconnect(String transcriptId) {
        return registry.disconnect(transcriptId);
    }

    int closeConnections(String transcriptId, int code, String reason) {
        List<SimConnection> subs = registry.subscribersOf(transcriptId);
        for (SimConnection c : subs) {
            c.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason == null ? "" : reason));
        }
        return subs.size();
    }

    // ------------------------------------------------------------------------------------------------ schedule

    void startMeeting(String id, String title, String organizerEmail) {
        graphql.startNow(id, title, organizerEmail);
        if (registry.config().autoStart()) {
            startMeeting(id);
        } else {
            Meeting m = registry.existing(id);
            if (m != null) {
                m.restartIfEnded();
            }
        }
    }

    /** The meeting's script starts now (again, if it had ended) and keeps going while nobody listens. */
    boolean startMeeting(String id) {
        Meeting m = registry.meetingFor(id);
        if (m == null) {
            return false;
        }
        m.restartIfEnded();
        return m.startNow();
    }

    void endMeeting(String id) {
        graphql.end(id);
        endRoom(id);
    }

    void setMeetingState(String id, String state) {
        graphql.setState(id, state);
    }
}
