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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

/**
 * The data fetchers of the 18 mutations. Those that change something change the simulator's state, so that the
 * queries (and the realtime side) see it: {@code addToLiveMeeting} starts a meeting that {@code active_meetings} lists,
 * {@code updateMeetingState} pauses or resumes one, {@code createLiveActionItem} records what
 * {@code live_action_items} lists, {@code deleteTranscript} makes {@code transcript(id)} unknown, and so on. An unknown
 * meeting, transcript or thread is an {@code object_not_found} error.
 */
final class MutationFetchers {

    private final GraphQLData data;
    private final ApiRecords records;

    MutationFetchers(GraphQLData data) {
        this.data = data;
        this.records = data.records;
    }

    @SuppressWarnings("rawtypes") // the type graphql-java's TypeRuntimeWiring takes
    Map<String, DataFetcher> all() {
        Map<String, DataFetcher> f = new LinkedHashMap<>();
        f.put("updateMeetingTitle", env -> {
            Map<String, Object> in = env.getArgument("input");
            String id = (String) in.get("id");
            return ifTranscript(env, id, () -> records.titles.put(id, (String) in.get("title")));
        });
        f.put("updateMeetingPrivacy", env -> {
            Map<String, Object> in = env.getArgument("input");
            String id = (String) in.get("id");
            return ifTranscript(env, id, () -> records.privacy.put(id, (String) in.get("privacy")));
        });
        f.put("updateMeetingChannel", this::updateMeetingChannel);
        f.put("deleteTranscript", env -> {
            String id = env.getArgument("id");
            Map<String, Object> t = data.transcript(id);
            if (t == null) {
                return notFound(env, "Transcript not found");
            }
            records.deleted.add(id);
            return t;
        });
        f.put("addToLiveMeeting", this::addToLiveMeeting);
        f.put("uploadAudio", env -> {
            Map<String, Object> in = env.getArgument("input");
            if (in == null || in.get("url") == null) {
                return invalid(env, "input.url is required");
            }
            String title = in.get("title") != null ? (String) in.get("title") : "Uploaded audio";
            records.uploaded.put(records.nextId("upload"), title);
            return Map.of("success", true, "title", title,
                    "message", "Uploaded audio has been queued for processing.");
        });
        f.put("shareMeeting", this::shareMeeting);
        f.put("revokeSharedMeetingAccess", env -> {
            Map<String, Object> in = env.getArgument("input");
            String id = (String) in.get("meeting_id");
            if (data.transcript(id) == null) {
                return notFound(env, "Transcript not found");
            }
            List<Map<String, Object>> shared = records.sharedWith.get(id);
            boolean removed = shared != null && shared.removeIf(s -> s.get("email").equals(in.get("email")));
            return result(removed, removed ? "Access revoked" : "The meeting was not shared with " + in.get("email"));
        });
        f.put("setUserRole", env -> {
            String uid = env.getArgument("user_id");
            records.roles.put(uid, env.getArgument("role"));
            return data.user(uid);
        });
        f.put("createBite", this::createBite);
        f.put("createAskFredThread", env -> AskFred.create(data, env.getArgument("input")));
        f.put("continueAskFredThread", env -> {
            Map<String, Object> in = env.getArgument("input");
            Map<String, Object> answer = AskFred.answer(data, (String) in.get("thread_id"), (String) in.get("query"));
            return answer != null ? answer : notFound(env, "Thread not found");
        });
        f.put("deleteAskFredThread", env -> {
            Map<String, Object> t = records.threads.remove((String) env.getArgument("id"));
            return t != null ? t : notFound(env, "Thread not found");
        });
        f.put("updateMeetingState", this::updateMeetingState);
        f.put("createLiveActionItem", env -> {
            Map<String, Object> in = env.getArgument("input");
            String meetingId = (String) in.get("meeting_id");
            if (!isLive(meetingId)) {
                return notFound(env, "Meeting not found or not live");
            }
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", GraphQLData.USER_NAME);
            item.put("action_item", in.get("prompt"));
            records.addActionItem(meetingId, item);
            return Map.of("success", true);
        });
        f.put("createLiveSoundbite", env -> {
            Map<String, Object> in = env.getArgument("input");
            String meetingId = (String) in.get("meeting_id");
            if (!isLive(meetingId)) {
                return notFound(env, "Meeting not found or not live");
            }
            records.soundbites.add(Map.of("meeting_id", meetingId, "prompt", in.get("prompt")));
            return Map.of("success", true);
        });
        f.put("createUploadUrl", this::createUploadUrl);
        f.put("confirmUpload", this::confirmUpload);
        return f;
    }

