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
package io.github.camelfireflies.api;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A transcript as GraphQL {@code transcript(id)} describes it once the meeting is over (Fireflies' {@code Transcript}
 * type, the documented fields the component asks for): what {@code fetchTranscript=true} puts in the body of a
 * {@code meeting.transcribed} exchange. Immutable; {@link #toJson()} writes the API's field names.
 *
 * @param id             the transcript id (the {@code meeting_id} of the webhooks)
 * @param title          its title, or null
 * @param dateMillis     {@code date}: when the meeting took place, epoch milliseconds, or null
 * @param durationMinutes {@code duration}: its length in minutes, or null
 * @param organizerEmail {@code organizer_email}, or null
 * @param participants   {@code participants}: the participants' e-mail addresses (empty when the API gave none)
 * @param transcriptUrl  {@code transcript_url}: where to read it in the Fireflies dashboard, or null
 * @param meetingLink    {@code meeting_link}, or null
 * @param speakers       {@code speakers}: who spoke, as the transcript names them
 * @param sentences      {@code sentences}: the processed transcript, in the API's order
 * @param summary        {@code summary}, or null when the API gave none (it may come later: meeting.summarized)
 */
public record Transcript(
        String id,
        String title,
        Long dateMillis,
        Double durationMinutes,
        String organizerEmail,
        List<String> participants,
        String transcriptUrl,
        String meetingLink,
        List<Speaker> speakers,
        List<TranscriptSentence> sentences,
        Summary summary) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One speaker of a transcript.
     *
     * @param id   the API's id of the speaker (text, as the API types vary), or null
     * @param name the name shown in the transcript, or null
     */
    public record Speaker(String id, String name) {
    }

    /**
     * What Fireflies' AI summary says (the fields of the API's {@code Summary} type that hold text).
     *
     * @param overview        {@code overview}, or null
     * @param shortSummary    {@code short_summary}, or null
     * @param actionItems     {@code action_items}, one item a line, or null
     * @param keywords        {@code keywords} (empty when the API gave none)
     * @param gist            {@code gist}, or null
     * @param bulletGist      {@code bullet_gist}, or null
     * @param outline         {@code outline}, or null
     * @param shorthandBullet {@code shorthand_bullet}, or null
     * @param notes           {@code notes}, or null
     * @param shortOverview   {@code short_overview}, or null
     * @param meetingType     {@code meeting_type}, or null
     * @param topicsDiscussed {@code topics_discussed} (empty when the API gave none)
     */
    public record Summary(String overview, String shortSummary, String actionItems, List<String> keywords, String gist,
            String bulletGist, String outline, String shorthandBullet, String notes, String shortOverview,
            String meetingType, List<String> topicsDiscussed) {

        public Summary {
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            topicsDiscussed = topicsDiscussed == null ? List.of() : List.copyOf(topicsDiscussed);
        }

        /** The four fields {@code transcript(id)} is asked for by {@code fetchTranscript=true}; the others null. */
        public Summary(String overview, String shortSummary, String actionItems, List<String> keywords) {
            this(overview, shortSummary, actionItems, keywords, null, null, null, null, null, null, null, null);
        }
    }

    public Transcript {
        Objects.requireNonNull(id, "id");
        participants = participants == null ? List.of() : List.copyOf(participants);
        speakers = speakers == null ? List.of() : List.copyOf(speakers);
        sentences = sentences == null ? List.of() : List.copyOf(sentences);
    }

    /** The sentences as text, one {@code speaker: text} line each (a line without a speaker has none). */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (TranscriptSentence s : sentences) {
            if (s.speakerName() != null && !s.speakerName().isEmpty()) {
                b.append(s.speakerName()).append(": ");
            }
            b.append(s.text()).append('\n');
        }
        return b.toString();
    }

    /** JSON with the API's field names ({@code organizer_email}, {@code speaker_name}, ...). */
    public String toJson() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", id);
        o.put("title", title);
        if (dateMillis == null) {
            o.putNull("date");
        } else {
            o.put("date", dateMillis);
        }
        if (durationMinutes == null) {
            o.putNull("duration");
        } else {
            o.put("duration", durationMinutes);
        }
        o.put("organizer_email", organizerEmail);
        ArrayNode p = o.putArray("participants");
        participants.forEach(p::add);
        o.put("transcript_url", transcriptUrl);
        o.put("meeting_link", meetingLink);
        ArrayNode sp = o.putArray("speakers");
        for (Speaker s : speakers) {
            sp.addObject().put("id", s.id()).put("name", s.name());
        }
        ArrayNode se = o.putArray("sentences");
        for (TranscriptSentence s : sentences) {
            ObjectNode n = se.addObject();
            putInt(n, "index", s.index());
            n.put("text", s.text());
            n.put("raw_text", s.rawText());
            n.put("speaker_name", s.speakerName());
            putInt(n, "speaker_id", s.speakerId());
            putDouble(n, "start_time", s.startTime());
            putDouble(n, "end_time", s.endTime());
        }
        if (summary == null) {
            o.putNull("summary");
        } else {
            ObjectNode su = o.putObject("summary");
            su.put("overview", summary.overview());
            su.put("short_summary", summary.shortSummary());
            su.put("action_items", summary.actionItems());
            ArrayNode k = su.putArray("keywords");
            summary.keywords().forEach(k::add);
            putIfSet(su, "gist", summary.gist());
            putIfSet(su, "bullet_gist", summary.bulletGist());
            putIfSet(su, "outline", summary.outline());
            putIfSet(su, "shorthand_bullet", summary.shorthandBullet());
            putIfSet(su, "notes", summary.notes());
            putIfSet(su, "short_overview", summary.shortOverview());
            putIfSet(su, "meeting_type", summary.meetingType());
            if (!summary.topicsDiscussed().isEmpty()) {
                ArrayNode t = su.putArray("topics_discussed");
                summary.topicsDiscussed().forEach(t::add);
            }
        }
        return o.toString();
    }

    /** Only the fields the API gave: JSON of a webhook's transcript stays as it was. */
    private static void putIfSet(ObjectNode n, String field, String v) {
        if (v != null) {
            n.put(field, v);
        }
    }

    private static void putInt(ObjectNode n, String field, Integer v) {
        if (v == null) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }

    private static void putDouble(ObjectNode n, String field, Double v) {
        if (v == null) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }

    @Override
    public String toString() {
        return "Transcript[" + id + ", " + title + ", " + sentences.size() + " sentences]";
    }
}
