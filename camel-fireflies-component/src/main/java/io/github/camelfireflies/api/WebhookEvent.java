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

import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One verified webhook delivery. Immutable; serialized with the field names of Fireflies' webhooks V2
 * ({@code event}, {@code timestamp}, {@code meeting_id}, {@code client_reference_id}), whichever version it came in.
 *
 * @param event             the event name, e.g. {@value #MEETING_TRANSCRIBED}; a V1 "Transcription completed" is
 *                          {@value #MEETING_TRANSCRIBED}. Names this class does not know are kept as they came
 * @param timestamp         when Fireflies says it happened, epoch milliseconds, or null when the delivery did not say
 *                          (V1 never does)
 * @param transcriptId      the transcript (meeting) id, {@code meeting_id} in the payload
 * @param clientReferenceId the client reference id given when the meeting was uploaded or joined, or null
 * @param version           the webhook scheme it came in: 1 (legacy) or 2. Not serialized
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({ "event", "timestamp", "meeting_id", "client_reference_id" })
public record WebhookEvent(
        @JsonProperty("event") String event,
        @JsonProperty("timestamp") Long timestamp,
        @JsonProperty("meeting_id") String transcriptId,
        @JsonProperty("client_reference_id") String clientReferenceId,
        @JsonIgnore int version) {

    /** V2: the Fireflies bot joined a meeting; the meeting is starting to be transcribed. */
    public static final String MEETING_BOT_JOINED = "meeting.bot_joined";
    /** V2 (and V1's "Transcription completed"): the transcript is ready. */
    public static final String MEETING_TRANSCRIBED = "meeting.transcribed";
    /** V2: the summary is ready. */
    public static final String MEETING_SUMMARIZED = "meeting.summarized";
    /** The event names known to this version of the component. Fireflies may add others. */
    public static final Set<String> KNOWN_EVENTS = Set.of(MEETING_BOT_JOINED, MEETING_TRANSCRIBED, MEETING_SUMMARIZED);

    public WebhookEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(transcriptId, "transcriptId");
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("Webhook version must be 1 or 2, not " + version);
        }
    }

    /** Whether {@link #event} is one of {@link #KNOWN_EVENTS}. */
    @JsonIgnore
    public boolean isKnownEvent() {
        return KNOWN_EVENTS.contains(event);
    }

    /** JSON with the V2 field names (the version is not part of it). */
    public String toJson() {
        return ApiJson.write(this, "the webhook event " + event);
    }
}
