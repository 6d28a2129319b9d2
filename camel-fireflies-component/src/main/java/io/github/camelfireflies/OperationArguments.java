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

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.internal.graphql.OperationSpec;
import org.apache.camel.Message;

/**
 * Where the arguments of an operation come from in an exchange: the {@code CamelFirefliesGraphQLArguments} header,
 * else a Map (or JSON object text) body; then the common ids from headers or options fill the arguments that are not
 * given ({@code CamelFirefliesTranscriptId} / {@code transcriptId}, {@code CamelFirefliesMeetingId} /
 * {@code meetingId}, and {@code email} / {@code states} for {@code active_meetings}).
 */
final class OperationArguments {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** Where a transcript id goes, by operation ({@code input.x}: a field of the input object). */
    static final Map<String, String> TRANSCRIPT_ID = Map.of(
            "transcript", "id", "deleteTranscript", "id", "bites", "transcript_id", "apps", "transcript_id",
            "askfred_threads", "transcript_id", "createBite", "transcript_Id", "updateMeetingTitle", "input.id",
            "updateMeetingPrivacy", "input.id", "createAskFredThread", "input.transcript_id");

    /** Where a meeting id goes, by operation. */
    static final Map<String, String> MEETING_ID = Map.of(
            "live_action_items", "meeting_id", "updateMeetingState", "input.meeting_id",
            "createLiveActionItem", "input.meeting_id", "createLiveSoundbite", "input.meeting_id",
            "shareMeeting", "input.meeting_id", "revokeSharedMeetingAccess", "input.meeting_id",
            "confirmUpload", "input.meeting_id");

    private OperationArguments() {
    }

    /**
     * The arguments of {@code op} for this message.
     *
     * @param readBody whether a Map body may hold them (not for an upload, whose body is the recording)
     */
    static Map<String, Object> of(OperationSpec op, Message in, boolean readBody, String transcriptId,
                                  String meetingId, String email, List<String> states) throws Exception {
        String tid = in.getHeader(FirefliesConstants.TRANSCRIPT_ID, transcriptId, String.class);
        Object header = in.getHeader(FirefliesConstants.GRAPHQL_ARGUMENTS);
        Map<String, Object> args;
        if (header != null) {
            args = map(header, FirefliesConstants.GRAPHQL_ARGUMENTS);
        } else if (readBody && !(op.name().equals("transcript") && tid != null)) {
            // (transcript with an id from the header or option reads no body, as before)
            args = body(in.getBody());
        } else {
            args = new LinkedHashMap<>();
        }
        if (op.takesInputOnly() && !(args.size() == 1 && args.containsKey("input")) && !args.isEmpty()) {
            Map<String, Object> wrapped = new LinkedHashMap<>();
            wrapped.put("input", args); // the Map is the input object itself
            args = wrapped;
        }
        fill(args, TRANSCRIPT_ID.get(op.name()), tid);
        fill(args, MEETING_ID.get(op.name()), in.getHeader(FirefliesConstants.MEETING_ID, meetingId, String.class));
        if (op.name().equals("active_meetings")) {
            fill(args, "input.email", in.getHeader(FirefliesConstants.EMAIL, email, String.class));
            String statesHeader = in.getHeader(FirefliesConstants.STATES, String.class);
            List<String> which = statesHeader == null ? states
                    : Arrays.stream(statesHeader.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                            .collect(Collectors.toList());
            fill(args, "input.states", which == null || which.isEmpty() ? null : which);
        }
        return args;
    }

    private static Map<String, Object> body(Object body) throws Exception {
        if (body instanceof Map<?, ?> || body instanceof String text && text.trim().startsWith("{")) {
            return map(body, "the body");
        }
        return new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) throws Exception {
        if (value instanceof Map<?, ?> m) {
            return new LinkedHashMap<>((Map<String, Object>) m);
        }
        if (value instanceof String text) {
            return text.isBlank() ? new LinkedHashMap<>() : new LinkedHashMap<>(MAPPER.readValue(text, MAP));
        }
        throw new IllegalArgumentException(what + " must be a Map or JSON text, was " + value.getClass().getName());
    }

    /** Puts {@code value} at {@code path} ({@code name} or {@code input.name}) unless it is there already. */
    @SuppressWarnings("unchecked")
    private static void fill(Map<String, Object> args, String path, Object value) {
        if (path == null || value == null || value instanceof String s && s.isBlank()) {
            return;
        }
        int dot = path.indexOf('.');
        if (dot < 0) {
            args.putIfAbsent(path, value);
            return;
        }
        Object parent = args.get(path.substring(0, dot));
        Map<String, Object> input;
        if (parent == null) {
            input = new LinkedHashMap<>();
        } else if (parent instanceof Map<?, ?> m) {
            input = new LinkedHashMap<>((Map<String, Object>) m);
        } else {
            return; // a wrong type: the check names it
        }
        input.putIfAbsent(path.substring(dot + 1), value);
        args.put(path.substring(0, dot), input);
    }
}
