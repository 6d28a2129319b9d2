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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.github.camelfireflies.simulator.FirefliesSimulator.ScheduledMeeting;

/**
 * The objects of the GraphQL API as the simulator's state makes them, as {@code Map}s for the engine: transcripts (the
 * live ones with what they said so far), active meetings, the key's user. What a map leaves out, {@link ValueFiller}
 * makes up when a document asks for it.
 */
final class GraphQLData {

    /** The user the API key belongs to. */
    static final String USER_ID = "sim-user";
    static final String USER_EMAIL = "sim-user@example.com";
    static final String USER_NAME = "Simulated User";

    final GraphQLState state;
    final MeetingRegistry registry;
    final SimulatorControl control;
    final ApiRecords records;
    /** The simulator's HTTP base URL ({@code http://host:port}), known once it listens. */
    final Supplier<String> httpBase;

    GraphQLData(GraphQLState state, MeetingRegistry registry, SimulatorControl control, ApiRecords records,
                Supplier<String> httpBase) {
        this.state = state;
        this.registry = registry;
        this.control = control;
        this.records = records;
        this.httpBase = httpBase;
    }

    /** Every transcript id the simulator knows, not deleted: the schedule, the scripts, the meetings, uploads. */
    List<String> transcriptIds() {
        Set<String> ids = new LinkedHashSet<>();
        state.scheduled().forEach(m -> ids.add(m.id()));
        ids.addAll(registry.config().scripts().keySet());
        ids.addAll(new java.util.TreeSet<>(registry.meetingIds()));
        records.uploadedTranscripts().forEach(e -> ids.add(e.getKey()));
        ids.removeAll(records.deleted);
        ids.removeIf(registry.config()::isUnknownTranscript);
        return new ArrayList<>(ids);
    }

    /** {@code transcript(id)}, or null when the simulator does not know it (or it was deleted). */
    Map<String, Object> transcript(String id) {
        if (id == null || records.deleted.contains(id)) {
            return null;
        }
        Optional<GraphQLState.Transcript> known = state.transcript(id);
        String uploadedTitle = records.uploaded.get(id);
        if (known.isEmpty() && uploadedTitle == null) {
            return null;
        }
        Map<String, Object> t = ValueFiller.object("transcript:" + id);
        t.put("id", id);
        String organizer;
        if (known.isPresent()) {
            GraphQLState.Transcript k = known.get();
            t.put("title", k.title());
            organizer = k.organizerEmail();
            t.put("is_live", k.live());
            t.put("sentences", sentences(k.sentences()));
            t.put("speakers", speakers(k.sentences()));
        } else {
            t.put("title", uploadedTitle);
            organizer = USER_EMAIL;
            t.put("is_live", false);
        }
        t.put("organizer_email", organizer);
        t.put("host_email", organizer);
        ScheduledMeeting scheduled = state.scheduledMeeting(id);
        if (scheduled != null) {
            t.put("date", (double) state.instantOf(scheduled.start()).toEpochMilli());
            t.put("dateString", state.instantOf(scheduled.start()).toString());
            t.put("duration", scheduled.end() == null ? null
                    : (double) scheduled.end().minus(scheduled.start()).toSeconds() / 60.0);
            t.put("meeting_link", meetingLink(id));
        } else if (known.isPresent()) {
            // as before the schema was served: no date or duration for a meeting off the schedule
            t.put("date", null);
            t.put("duration", null);
        }
        t.put("transcript_url", "https://app.fireflies.ai/view/" + id);
        t.put("user", user(null));
        String title = records.titles.get(id);
        if (title != null) {
            t.put("title", title);
        }
        t.put("privacy", records.privacy.getOrDefault(id, "teammates"));
        String channel = records.channelOf.get(id);
        if (channel != null) {
            Map<String, Object> c = channel(channel);
            t.put("channels", List.of(c));
        }
        List<Map<String, Object>> shared = records.sharedWith.get(id);
        if (shared != null) {
            t.put("shared_with", List.copyOf(shared));
        }
        return t;
    }

    static String meetingLink(String id) {
        return "https://meet.example.invalid/" + id;
    }

    private static List<Map<String, Object>> sentences(List<LiveTranscript.Sentence> list) {
        List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (LiveTranscript.Sentence s : list) {
            Map<String, Object> o = ValueFiller.object("sentence:" + s.index());
            o.put("index", s.index());
            o.put("text", s.text());
            o.put("raw_text", s.text());
            o.put("speaker_name", s.speakerName());
            o.put("speaker_id", s.speakerId());
            o.put("start_time", s.startTime());
            o.put("end_time", s.endTime());
            o.put("ai_filters", null);
            out.add(o);
        }
        return out;
    }

    /** The speakers of the sentences, by speaker_id, in order of first appearance. */
    private static List<Map<String, Object>> speakers(List<LiveTranscript.Sentence> list) {
        Map<Integer, Map<String, Object>> out = new LinkedHashMap<>();
        for (LiveTranscript.Sentence s : list) {
            if (s.speakerId() != null && !out.containsKey(s.speakerId())) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("id", (double) s.speakerId());
                o.put("name", s.speakerName());
                out.put(s.speakerId(), o);
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The meetings in progress, as {@code active_meetings} lists them. */
    List<Map<String, Object>> activeMeetings(String email, List<String> states) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ScheduledMeeting m : state.activeMeetings()) {
            if ((email == null || email.equalsIgnoreCase(m.organizerEmail()))
                && (states == null || states.isEmpty() || states.contains(m.state()))) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("id", m.id());
                o.put("title", records.titles.getOrDefault(m.id(), m.title()));
                o.put("organizer_email", m.organizerEmail());
                o.put("meeting_link", meetingLink(m.id()));
                o.put("start_time", state.instantOf(m.start()).toString());
                o.put("end_time", null);
                o.put("privacy", records.privacy.getOrDefault(m.id(), "teammates"));
                o.put("state", m.state());
                list.add(o);
            }
        }
        return list;
    }

    /** The user of the API key ({@code id} null or {@value #USER_ID}), or a teammate made up from its id. */
    Map<String, Object> user(String id) {
        String uid = id == null ? USER_ID : id;
        Map<String, Object> u = ValueFiller.object("user:" + uid);
        u.put("user_id", uid);
        if (USER_ID.equals(uid)) {
            u.put("email", USER_EMAIL);
            u.put("name", USER_NAME);
            u.put("num_transcripts", (double) transcriptIds().size());
        }
        String role = records.roles.get(uid);
        u.put("is_admin", role == null ? USER_ID.equals(uid) : "admin".equals(role));
        return u;
    }

    /** A channel; {@code sim-channel-1} is the simulator's one channel, "General". */
    Map<String, Object> channel(String id) {
        Map<String, Object> c = ValueFiller.object("channel:" + id);
        c.put("id", id);
        if ("sim-channel-1".equals(id)) {
            c.put("title", "General");
            c.put("is_private", false);
        }
        return c;
    }

    /** A time on the simulator's clock, as the API writes times. */
    String now() {
        return state.instantOf(state.elapsed()).toString();
    }

    String inOneHour() {
        return state.instantOf(state.elapsed().plus(Duration.ofHours(1))).toString();
    }
}
