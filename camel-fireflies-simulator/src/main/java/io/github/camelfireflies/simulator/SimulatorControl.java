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

/**
 * The steering that tests and demos use: events sent on demand to a meeting's subscribers, server-side disconnects and
 * closes, and the meeting schedule's moments (start, end, state), which touch the GraphQL side, the meetings and the
 * webhooks ({@code meeting.bot_joined} when a scheduled meeting starts, {@code meeting.transcribed} a while after it
 * ended).
 */
final class SimulatorControl {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorControl.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final MeetingRegistry registry;
    private final GraphQLState graphql;
    private final SimTimer timer;
    private final WebhookSender webhooks;

    /**
     * @param webhooks null when no webhook URL is configured
     */
    SimulatorControl(MeetingRegistry registry, GraphQLState graphql, SimTimer timer, WebhookSender webhooks) {
        this.registry = registry;
        this.graphql = graphql;
        this.timer = timer;
        this.webhooks = webhooks;
        registry.onScriptEnded(this::scriptEnded);
    }

    /**
     * Once the server is up: the scheduled starts (for {@code autoStart} and {@code meeting.bot_joined}) and ends of the
     * declared meetings; with {@code autoStart}, the scripts bound to a transcript id (and not scheduled) start now.
     */
    void started() {
        boolean autoStart = registry.config().autoStart();
        for (ScheduledMeeting m : graphql.scheduled()) {
            if (autoStart || webhooks != null) {
                at(m.start(), () -> {
                    if (graphql.isOnSchedule(m)) {
                        LOG.debug("Meeting {} starts (scheduled)", m.id());
                        meetingStarted(m.id());
                    }
                });
            }
            if (m.end() != null) {
                at(m.end(), () -> {
                    if (graphql.isOnSchedule(m) && m.start().compareTo(m.end()) < 0) {
                        LOG.debug("Meeting {} ends (scheduled)", m.id());
                        endRoom(m.id());
                        transcriptReadyLater(m.id());
                    }
                });
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

    private void at(Duration offset, Runnable task) {
        timer.schedule(task, Math.max(0, offset.toMillis() - graphql.elapsed().toMillis()));
    }

    /** A meeting of the schedule begins: its bot joins, and with {@code autoStart} its script starts. */
    private void meetingStarted(String id) {
        if (registry.config().autoStart()) {
            startMeeting(id);
        }
        if (webhooks != null) {
            quietly(() -> webhooks.send(WebhookVersion.V2, FirefliesSimulator.WEBHOOK_BOT_JOINED, id, null));
        }
    }

    /** A script played its {@code end}: a scheduled meeting in progress leaves {@code active_meetings} now. */
    private void scriptEnded(String id) {
        if (graphql.endIfInProgress(id)) {
            transcriptReadyLater(id);
        }
    }

    /** The meeting's script stops, it is no longer live, and its subscribers get a DISCONNECT. */
    private void endRoom(String id) {
        Meeting m = registry.existing(id);
        if (m != null) {
            m.end();
        }
        disconnect(id);
    }

    /**
     * A meeting of the schedule ended: after {@code transcriptReadyDelay}, {@code meeting.transcribed} (V2) and/or
     * "Transcription completed" (V1); after {@code summaryReadyDelay} more, {@code meeting.summarized} (V2).
     */
    private void transcriptReadyLater(String id) {
        if (webhooks == null) {
            return;
        }
        WebhookSettings settings = webhooks.settings();
        timer.schedule(() -> {
            if (settings.versions().contains(WebhookVersion.V2)) {
                quietly(() -> webhooks.send(WebhookVersion.V2, FirefliesSimulator.WEBHOOK_TRANSCRIBED, id, null));
            }
            if (settings.versions().contains(WebhookVersion.V1)) {
                quietly(() -> webhooks.send(WebhookVersion.V1, FirefliesSimulator.WEBHOOK_V1_TRANSCRIPTION_COMPLETED,
                        id, null));
            }
            if (settings.summaryReadyDelay() != null && settings.versions().contains(WebhookVersion.V2)) {
                timer.schedule(() -> quietly(
                        () -> webhooks.send(WebhookVersion.V2, FirefliesSimulator.WEBHOOK_SUMMARIZED, id, null)),
                        settings.summaryReadyDelay().toMillis());
            }
        }, settings.transcriptReadyDelay().toMillis());
    }

    /** An automatic delivery racing with close() is dropped without a warning. */
    private static void quietly(Runnable send) {
        try {
            send.run();
        } catch (IllegalStateException e) {
            LOG.debug("Webhook not sent: {}", e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------------ events

    int emitTranscriptions(String transcriptId, List<? extends JsonNode> events, Shape shape) {
        Objects.requireNonNull(shape, "shape");
        List<String> frames = new ArrayList<>(events.size());
        for (JsonNode e : events) {
            frames.add(SioFrames.event(FirefliesSimulator.TRANSCRIPTION_EVENT, shape.wrap(e)));
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
                List.of(SioFrames.event(eventName, args)));
    }

    int emitRawFrame(String transcriptId, String frame) {
        return registry.sendFrames(transcriptId, List.of(frame));
    }

    int emitBinaryEvent(String transcriptId, String eventName, byte[] attachment) {
        String header = SioFrames.binaryEvent(eventName, 1, List.of(SioFrames.placeholder(0)));
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
        boolean wasInProgress = graphql.startNow(id, title, organizerEmail);
        Meeting m = registry.existing(id);
        if (m != null && !registry.config().autoStart()) {
            m.restartIfEnded();
        }
        if (!wasInProgress) {
            meetingStarted(id);
        } else if (registry.config().autoStart()) {
            startMeeting(id);
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
        boolean wasInProgress = graphql.end(id);
        endRoom(id);
        if (wasInProgress) {
            transcriptReadyLater(id);
        }
    }

    // ------------------------------------------------------------------------------------------------ webhooks

    WebhookSender webhooks() {
        if (webhooks == null) {
            throw new IllegalStateException(
                    "No webhook URL: configure one with FirefliesSimulator.Builder.webhook(url, secret)");
        }
        return webhooks;
    }

    void setMeetingState(String id, String state) {
        graphql.setState(id, state);
    }
}