    private Object updateMeetingChannel(DataFetchingEnvironment env) {
        Map<String, Object> in = env.getArgument("input");
        List<String> ids = QueryFetchers.strings(in.get("transcript_ids"));
        String channel = (String) in.get("channel_id");
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : ids) {
            if (data.transcript(id) == null) {
                return notFound(env, "Transcript not found: " + id);
            }
        }
        for (String id : ids) {
            records.channelOf.put(id, channel);
            out.add(data.transcript(id));
        }
        return out;
    }

    private Object addToLiveMeeting(DataFetchingEnvironment env) {
        String link = env.getArgument("meeting_link");
        Integer duration = env.getArgument("duration");
        if (link == null || !link.matches("https?://\\S+")) {
            return invalid(env, "meeting_link must be a meeting URL");
        }
        if (duration != null && (duration < 15 || duration > 120)) {
            return invalid(env, "duration must be between 15 and 120 minutes");
        }
        String title = env.getArgument("title");
        String id = records.nextId("live");
        data.control.startMeeting(id, title != null ? title : "Meeting " + id, GraphQLData.USER_EMAIL);
        return Map.of("success", true, "message", "Fireflies bot will join the meeting shortly");
    }

    private Object updateMeetingState(DataFetchingEnvironment env) {
        Map<String, Object> in = env.getArgument("input");
        String id = (String) in.get("meeting_id");
        String action = (String) in.get("action");
        if (!isLive(id)) {
            return notFound(env, "Meeting not found or not live");
        }
        data.control.setMeetingState(id, "pause_recording".equals(action) ? "paused" : "active");
        return Map.of("success", true, "action", action);
    }

    private Object shareMeeting(DataFetchingEnvironment env) {
        Map<String, Object> in = env.getArgument("input");
        String id = (String) in.get("meeting_id");
        if (data.transcript(id) == null) {
            return notFound(env, "Transcript not found");
        }
        Integer days = (Integer) in.get("expiry_days");
        List<Map<String, Object>> shared = records.sharedWith.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
        for (String email : QueryFetchers.strings(in.get("emails"))) {
            Map<String, Object> s = ValueFiller.object("shared:" + id + ":" + email);
            s.put("email", email);
            s.put("expires_at", days == null ? null : data.state.instantOf(data.state.elapsed()
                    .plus(java.time.Duration.ofDays(days))).toString());
            shared.add(s);
        }
        return result(true, "Meeting shared");
    }

    private Object createBite(DataFetchingEnvironment env) {
        String tid = env.getArgument("transcript_Id");
        if (data.transcript(tid) == null) {
            return notFound(env, "Transcript not found");
        }
        double start = ((Number) env.getArgument("start_time")).doubleValue();
        double end = ((Number) env.getArgument("end_time")).doubleValue();
        if (end <= start) {
            return invalid(env, "end_time must be after start_time");
        }
        String id = records.nextId("bite");
        Map<String, Object> b = ValueFiller.object("bite:" + id);
        b.put("id", id);
        b.put("transcript_id", tid);
        b.put("name", env.getArgument("name") != null ? env.getArgument("name") : "Bite " + id);
        b.put("user_id", GraphQLData.USER_ID);
        b.put("start_time", start);
        b.put("end_time", end);
        b.put("status", "pending");
        b.put("media_type", env.getArgument("media_type") != null ? env.getArgument("media_type") : "video");
        b.put("summary", env.getArgument("summary"));
        b.put("created_at", data.now());
        List<String> privacies = QueryFetchers.strings(env.getArgument("privacies"));
        b.put("privacies", privacies != null ? privacies : List.of("team"));
        records.bites.put(id, b);
        return b;
    }

    private Object createUploadUrl(DataFetchingEnvironment env) {
        Map<String, Object> in = env.getArgument("input");
        int size = (Integer) in.get("file_size");
        if (size <= 0 || size > UploadServlet.MAX_BYTES) {
            return invalid(env, "file_size must be between 1 and " + UploadServlet.MAX_BYTES + " bytes");
        }
        String meetingId = records.nextId("upload");
        String token = SimConnection.newId();
        String title = in.get("title") != null ? (String) in.get("title") : "Uploaded file";
        records.uploads.put(meetingId, new ApiRecords.Upload(meetingId, token, title, (String) in.get("content_type"),
                size));
        return Map.of("upload_url", data.httpBase.get() + UploadServlet.PATH + "/" + meetingId + "?token=" + token,
                "meeting_id", meetingId, "expires_at", data.inOneHour());
    }

    private Object confirmUpload(DataFetchingEnvironment env) {
        Map<String, Object> in = env.getArgument("input");
        ApiRecords.Upload u = records.uploads.get((String) in.get("meeting_id"));
        if (u == null) {
            return notFound(env, "Upload not found");
        }
        boolean ok = u.receivedBytes > 0;
        if (ok && !u.confirmed) {
            u.confirmed = true;
            records.uploaded.put(u.meetingId, u.title);
        }
        return Map.of("success", ok, "meeting_id", u.meetingId,
                "message", ok ? "Upload confirmed; the file is queued for processing"
                        : "No file was uploaded to the upload URL yet");
    }

    /** Whether a meeting is live now (in progress on the schedule, or a live meeting of the realtime side). */
    private boolean isLive(String id) {
        Map<String, Object> t = data.transcript(id);
        return t != null && Boolean.TRUE.equals(t.get("is_live"));
    }

    private Object ifTranscript(DataFetchingEnvironment env, String id, Runnable change) {
        if (data.transcript(id) == null) {
            return notFound(env, "Transcript not found");
        }
        change.run();
        return data.transcript(id);
    }

    private static Map<String, Object> result(boolean success, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", success);
        m.put("message", message);
        return m;
    }

    private static DataFetcherResult<Object> notFound(DataFetchingEnvironment env, String message) {
        return QueryFetchers.notFound(env, message);
    }

    /** An argument the API refuses: {@code invalid_arguments}. */
    static DataFetcherResult<Object> invalid(DataFetchingEnvironment env, String message) {
        return DataFetcherResult.newResult().data(null)
                .error(GraphqlErrorBuilder.newError(env).message(message)
                        .extensions(Map.of("code", "invalid_arguments", "status", 400)).build())
                .build();
    }
}
