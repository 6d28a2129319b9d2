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
package io.github.camelfireflies.internal.graphql;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.camelfireflies.internal.graphql.OperationSpec.Kind;
import io.github.camelfireflies.internal.graphql.OperationSpec.Paging;

import static io.github.camelfireflies.internal.graphql.OperationSpec.Kind.MUTATION;
import static io.github.camelfireflies.internal.graphql.OperationSpec.Kind.QUERY;
import static io.github.camelfireflies.internal.graphql.OperationSpec.Paging.CURSOR;
import static io.github.camelfireflies.internal.graphql.OperationSpec.Paging.NONE;
import static io.github.camelfireflies.internal.graphql.OperationSpec.Paging.OFFSET;

/**
 * Every operation of the Fireflies GraphQL API, with the input types and enums its arguments use, written as the API's
 * schema writes them (introspected from the API; the copy is the simulator's resource
 * {@code fireflies-schema.graphql}, where a test proves this catalogue equals it). What the component needs to build documents and to refuse a bad argument
 * before any request, without a GraphQL library at run time. Also the default selection of each operation.
 */
public final class Catalogue {

    /** The scalars: String, ID, Int, Float, Boolean, and the API's DateTime (ISO-8601 text, UTC). */
    public static final Set<String> SCALARS = Set.of("String", "ID", "Int", "Float", "Boolean", "DateTime");

    // default selections of the types several operations return
    static final String TRANSCRIPT_LIST = "id title date dateString duration organizer_email host_email participants"
                                          + " transcript_url meeting_link is_live privacy";
    static final String TRANSCRIPT_SENTENCES = "id title organizer_email date duration transcript_url"
                                               + " sentences { index speaker_name text raw_text start_time end_time }";
    static final String USER = "user_id email name integrations is_admin is_calendar_in_sync num_transcripts"
                               + " minutes_consumed recent_transcript recent_meeting";
    static final String BITE = "id transcript_id name start_time end_time status summary summary_status media_type"
                               + " created_at user_id thumbnail preview privacies";
    static final String CHANNEL = "id title is_private created_at updated_at created_by members { user_id email name }";
    static final String THREAD = "id title transcript_id user_id created_at";
    static final String ANALYTICS = "team { meeting { count duration average_count average_duration }"
                                    + " conversation { total_meetings_count teammates_count average_talk_listen_ratio"
                                    + " average_words_per_minute } }"
                                    + " users { user_id user_name user_email meeting { count duration }"
                                    + " conversation { talk_listen_ratio user_word_count user_words_per_minute } }";
    static final String RULE_EXECUTIONS = "meetings { meeting_id meeting { id title organizer_email }"
                                          + " executions { extension_id extension_title stopped_at user_name } }"
                                          + " has_more next_cursor";
    static final String MESSAGE = "id thread_id query answer suggested_queries status created_at updated_at";

    private static final Map<String, OperationSpec> OPERATIONS = new LinkedHashMap<>();
    private static final Map<String, Map<String, TypeRef>> INPUTS = new LinkedHashMap<>();
    private static final Map<String, List<String>> ENUMS = new LinkedHashMap<>();
    /** Documented bounds of Int arguments (not in the schema): operation.argument to {min, max}. */
    private static final Map<String, int[]> BOUNDS = Map.of(
            "transcripts.limit", new int[] { 1, 50 },
            "bites.limit", new int[] { 1, 50 },
            "addToLiveMeeting.duration", new int[] { 15, 120 });

