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
package io.github.camelfireflies;

import org.apache.camel.spi.Metadata;

/** The headers the Fireflies consumer sets. */
public final class FirefliesConstants {

    @Metadata(label = "consumer", description = "The Socket.IO event name, e.g. `transcription.broadcast` or `auth.success`.",
              javaType = "String")
    public static final String EVENT = "CamelFirefliesEvent";

    @Metadata(label = "consumer,producer",
              description = "The transcript id of the meeting the event belongs to. With `graphql`: the transcript id of"
                            + " the operations that take one (`transcript`, `deleteTranscript`, `bites`, `createBite`,"
                            + " `updateMeetingTitle`, ...), overriding the `transcriptId` option.",
              javaType = "String")
    public static final String TRANSCRIPT_ID = "CamelFirefliesTranscriptId";

    @Metadata(label = "consumer", description = "The chunk id of a transcription event; the same for every revision of a segment.",
              javaType = "String")
    public static final String CHUNK_ID = "CamelFirefliesChunkId";

    @Metadata(label = "consumer", description = "The speaker's name of a transcription event, when the server names one.", javaType = "String")
    public static final String SPEAKER_NAME = "CamelFirefliesSpeakerName";

    @Metadata(label = "consumer", description = "Start of the segment, in seconds from the start of the meeting.", javaType = "Double")
    public static final String START_TIME = "CamelFirefliesStartTime";

    @Metadata(label = "consumer", description = "End of the segment, in seconds from the start of the meeting.", javaType = "Double")
    public static final String END_TIME = "CamelFirefliesEndTime";

    @Metadata(label = "consumer", description = "Set to `true` on the first exchange after the connection was lost and made again: "
                            + "the server replays nothing, so events sent meanwhile may be missing.",
              javaType = "Boolean")
    public static final String RECONNECTED = "CamelFirefliesReconnected";

    @Metadata(label = "consumer", description = "With `CamelFirefliesReconnected`: how long the connection was down, in milliseconds.",
              javaType = "Long")
    public static final String GAP_MILLIS = "CamelFirefliesGapMillis";

    @Metadata(label = "consumer",
              description = "On every transcription exchange: which arrival of its chunk id the text came with, 1 for"
                            + " the first sighting, then 2, 3 and so on (exact repeats count too).",
              javaType = "Integer")
    public static final String CHUNK_REVISION = "CamelFirefliesChunkRevision";

    @Metadata(label = "consumer",
              description = "On every transcription exchange: `true` when the segment is taken to be finished (only with"
                            + " emit=final, where finality is inferred, see finalizeAfter), else `false`.",
              javaType = "Boolean")
    public static final String CHUNK_FINAL = "CamelFirefliesChunkFinal";

    @Metadata(label = "consumer",
              description = "On every transcription exchange: `true` when the segment had already been emitted as final"
                            + " and a later revision changed its text (emit=final only), else `false`.",
              javaType = "Boolean")
    public static final String CORRECTION = "CamelFirefliesCorrection";

    @Metadata(label = "consumer",
              description = "Set to `true` on a transcription exchange whose text came from the GraphQL backfill (see"
                            + " the `backfill` option) instead of the socket: a segment spoken while the connection was"
                            + " down or before the consumer joined (with a chunk id such as `backfill-12340-alice`: its"
                            + " start in milliseconds and its speaker), or the rest of a segment received only in part"
                            + " (with its own chunk id). Absent otherwise.",
              javaType = "Boolean")
    public static final String BACKFILL = "CamelFirefliesBackfill";

    @Metadata(label = "consumer", description = "With `meetings`: the title of the meeting the event belongs to.",
              javaType = "String")
    public static final String MEETING_TITLE = "CamelFirefliesMeetingTitle";

    @Metadata(label = "consumer", description = "With `meetings`: the organizer's e-mail of the meeting the event belongs to.",
              javaType = "String")
    public static final String ORGANIZER_EMAIL = "CamelFirefliesOrganizerEmail";

