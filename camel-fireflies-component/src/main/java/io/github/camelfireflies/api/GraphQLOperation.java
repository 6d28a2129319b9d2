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

/**
 * What {@code to("fireflies:graphql")} runs: a document of your own ({@code query}), or one of the API's operations,
 * named exactly as the API's schema names the field of {@code Query} or {@code Mutation}. {@code activeMeetings} is
 * the earlier name of {@code active_meetings} and keeps its earlier result (a List of Maps).
 */
public enum GraphQLOperation {
    /** The GraphQL document in the body, with variables from the {@code CamelFirefliesGraphQLVariables} header. */
    query,
    /** The meetings in progress ({@code active_meetings}) as a List of Maps: the earlier name, kept. */
    activeMeetings,

    // queries
    /** Query {@code transcripts}: transcripts by filters, offset-paged ({@code limit} at most 50, {@code skip}). */
    transcripts,
    /** Query {@code transcript(id)}: one transcript with its sentences. */
    transcript,
    /** Query {@code user(id)}: a user, the key's own without an id. */
    user,
    /** Query {@code users}: the team's users. */
    users,
    /** Query {@code user_groups(mine)}. */
    user_groups,
    /** Query {@code active_meetings(input)}: the meetings in progress, typed. */
    active_meetings,
    /** Query {@code live_action_items(meeting_id)}. */
    live_action_items,
    /** Query {@code bites}: soundbites, offset-paged. */
    bites,
    /** Query {@code bite(id)}. */
    bite,
    /** Query {@code apps}: AI app outputs. */
    apps,
    /** Query {@code channels}. */
    channels,
    /** Query {@code channel(id)}. */
    channel,
    /** Query {@code contacts}. */
    contacts,
    /** Query {@code analytics(start_time, end_time)}. */
    analytics,
    /** Query {@code askfred_threads(transcript_id)}. */
    askfred_threads,
    /** Query {@code askfred_thread(id)}. */
    askfred_thread,
    /** Query {@code rule_executions_by_meeting}: cursor-paged. */
    rule_executions_by_meeting,

    // mutations
    /** Mutation {@code addToLiveMeeting}: send the Fireflies bot to a meeting (3 per 20 minutes). */
    addToLiveMeeting,
    /** Mutation {@code updateMeetingState}: pause or resume the recording (10 an hour). */
    updateMeetingState,
    /** Mutation {@code createLiveActionItem} (10 an hour). */
    createLiveActionItem,
    /** Mutation {@code createLiveSoundbite} (10 an hour). */
    createLiveSoundbite,
    /**
     * Mutation {@code uploadAudio}: Fireflies fetches a recording from a URL. With a File, Path, InputStream or byte[]
     * body: uploads it ({@code createUploadUrl}, the PUT, {@code confirmUpload}).
     */
    uploadAudio,
    /** Mutation {@code createUploadUrl}: where to PUT a recording. */
    createUploadUrl,
    /** Mutation {@code confirmUpload}: the PUT is done. */
    confirmUpload,
    /** Mutation {@code deleteTranscript(id)}. */
    deleteTranscript,
    /** Mutation {@code updateMeetingTitle}. */
    updateMeetingTitle,
    /** Mutation {@code updateMeetingPrivacy}. */
    updateMeetingPrivacy,
    /** Mutation {@code updateMeetingChannel}. */
    updateMeetingChannel,
    /** Mutation {@code shareMeeting}. */
    shareMeeting,
    /** Mutation {@code revokeSharedMeetingAccess}. */
    revokeSharedMeetingAccess,
    /** Mutation {@code setUserRole}. */
    setUserRole,
    /** Mutation {@code createBite} (its transcript argument is {@code transcript_Id}, capital I). */
    createBite,
    /** Mutation {@code createAskFredThread}. */
    createAskFredThread,
    /** Mutation {@code continueAskFredThread}. */
    continueAskFredThread,
    /** Mutation {@code deleteAskFredThread}. */
    deleteAskFredThread;

    /** The schema's field name this runs, or null for {@code query}. */
    public String fieldName() {
        return switch (this) {
            case query -> null;
            case activeMeetings -> "active_meetings";
            default -> name();
        };
    }
}