    static {
        // queries
        op(QUERY, "transcripts", "[Transcript!]", OFFSET, TRANSCRIPT_LIST,
                "title: String", "keyword: String", "scope: String", "date: Float", "fromDate: DateTime",
                "toDate: DateTime", "limit: Int = 50", "skip: Int = 0", "user_id: String", "mine: Boolean",
                "organizers: [String!]", "participants: [String!]", "channel_id: String", "host_email: String",
                "organizer_email: String", "participant_email: String");
        op(QUERY, "transcript", "Transcript", NONE, TRANSCRIPT_SENTENCES, "id: String!");
        op(QUERY, "user", "User", NONE, USER, "id: String");
        op(QUERY, "users", "[User!]", NONE, USER);
        op(QUERY, "user_groups", "[UserGroup!]", NONE, "id name handle members { user_id first_name last_name email }",
                "mine: Boolean");
        op(QUERY, "active_meetings", "[ActiveMeeting!]", NONE,
                "id title organizer_email meeting_link start_time end_time privacy state",
                "input: GetActiveMeetingsInput");
        op(QUERY, "live_action_items", "[LiveActionItem!]!", NONE, "name action_item", "meeting_id: ID!");
        op(QUERY, "bites", "[Bite!]!", OFFSET, BITE,
                "mine: Boolean", "transcript_id: ID", "limit: Int", "my_team: Boolean", "skip: Int");
        op(QUERY, "bite", "Bite", NONE,
                BITE + " captions { index speaker_id speaker_name text start_time end_time } sources { src type }",
                "id: ID!");
        op(QUERY, "apps", "Apps", NONE, "outputs { transcript_id user_id app_id created_at title prompt response }",
                "app_id: String", "transcript_id: String", "skip: Float", "limit: Float");
        op(QUERY, "channels", "[Channel!]!", NONE, CHANNEL);
        op(QUERY, "channel", "Channel", NONE, CHANNEL, "id: ID!");
        op(QUERY, "contacts", "[Contact!]!", NONE, "email name picture last_meeting_date");
        op(QUERY, "analytics", "Analytics!", NONE, ANALYTICS, "start_time: String", "end_time: String");
        op(QUERY, "askfred_threads", "[AskFredThreadSummary!]", NONE, THREAD, "transcript_id: String");
        op(QUERY, "askfred_thread", "AskFredThread", NONE, THREAD + " messages { " + MESSAGE + " }", "id: String!");
        op(QUERY, "rule_executions_by_meeting", "RuleExecutionsByMeetingResponse!", CURSOR, RULE_EXECUTIONS,
                "limit: Int = 10", "cursor: String", "logs_per_meeting: Int = 5", "filters: RuleExecutionFiltersInput");
        // mutations
        op(MUTATION, "updateMeetingTitle", "Transcript!", NONE, "id title", "input: UpdateMeetingTitleInput!");
        op(MUTATION, "updateMeetingPrivacy", "Transcript!", NONE, "id title privacy",
                "input: UpdateMeetingPrivacyInput!");
        op(MUTATION, "updateMeetingChannel", "[Transcript!]!", NONE, "id title channels { id title }",
                "input: UpdateMeetingChannelInput!");
        op(MUTATION, "deleteTranscript", "Transcript!", NONE, "id title date", "id: String!");
        op(MUTATION, "addToLiveMeeting", "AddToLiveMeeting!", NONE, "success message",
                "meeting_link: String!", "title: String", "meeting_password: String", "duration: Int",
                "language: String", "attendees: [AttendeeInput!]");
        op(MUTATION, "uploadAudio", "AudioUploadStatus!", NONE, "success title message", "input: AudioUploadInput");
        op(MUTATION, "shareMeeting", "ShareMeetingResponse!", NONE, "success message", "input: ShareMeetingInput!");
        op(MUTATION, "revokeSharedMeetingAccess", "RevokeSharedMeetingAccessResponse!", NONE, "success message",
                "input: RevokeSharedMeetingAccessInput!");
        op(MUTATION, "setUserRole", "User!", NONE, "user_id email name is_admin", "user_id: String!", "role: Role!");
        op(MUTATION, "createBite", "Bite!", NONE, BITE,
                "transcript_Id: ID!", "name: String", "start_time: Float!", "end_time: Float!", "media_type: String",
                "privacies: [BitePrivacy!]", "summary: String");
        op(MUTATION, "continueAskFredThread", "AskFredResponse!", NONE, "message { " + MESSAGE + " } cost",
                "input: ContinueAskFredThreadInput!");
        op(MUTATION, "createAskFredThread", "AskFredResponse!", NONE, "message { " + MESSAGE + " } cost",
                "input: CreateAskFredThreadInput!");
        op(MUTATION, "deleteAskFredThread", "AskFredThread!", NONE, THREAD, "id: String!");
        op(MUTATION, "updateMeetingState", "UpdateMeetingStateResult!", NONE, "success action",
                "input: UpdateMeetingStateInput!");
        op(MUTATION, "createLiveActionItem", "CreateLiveActionItemResult!", NONE, "success",
                "input: CreateLiveActionItemInput!");
        op(MUTATION, "createLiveSoundbite", "CreateLiveSoundbiteResult!", NONE, "success",
                "input: CreateLiveSoundbiteInput!");
        op(MUTATION, "createUploadUrl", "UploadUrlResponse!", NONE, "upload_url meeting_id expires_at",
                "input: CreateUploadUrlInput!");
        op(MUTATION, "confirmUpload", "ConfirmUploadResponse!", NONE, "success meeting_id message",
                "input: ConfirmUploadInput!");

        input("GetActiveMeetingsInput", "email: String", "states: [MeetingState!]");
        input("RuleExecutionFiltersInput", "rule_id: String", "meeting_id: String", "date_from: String",
                "date_to: String", "is_test: Boolean");
        input("UpdateMeetingTitleInput", "title: String!", "id: String!");
        input("UpdateMeetingPrivacyInput", "id: ID!", "privacy: MeetingPrivacy!");
        input("UpdateMeetingChannelInput", "transcript_ids: [String!]!", "channel_id: ID!");
        input("AttendeeInput", "email: String", "phoneNumber: String", "displayName: String");
        input("AudioUploadInput", "url: String!", "webhook: String", "title: String", "attendees: [AttendeeInput!]",
                "custom_language: String", "client_reference_id: String", "save_video: Boolean",
                "bypass_size_check: Boolean", "download_auth: DownloadAuthInput");
        input("DownloadAuthInput", "type: DownloadAuthType!", "bearer: BearerTokenAuthInput", "basic: BasicAuthInput");
        input("BearerTokenAuthInput", "token: String!");
        input("BasicAuthInput", "username: String", "password: String!");
        input("ShareMeetingInput", "meeting_id: ID!", "emails: [String!]!", "expiry_days: Int");
        input("RevokeSharedMeetingAccessInput", "meeting_id: ID!", "email: String!");
        input("ContinueAskFredThreadInput", "thread_id: String!", "query: String!", "response_language: String",
                "format_mode: FormatMode");
        input("CreateAskFredThreadInput", "query: String!", "transcript_id: String",
                "filters: AskFredMeetingFiltersInput", "response_language: String", "format_mode: FormatMode");
        input("AskFredMeetingFiltersInput", "start_time: String", "end_time: String", "channel_ids: [String!]",
                "organizers: [String!]", "participants: [String!]", "transcript_ids: [String!]");
        input("UpdateMeetingStateInput", "meeting_id: ID!", "action: MeetingStateAction!");
        input("CreateLiveActionItemInput", "meeting_id: ID!", "prompt: String!");
        input("CreateLiveSoundbiteInput", "meeting_id: ID!", "prompt: String!");
        input("CreateUploadUrlInput", "title: String", "content_type: String!", "file_size: Int!",
                "custom_language: String", "attendees: [AttendeeInput!]");
        input("ConfirmUploadInput", "meeting_id: String!");

        enumType("MeetingState", "active", "paused");
        enumType("MeetingPrivacy", "link", "owner", "participants", "teammatesandparticipants", "teammates");
        enumType("DownloadAuthType", "none", "bearer_token", "basic_auth");
        enumType("Role", "admin", "user");
        enumType("BitePrivacy", "public", "team", "participants");
        enumType("FormatMode", "markdown", "plaintext");
        enumType("MeetingStateAction", "pause_recording", "resume_recording");
    }