    @Metadata(label = "consumer", description = "With `meetings`: the meeting's state when it was last polled, `active` or `paused`.",
              javaType = "String")
    public static final String MEETING_STATE = "CamelFirefliesMeetingState";

    @Metadata(label = "producer", description = "With `graphql` and `operation=query`: the query's variables, a Map or JSON text.",
              javaType = "Object")
    public static final String GRAPHQL_VARIABLES = "CamelFirefliesGraphQLVariables";

    @Metadata(label = "producer",
              description = "With `graphql` and `operation=activeMeetings` or `active_meetings`: whose meetings,"
                            + " overriding the `email` option.",
              javaType = "String")
    public static final String EMAIL = "CamelFirefliesEmail";

    @Metadata(label = "producer",
              description = "With `graphql` and `operation=activeMeetings` or `active_meetings`: the meeting states,"
                            + " comma-separated,"
                            + " overriding the `states` option.",
              javaType = "String")
    public static final String STATES = "CamelFirefliesStates";

    @Metadata(label = "producer",
              description = "With `graphql` and an operation of the API: its arguments, a Map keyed by the schema's"
                            + " argument names (or JSON text); for an operation whose only argument is `input`, the"
                            + " input object itself. When set, the body is not read for arguments (an upload's body is"
                            + " the recording, and this header its `createUploadUrl` input: `title`, ...).",
              javaType = "Object")
    public static final String GRAPHQL_ARGUMENTS = "CamelFirefliesGraphQLArguments";

    @Metadata(label = "producer", description = "With `graphql` and an operation of the API: the fields to select,"
                                                + " overriding the `fields` option.",
              javaType = "String")
    public static final String GRAPHQL_FIELDS = "CamelFirefliesGraphQLFields";

    @Metadata(label = "producer", description = "With `graphql`: the meeting id of the operations that take a"
                                                + " `meeting_id`, overriding the `meetingId` option. After an upload:"
                                                + " the new meeting's id.",
              javaType = "String")
    public static final String MEETING_ID = "CamelFirefliesMeetingId";

    @Metadata(label = "producer", description = "With `graphql` and a paged operation: gather at most this many"
                                                + " items, overriding the `maxResults` option (0: all pages).",
              javaType = "Integer")
    public static final String MAX_RESULTS = "CamelFirefliesMaxResults";

    @Metadata(label = "consumer", description = "With `webhook:fireflies:events` (and the webhook events routed by"
                                                + " `fireflies:meetings` with `webhookPath`): the version of the webhook scheme the"
                                                + " delivery came in, 2 (V2) or 1 (V1, legacy).",
              javaType = "Integer")
    public static final String WEBHOOK_VERSION = "CamelFirefliesWebhookVersion";

    @Metadata(label = "consumer", description = "With `fetchTranscript=true`, on a `meeting.transcribed` exchange: the"
                                                + " webhook event (a `WebhookEvent`: event, timestamp, transcript id,"
                                                + " client reference id), since the body is the transcript.",
              javaType = "io.github.camelfireflies.api.WebhookEvent")
    public static final String WEBHOOK_EVENT = "CamelFirefliesWebhookEvent";

    @Metadata(label = "consumer", description = "With `fetchTranscript=true`, on a `meeting.transcribed` exchange whose"
                                                + " transcript could not be fetched (rate limited, unknown, failed, or no"
                                                + " answer within `fetchTimeout`): why, never the key. The body is then"
                                                + " the `WebhookEvent`. Absent when the body is the transcript.",
              javaType = "String")
    public static final String TRANSCRIPT_ERROR = "CamelFirefliesTranscriptError";

    @Metadata(label = "consumer", description = "With `CamelFirefliesTranscriptError`, when the GraphQL API is rate"
                                                + " limiting the key (HTTP 429): how long it refuses calls, in"
                                                + " milliseconds (its Retry-After).",
              javaType = "Long")
    public static final String RETRY_AFTER = "CamelFirefliesRetryAfter";

    private FirefliesConstants() {
    }
}
