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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * AskFred threads: a question gets an answer made from what the simulator knows of the meeting it is about (its title
 * and what was said so far), or of all its meetings; the same question about the same state gets the same answer.
 */
final class AskFred {

    private AskFred() {
    }

    /** {@code createAskFredThread}: a new thread with its first answer; the {@code AskFredResponse}. */
    static Map<String, Object> create(GraphQLData data, Map<String, Object> input) {
        String query = (String) input.get("query");
        String transcriptId = (String) input.get("transcript_id");
        String id = data.records.nextId("thread");
        Map<String, Object> thread = new LinkedHashMap<>();
        thread.put("id", id);
        thread.put("title", query.length() > 60 ? query.substring(0, 60) : query);
        thread.put("transcript_id", transcriptId);
        thread.put("user_id", GraphQLData.USER_ID);
        thread.put("created_at", data.now());
        thread.put("messages", new CopyOnWriteArrayList<Map<String, Object>>());
        data.records.threads.put(id, thread);
        return answer(data, id, query);
    }

    /** {@code continueAskFredThread}: the next answer in a thread; null when there is no such thread. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> answer(GraphQLData data, String threadId, String query) {
        Map<String, Object> thread = data.records.threads.get(threadId);
        if (thread == null) {
            return null;
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", data.records.nextId("message"));
        message.put("thread_id", threadId);
        message.put("query", query);
        message.put("answer", answerText(data, (String) thread.get("transcript_id"), query));
        message.put("suggested_queries", List.of("What were the action items?", "Who spoke the most?"));
        message.put("status", "completed");
        message.put("created_at", data.now());
        message.put("updated_at", data.now());
        ((List<Map<String, Object>>) thread.get("messages")).add(message);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("message", message);
        response.put("cost", 1.0);
        return response;
    }

    @SuppressWarnings("unchecked")
    private static String answerText(GraphQLData data, String transcriptId, String query) {
        if (transcriptId == null) {
            return "Simulated answer to \"" + query + "\" across your " + data.transcriptIds().size() + " meetings.";
        }
        Map<String, Object> t = data.transcript(transcriptId);
        if (t == null) {
            return "I could not find that meeting.";
        }
        Object s = t.get("sentences");
        List<Map<String, Object>> sentences = s instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
        StringBuilder sb = new StringBuilder("Simulated answer to \"").append(query).append("\" about \"")
                .append(t.get("title")).append("\": ").append(sentences.size()).append(" sentences so far");
        if (!sentences.isEmpty()) {
            Map<String, Object> first = sentences.get(0);
            sb.append(", beginning with ").append(first.get("speaker_name")).append(": \"").append(first.get("text"))
                    .append('"');
        }
        return sb.append('.').toString();
    }
}
