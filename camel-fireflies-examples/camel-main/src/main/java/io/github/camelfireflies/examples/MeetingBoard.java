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
package io.github.camelfireflies.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.FirefliesConstants;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of the meetings dashboard, fed by the exchanges of {@code fireflies:meetings} (or
 * {@code webhook:fireflies:meetings}) and sent to browsers as Server-Sent Events ({@code GET /events}). Each SSE
 * {@code data:} line is one JSON object whose {@code type} says what it updates:
 * <ul>
 * <li>{@code meeting}: a panel: {@code id}, {@code title}, {@code organizer}, {@code state} ({@code live},
 * {@code paused} or {@code ended}) and {@code started_at} (epoch ms, when the dashboard heard of it);</li>
 * <li>{@code segment}: a caption line of meeting {@code meeting}, keyed by {@code chunk_id}, so that a revision
 * replaces its line: {@code speaker}, {@code speaker_index} (the speaker's colour, stable for the meeting),
 * {@code text}, {@code start} and {@code end} (seconds from the meeting's start), {@code revision} and
 * {@code backfill} ({@code CamelFirefliesBackfill});</li>
 * <li>{@code gap}: a reconnect of the meeting's stream ({@code CamelFirefliesReconnected}): {@code gap_ms}
 * ({@code CamelFirefliesGapMillis}), {@code healed} (how many segments the backfill filled in since) and
 * {@code at} (the earliest start among them, where the note goes);</li>
 * <li>{@code talk}: each speaker's talk time in the meeting, {@code speakers}: {@code speaker}, {@code speaker_index}
 * and {@code seconds} (the sum of the durations of the speaker's segments at their latest revision, forgotten ones
 * included), after each segment;</li>
 * <li>{@code actions}: the meeting's live action items as {@code live_action_items} last listed them, {@code items}:
 * {@code name} and {@code action_item} (absent until one was listed), and {@code note}: a short word about the last
 * request (sent, or why not), or null ({@link LiveActionItems}).</li>
 * </ul>
 * A browser that connects gets the current state first (the last {@value #MAX_MEETINGS} meetings, the latest revision
 * of their last {@value #MAX_SEGMENTS} segments each), then every update. Writes to a browser happen on its own
 * Vert.x context; one that stops reading is dropped (it reconnects and gets the state again).
 * <p>
 * Only header names ({@link FirefliesConstants}) and the bodies' JSON conversion are used here: no type of the
 * component's.
 */
public final class MeetingBoard implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(MeetingBoard.class);

    /** The event names of {@code fireflies:meetings} the board reads. */
    static final String TRANSCRIPTION = "transcription.broadcast";
    static final String MEETING_STARTED = "meeting.started";
    static final String MEETING_ENDED = "meeting.ended";

    /** Meetings kept for browsers that connect later (the oldest ended ones are forgotten first). */
    static final int MAX_MEETINGS = 50;
    /** Segments kept per meeting for browsers that connect later. */
    static final int MAX_SEGMENTS = 400;
    /** A browser whose unsent output grows beyond this is disconnected. */
    private static final int MAX_QUEUED_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Panel> meetings = new LinkedHashMap<>();
    private final Set<Client> clients = new CopyOnWriteArraySet<>();

    /** One meeting's panel, as browsers that connect later must see it. Guarded by the board. */
    private static final class Panel {
        final String id;
        final long startedAt = System.currentTimeMillis();
        String title;
        String organizer;
        String state = "live";
        final Map<String, ObjectNode> segments = new LinkedHashMap<>();
        final Map<String, Integer> speakers = new LinkedHashMap<>();
        /** Talk time of the segments no longer kept, per speaker. */
        final Map<String, Double> settled = new HashMap<>();
        final List<Gap> gaps = new ArrayList<>();
        /** The meeting's live action items as last listed, and the last note about a request (or null). */
        ArrayNode actionItems;
        String actionNote;

        Panel(String id) {
            this.id = id;
        }

        int speakerIndex(String speaker) {
            return speakers.computeIfAbsent(speaker == null ? "" : speaker, s -> speakers.size());
        }
    }

    /** A reconnect and the segments the backfill filled in after it. */
    private static final class Gap {
        final int number;
        final long gapMillis;
        double at;
        final Set<String> healed = new HashSet<>();

        Gap(int number, long gapMillis, double at) {
            this.number = number;
            this.gapMillis = gapMillis;
            this.at = at;
        }
    }

    private record Client(HttpServerResponse response, Context context) {
        void send(String text) {
            context.runOnContext(v -> {
                if (response.closed() || response.ended()) {
                    return;
                }
                if (response.writeQueueFull()) {
                    response.reset(); // not reading: drop it rather than buffer without bound
                    return;
                }
                response.write(text);
            });
        }
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Message m = exchange.getMessage();
        String event = m.getHeader(FirefliesConstants.EVENT, String.class);
        String id = m.getHeader(FirefliesConstants.TRANSCRIPT_ID, String.class);
        if (id == null || event == null) {
            return;
        }
        // the JSON text of a transcription body (its own conversion), read before taking the lock
        String json = TRANSCRIPTION.equals(event) ? m.getBody(String.class) : null;
        JsonNode body = json == null ? null : JSON.readTree(json);
        List<ObjectNode> updates = new ArrayList<>(3);
        synchronized (this) {
            Panel p = meetings.get(id);
            boolean changed = false;
            if (p == null) {
                p = new Panel(id);
                meetings.put(id, p);
                forgetOldMeetings();
                changed = true;
            }
            changed |= named(p, m);
            if (MEETING_STARTED.equals(event)) {
                p.state = "paused".equals(m.getHeader(FirefliesConstants.MEETING_STATE, String.class)) ? "paused" : "live";
                changed = true;
            } else if (MEETING_ENDED.equals(event)) {
                p.state = "ended";
                changed = true;
            } else if (body != null) {
                changed |= stateOf(p, m);
                if (changed) {
                    updates.add(meeting(p));
                    changed = false;
                }
                segment(p, m, body, updates);
            }
            if (changed) {
                updates.add(meeting(p));
            }
            if (!updates.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (ObjectNode u : updates) {
                    sb.append("data: ").append(u).append("\n\n");
                }
                String text = sb.toString();
                for (Client c : clients) {
                    c.send(text);
                }
            }
        }
    }

    /** Title and organizer, when the exchange names them (a meeting known by id only gets them later). */
    private static boolean named(Panel p, Message m) {
        String title = m.getHeader(FirefliesConstants.MEETING_TITLE, String.class);
        String organizer = m.getHeader(FirefliesConstants.ORGANIZER_EMAIL, String.class);
        boolean changed = false;
        if (title != null && !title.equals(p.title)) {
            p.title = title;
            changed = true;
        }
        if (organizer != null && !organizer.equals(p.organizer)) {
            p.organizer = organizer;
            changed = true;
        }
        return changed;
    }

    /**
     * {@code CamelFirefliesMeetingState} of a live exchange: the state of the meeting at the last poll. It only comes
     * with an exchange, so a meeting that pauses shows it with its next segment.
     */
    private static boolean stateOf(Panel p, Message m) {
        if ("ended".equals(p.state)) {
            return false; // a late segment does not revive a meeting that ended
        }
        String polled = m.getHeader(FirefliesConstants.MEETING_STATE, String.class);
        String state = "paused".equals(polled) ? "paused" : "live";
        if (polled != null && !state.equals(p.state)) {
            p.state = state;
            return true;
        }
        return false;
    }

    private void segment(Panel p, Message m, JsonNode body, List<ObjectNode> updates) {
        String chunk = text(body, "chunk_id");
        if (chunk == null) {
            return;
        }
        String speaker = text(body, "speaker_name");
        double start = body.path("start_time").asDouble(0);
        boolean backfill = Boolean.TRUE.equals(m.getHeader(FirefliesConstants.BACKFILL, Boolean.class));
        if (Boolean.TRUE.equals(m.getHeader(FirefliesConstants.RECONNECTED, Boolean.class))) {
            Long gapMillis = m.getHeader(FirefliesConstants.GAP_MILLIS, Long.class);
            p.gaps.add(new Gap(p.gaps.size() + 1, gapMillis == null ? 0 : gapMillis, start));
            if (!backfill) {
                updates.add(gap(p, p.gaps.get(p.gaps.size() - 1)));
            }
        }
        if (backfill && !p.gaps.isEmpty()) {
            // a backfill after a reconnect fills in what the gap lost (the first one, on joining, is no gap)
            Gap g = p.gaps.get(p.gaps.size() - 1);
            g.healed.add(chunk);
            g.at = Math.min(g.at, start);
            updates.add(gap(p, g));
        }
        ObjectNode s = JSON.createObjectNode();
        s.put("type", "segment");
        s.put("meeting", p.id);
        s.put("chunk_id", chunk);
        s.put("speaker", speaker);
        s.put("speaker_index", p.speakerIndex(speaker));
        s.put("text", text(body, "text"));
        s.put("start", start);
        s.put("end", body.path("end_time").asDouble(start));
        Integer revision = m.getHeader(FirefliesConstants.CHUNK_REVISION, Integer.class);
        s.put("revision", revision == null ? 1 : revision);
        s.put("backfill", backfill);
        p.segments.remove(chunk);
        p.segments.put(chunk, s); // the last one touched is the last one forgotten
        if (p.segments.size() > MAX_SEGMENTS) {
            Iterator<ObjectNode> oldest = p.segments.values().iterator();
            ObjectNode forgotten = oldest.next();
            p.settled.merge(speakerOf(forgotten), duration(forgotten), Double::sum);
            oldest.remove();
        }
        updates.add(s);
        updates.add(talk(p));
    }

    private static String speakerOf(ObjectNode segment) {
        JsonNode v = segment.get("speaker");
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static double duration(ObjectNode segment) {
        return Math.max(0, segment.path("end").asDouble() - segment.path("start").asDouble());
    }

    private static ObjectNode talk(Panel p) {
        Map<String, Double> seconds = new HashMap<>(p.settled);
        for (ObjectNode s : p.segments.values()) {
            seconds.merge(speakerOf(s), duration(s), Double::sum);
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "talk");
        o.put("meeting", p.id);
        ArrayNode speakers = o.putArray("speakers");
        p.speakers.forEach((speaker, index) -> {
            if (seconds.containsKey(speaker)) {
                speakers.addObject().put("speaker", speaker.isEmpty() ? null : speaker).put("speaker_index", index)
                        .put("seconds", Math.round(seconds.get(speaker) * 10) / 10.0);
            }
        });
        return o;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static ObjectNode meeting(Panel p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "meeting");
        o.put("id", p.id);
        o.put("title", p.title);
        o.put("organizer", p.organizer);
        o.put("state", p.state);
        o.put("started_at", p.startedAt);
        return o;
    }

    private static ObjectNode gap(Panel p, Gap g) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "gap");
        o.put("meeting", p.id);
        o.put("gap", g.number);
        o.put("gap_ms", g.gapMillis);
        o.put("healed", g.healed.size());
        o.put("at", g.at);
        return o;
    }

    /** Past {@value #MAX_MEETINGS}, the oldest ended meetings are forgotten first, then the oldest. */
    private void forgetOldMeetings() {
        while (meetings.size() > MAX_MEETINGS) {
            String victim = meetings.values().stream().filter(p -> "ended".equals(p.state)).map(p -> p.id)
                    .findFirst().orElse(meetings.keySet().iterator().next());
            meetings.remove(victim);
        }
    }

    /** Serves {@code GET /events}: the current state, then every update, until the browser goes away. */
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true);
        response.setWriteQueueMaxSize(MAX_QUEUED_BYTES);
        response.putHeader("Content-Type", "text/event-stream; charset=utf-8");
        response.putHeader("Cache-Control", "no-cache");
        response.putHeader("X-Accel-Buffering", "no");
        Client client = new Client(response, Vertx.currentContext());
        response.closeHandler(v -> clients.remove(client));
        response.exceptionHandler(t -> clients.remove(client));
        int count;
        synchronized (this) {
            // a retry hint for EventSource, then the state; later updates are queued on this context after it
            StringBuilder sb = new StringBuilder("retry: 1000\n\n");
            for (Panel p : meetings.values()) {
                sb.append("data: ").append(meeting(p)).append("\n\n");
                for (ObjectNode s : p.segments.values()) {
                    sb.append("data: ").append(s).append("\n\n");
                }
                for (Gap g : p.gaps) {
                    sb.append("data: ").append(gap(p, g)).append("\n\n");
                }
                if (!p.segments.isEmpty()) {
                    sb.append("data: ").append(talk(p)).append("\n\n");
                }
                if (p.actionItems != null || p.actionNote != null) {
                    sb.append("data: ").append(actions(p)).append("\n\n");
                }
            }
            count = meetings.size();
            response.write(sb.toString());
            clients.add(client);
        }
        LOG.debug("Browser connected to the dashboard ({} meetings sent)", count);
    }

    /** Whether the board shows this meeting. */
    public synchronized boolean knows(String meetingId) {
        return meetings.containsKey(meetingId);
    }

    /**
     * The meeting's live action items as just listed ({@code name} and {@code action_item} each), with a note; sent to
     * every browser. Ignored for a meeting the board no longer shows.
     */
    public synchronized void actionItems(String meetingId, List<Map<String, String>> items, String note) {
        Panel p = meetings.get(meetingId);
        if (p == null) {
            return;
        }
        ArrayNode list = JSON.createArrayNode();
        for (Map<String, String> item : items) {
            list.addObject().put("name", item.get("name")).put("action_item", item.get("action_item"));
        }
        p.actionItems = list;
        p.actionNote = note;
        broadcast(actions(p));
    }

    /** A note about the last action item request of the meeting (e.g. why it was refused); sent to every browser. */
    public synchronized void actionNote(String meetingId, String note) {
        Panel p = meetings.get(meetingId);
        if (p == null) {
            return;
        }
        p.actionNote = note;
        broadcast(actions(p));
    }

    private static ObjectNode actions(Panel p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "actions");
        o.put("meeting", p.id);
        if (p.actionItems != null) {
            o.set("items", p.actionItems.deepCopy());
        }
        o.put("note", p.actionNote);
        return o;
    }

    /** Sends one update to every browser; called while holding the board, so that it follows the state sent on connect. */
    private void broadcast(ObjectNode update) {
        String text = "data: " + update + "\n\n";
        for (Client c : clients) {
            c.send(text);
        }
    }

    /** How many meetings the board shows. */
    public synchronized int meetingCount() {
        return meetings.size();
    }

    /** The state of a meeting's panel ({@code live}, {@code paused}, {@code ended}), or null. */
    public synchronized String state(String meetingId) {
        Panel p = meetings.get(meetingId);
        return p == null ? null : p.state;
    }

    /** The title of a meeting's panel, or null. */
    public synchronized String title(String meetingId) {
        Panel p = meetings.get(meetingId);
        return p == null ? null : p.title;
    }

    /** How many browsers are connected. */
    public int clients() {
        return clients.size();
    }

    /** Ends every browser's stream (on shutdown). */
    public void closeAll() {
        for (Client c : clients) {
            c.context().runOnContext(v -> {
                if (!c.response().ended() && !c.response().closed()) {
                    c.response().end();
                }
            });
        }
        clients.clear();
    }
}
