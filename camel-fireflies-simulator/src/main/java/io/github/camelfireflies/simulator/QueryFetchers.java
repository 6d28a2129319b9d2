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
import java.util.Locale;
import java.util.Map;

import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

/**
 * The data fetchers of the 19 queries: from the simulator's state where it has some (transcripts, active meetings,
 * live action items, bites, AskFred threads, the key's user), made up by {@link ValueFiller} elsewhere.
 */
final class QueryFetchers {

    /** The API's cap on {@code transcripts(limit)}. */
    static final int MAX_TRANSCRIPTS = 50;

    private final GraphQLData data;

    QueryFetchers(GraphQLData data) {
        this.data = data;
    }

    @SuppressWarnings("rawtypes") // the type graphql-java's TypeRuntimeWiring takes
    Map<String, DataFetcher> all() {
        Map<String, DataFetcher> f = new LinkedHashMap<>();
        f.put("transcripts", this::transcripts);
        f.put("transcript", env -> {
            Map<String, Object> t = data.transcript(env.getArgument("id"));
            return t != null ? t : notFound(env, "Transcript not found");
        });
        f.put("active_meetings", env -> {
            Map<String, Object> input = env.getArgument("input");
            return data.activeMeetings(input == null ? null : (String) input.get("email"),
                    input == null ? null : strings(input.get("states")));
        });
        f.put("users", env -> List.of(data.user(null), data.user("sim-teammate")));
        f.put("user", env -> data.user(env.getArgument("id")));
        f.put("user_groups", env -> List.of(ValueFiller.object("user_group:1")));
        f.put("analytics", env -> ValueFiller.object("analytics:" + env.getArgument("start_time") + ":"
                                                     + env.getArgument("end_time")));
        f.put("channels", env -> List.of(data.channel("sim-channel-1")));
        f.put("channel", env -> data.channel(env.getArgument("id")));
        f.put("contacts", env -> List.of(ValueFiller.object("contact:1"), ValueFiller.object("contact:2")));
        f.put("bites", this::bites);
        f.put("bite", env -> {
            Map<String, Object> b = data.records.bites.get((String) env.getArgument("id"));
            return b != null ? b : notFound(env, "Bite not found");
        });
        f.put("askfred_threads", env -> {
            String tid = env.getArgument("transcript_id");
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> t : data.records.threads()) {
                if (tid == null || tid.equals(t.get("transcript_id"))) {
                    out.add(t);
                }
            }
            return out;
        });
        f.put("askfred_thread", env -> {
            Map<String, Object> t = data.records.threads.get((String) env.getArgument("id"));
            return t != null ? t : notFound(env, "Thread not found");
        });
        f.put("live_action_items", env -> data.records.actionItems(env.getArgument("meeting_id")));
        f.put("apps", env -> {
            Map<String, Object> apps = ValueFiller.object("apps:" + env.getArgument("transcript_id"));
            return apps;
        });
        f.put("rule_executions_by_meeting", env -> {
            Map<String, Object> r = ValueFiller.object("rule_executions:" + env.getArgument("cursor"));
            r.put("has_more", false);
            r.put("next_cursor", null);
            return r;
        });
        return f;
    }

    private Object transcripts(DataFetchingEnvironment env) {
        Integer limitArg = env.getArgument("limit");
        Integer skipArg = env.getArgument("skip");
        int limit = Math.min(limitArg == null ? MAX_TRANSCRIPTS : Math.max(0, limitArg), MAX_TRANSCRIPTS);
        int skip = skipArg == null ? 0 : Math.max(0, skipArg);
        String keyword = lower(env.getArgument("keyword"));
        String title = lower(env.getArgument("title"));
        String channel = env.getArgument("channel_id");
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : data.transcriptIds()) {
            Map<String, Object> t = data.transcript(id);
            if (t == null) {
                continue;
            }
            String tt = lower((String) t.get("title"));
            if ((keyword == null || tt != null && tt.contains(keyword) || sentencesContain(t, keyword))
                && (title == null || tt != null && tt.contains(title))
                && (channel == null || channel.equals(data.records.channelOf.get(id)))) {
                out.add(t);
            }
        }
        return out.subList(Math.min(skip, out.size()), Math.min(out.size(), skip + limit));
    }

    @SuppressWarnings("unchecked")
    private static boolean sentencesContain(Map<String, Object> t, String keyword) {
        Object s = t.get("sentences");
        if (keyword == null || !(s instanceof List<?> list)) {
            return false;
        }
        for (Object o : list) {
            Object text = ((Map<String, Object>) o).get("text");
            if (text != null && text.toString().toLowerCase(Locale.ROOT).contains(keyword)) {
                return true;
            }
        }
        return false;
    }

    private Object bites(DataFetchingEnvironment env) {
        String tid = env.getArgument("transcript_id");
        Integer limitArg = env.getArgument("limit");
        Integer skipArg = env.getArgument("skip");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> b : data.records.bites()) {
            if (tid == null || tid.equals(b.get("transcript_id"))) {
                out.add(b);
            }
        }
        int skip = skipArg == null ? 0 : Math.max(0, skipArg);
        int limit = limitArg == null ? out.size() : Math.max(0, limitArg);
        return out.subList(Math.min(skip, out.size()), Math.min(out.size(), skip + limit));
    }

    /** A nullable field that failed as the API fails it: {@code object_not_found}, and the field null. */
    static DataFetcherResult<Object> notFound(DataFetchingEnvironment env, String message) {
        return DataFetcherResult.newResult().data(null)
                .error(GraphqlErrorBuilder.newError(env).message(message)
                        .extensions(Map.of("code", "object_not_found", "status", 200)).build())
                .build();
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object o) {
        return o instanceof List<?> l ? (List<String>) l : null;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