    private Catalogue() {
    }

    private static void op(Kind kind, String name, String returns, Paging paging, String selection, String... args) {
        OPERATIONS.put(name, OperationSpec.of(kind, name, returns, paging, selection, args));
    }

    private static void input(String name, String... fields) {
        Map<String, TypeRef> map = new LinkedHashMap<>();
        for (String f : fields) {
            OperationSpec.Argument a = OperationSpec.argument(f);
            map.put(a.name(), a.type());
        }
        INPUTS.put(name, map);
    }

    private static void enumType(String name, String... values) {
        ENUMS.put(name, List.of(values));
    }

    /** Every operation, queries first, by the schema's field name. */
    public static Collection<OperationSpec> operations() {
        return OPERATIONS.values();
    }

    /** The operation of that schema field name, or null. */
    public static OperationSpec operation(String name) {
        return OPERATIONS.get(name);
    }

    /** The fields of an input type by name, or null when there is no such input type. */
    public static Map<String, TypeRef> inputType(String name) {
        return INPUTS.get(name);
    }

    /** The input types the arguments use, by name. */
    public static Map<String, Map<String, TypeRef>> inputTypes() {
        return INPUTS;
    }

    /** The values of an enum the arguments use, or null. */
    public static List<String> enumValues(String name) {
        return ENUMS.get(name);
    }

    /** The enums the arguments use, by name. */
    public static Map<String, List<String>> enums() {
        return ENUMS;
    }

    /** The documented {min, max} of an Int argument ({@code transcripts.limit}: 1 to 50), or null. */
    static int[] bounds(String operation, String argument) {
        return BOUNDS.get(operation + "." + argument);
    }
}
