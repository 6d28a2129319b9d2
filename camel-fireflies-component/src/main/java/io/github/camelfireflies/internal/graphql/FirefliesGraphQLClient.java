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

import io.github.camelfireflies.api.LiveTranscript;
import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.Transcript;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.api.TranscriptSentence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.api.TranscriptSentence;

/**
 * A small client of the Fireflies GraphQL API ({@code POST https://api.fireflies.ai/graphql} with
 * {@code Authorization: Bearer <key>}): the documents and typed results the consumers use, over a
 * {@link GraphQLTransport} (the JDK's {@code HttpURLConnection}: HTTP/1.1, no thread of its own; the JDK's keep-alive
 * cache ends its timer thread a few seconds after the last call). Knows nothing of Camel. Thread-safe. The whole API,
 * operation by operation, is {@link io.github.camelfireflies.internal.graphql.FirefliesOperations}.
 * <p>
 * Every failure is a {@link GraphQLException}: {@link GraphQLException.AuthenticationException} for HTTP 401/403 or an
 * authentication error, {@link GraphQLException.RateLimitedException} (with the server's Retry-After) for HTTP 429 or a
 * {@code too_many_requests} error, and the base class for other GraphQL errors, HTTP errors and I/O failures. The key
 * travels only in the Authorization header: it is never logged and is removed from any server text put in a message.
 * <p>
 * Long because it keeps the typed queries of the streams and webhooks (live sentences, full transcript, pages of
 * transcripts) with their mapping; the HTTP side is GraphQLTransport and the API's operations FirefliesOperations.
 */
public final class FirefliesGraphQLClient {

    /** The Fireflies GraphQL endpoint. */
    public static final String DEFAULT_URL = "https://api.fireflies.ai/graphql";

    /** The meetings in progress, with every documented field. */
    public static final String ACTIVE_MEETINGS_QUERY
            = "query ActiveMeetings($email: String, $states: [MeetingState!]) {"
              + " active_meetings(input: { email: $email, states: $states }) {"
              + " id title organizer_email meeting_link start_time end_time privacy state } }";

    /** One transcript with its sentences (during a live meeting, the sentences spoken so far). */
    public static final String TRANSCRIPT_QUERY
            = "query Transcript($id: String!) { transcript(id: $id) {"
              + " id title organizer_email date duration transcript_url"
              + " sentences { index speaker_name text raw_text start_time end_time } } }";

    /**
     * A meeting's live sentences for the backfill: {@code is_live}, the start date and, for a live meeting, the
     * real-time captions heard so far (API 2.23.0 and later).
     */
    public static final String LIVE_TRANSCRIPT_QUERY
            = "query LiveTranscript($id: String!) { transcript(id: $id) { id title organizer_email date is_live"
              + " sentences { index speaker_name speaker_id text raw_text start_time end_time } } }";

    /**
     * A finished transcript with the documented fields {@link Transcript} holds (what {@code fetchTranscript=true}
     * asks for once {@code meeting.transcribed} said it is ready).
     */
    public static final String FULL_TRANSCRIPT_QUERY
            = "query FullTranscript($id: String!) { transcript(id: $id) {"
              + " id title date duration organizer_email participants transcript_url meeting_link"
              + " speakers { id name }"
              + " sentences { index speaker_name speaker_id text raw_text start_time end_time }"
              + " summary { overview short_summary action_items keywords } } }";

    /**
     * One page of finished and unfinished transcripts since a date, with everything {@link Transcript} holds and what
     * tells whether a transcript is finished ({@code is_live}, {@code meeting_info.summary_status}).
     */
    public static final String TRANSCRIPTS_PAGE_QUERY
            = "query TranscriptsPage($fromDate: DateTime, $skip: Int, $limit: Int) {"
              + " transcripts(fromDate: $fromDate, skip: $skip, limit: $limit) {"
              + " id title date duration organizer_email participants transcript_url meeting_link is_live"
              + " meeting_info { summary_status }"
              + " speakers { id name }"
              + " sentences { index speaker_name speaker_id text raw_text start_time end_time }"
              + " summary { overview short_summary action_items keywords gist bullet_gist outline shorthand_bullet"
              + " notes short_overview meeting_type topics_discussed } } }";

    /** The most {@code transcripts} returns per call. */
    public static final int MAX_TRANSCRIPTS_PAGE = 50;

    /**
     * A transcript as {@code transcripts} lists it.
     *
     * @param transcript    the transcript
     * @param live          {@code is_live}: the meeting is still in progress
     * @param summaryStatus {@code meeting_info.summary_status} ({@code processing}, {@code processed}, ...), or null
     */
    public record Listed(Transcript transcript, boolean live, String summaryStatus) {

        /** Over and processed: not live, and its summary not still being made. */
        public boolean finished() {
            return !live && !"processing".equalsIgnoreCase(summaryStatus);
        }
    }

    /**
     * One page of {@code transcripts}: those whose date is {@code fromDate} or later, skipping {@code skip}.
     *
     * @param fromDate epoch milliseconds, sent as the ISO-8601 UTC {@code DateTime} the schema asks for
     * @param limit    1 to {@value #MAX_TRANSCRIPTS_PAGE}
     */
    public List<Listed> transcriptsPage(long fromDate, int skip, int limit) throws GraphQLException {
        if (limit < 1 || limit > MAX_TRANSCRIPTS_PAGE) {
            throw new GraphQLException("limit must be 1 to " + MAX_TRANSCRIPTS_PAGE + ", was " + limit, 0, null, null);
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("fromDate", java.time.Instant.ofEpochMilli(fromDate).toString());
        vars.put("skip", Math.max(0, skip));
        vars.put("limit", limit);
        JsonNode list = execute(TRANSCRIPTS_PAGE_QUERY, vars).path("transcripts");
        List<Listed> page = new ArrayList<>();
        if (list.isArray()) {
            for (JsonNode t : list) {
                String id = t.isObject() ? text(t, "id") : null;
                if (id == null || id.isEmpty()) {
                    continue;
                }
                ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
                wrapper.set("transcript", t);
                JsonNode live = t.path("is_live");
                page.add(new Listed(toTranscript(id, wrapper), live.isBoolean() && live.booleanValue(),
                        text(t.path("meeting_info"), "summary_status")));
            }
        }
        return page;
    }

    /** The largest answer read; a larger one is an error rather than a heap full of transcript. */
    static final int MAX_RESPONSE_BYTES = GraphQLTransport.MAX_RESPONSE_BYTES;

    private final GraphQLTransport transport;
    private final Executor executor;

    /**
     * A client whose calls are not budgeted ({@link CallGate#OPEN}).
     *
     * @param url            the GraphQL endpoint
     * @param apiKey         the API key
     * @param connectTimeout how long opening the connection may take
     * @param timeout        how long reading the answer may take
     * @param executor       where the asynchronous variants block (e.g. a pool for blocking I/O)
     */
    public FirefliesGraphQLClient(URI url, ApiKey apiKey, Duration connectTimeout, Duration timeout, Executor executor) {
        this(url, apiKey, connectTimeout, timeout, executor, CallGate.OPEN);
    }

    /**
     * @param url            the GraphQL endpoint
     * @param apiKey         the API key
     * @param connectTimeout how long opening the connection may take
     * @param timeout        how long reading the answer may take
     * @param executor       where the asynchronous variants block (e.g. a pool for blocking I/O)
     * @param gate           asked before each request and told of each rate-limit answer (the key's rate budget)
     */
    public FirefliesGraphQLClient(URI url, ApiKey apiKey, Duration connectTimeout, Duration timeout, Executor executor,
                                  CallGate gate) {
        this.transport = new GraphQLTransport(url, apiKey, connectTimeout, timeout);
        transport.setCallGate(Objects.requireNonNull(gate, "gate"));
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * The GraphQL endpoint of the server that serves the Realtime API at {@code realtimeUrl}: the same host and port,
     * {@code https} for {@code wss} (and {@code http} for {@code ws}), path {@code /graphql}. For the Fireflies API
     * that is {@value #DEFAULT_URL}; for a simulator at {@code ws://127.0.0.1:8765} it is
     * {@code http://127.0.0.1:8765/graphql}.
     *
     * @throws IllegalArgumentException when the URL has no host or an unknown scheme
     */
    public static URI besideRealtime(String realtimeUrl) {
        URI u;
        try {
            u = URI.create(realtimeUrl == null ? "" : realtimeUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url is not a valid URL: " + e.getMessage(), e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        String http = switch (scheme) {
            case "wss", "https" -> "https";
            case "ws", "http" -> "http";
            default -> throw new IllegalArgumentException("url must be a ws, wss, http or https URL, was " + realtimeUrl);
        };
        if (u.getHost() == null) {
            throw new IllegalArgumentException("url has no host: " + realtimeUrl);
        }
        try {
            return new URI(http, null, u.getHost(), u.getPort(), "/graphql", null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Cannot make a GraphQL URL from " + realtimeUrl + ": " + e.getMessage(), e);
        }
    }

    public URI url() {
        return transport.url();
    }

    /** The HTTP side: errors, Retry-After, the size limit and the {@link CallGate}. */
    public GraphQLTransport transport() {
        return transport;
    }

    /** The gate asked before each call (a rate budget); null for none. */
    public void setCallGate(CallGate gate) {
        transport.setCallGate(gate);
    }

    /**
     * Runs a query or mutation. The gate is asked before the request is sent (it may wait, or refuse the call); an
     * answer that says the key is rate limited is sent again as often as the gate allows.
     *
     * @param  query     the GraphQL document
     * @param  variables its variables, or null
     * @return           the response's {@code data} (never null; a missing one is an error)
     */
    public JsonNode execute(String query, Map<String, ?> variables) throws GraphQLException {
        return transport.execute("query", query, variables);
    }

    /**
     * Runs a query or mutation without blocking the caller: the call blocks a thread of the executor given to the
     * constructor.
     *
     * @return the response's {@code data}; completes exceptionally with a {@link GraphQLException} (never wrapped)
     */
    public CompletableFuture<JsonNode> executeAsync(String query, Map<String, ?> variables) {
        return executeAsync("query", query, variables);
    }

    private CompletableFuture<JsonNode> executeAsync(String operation, String query, Map<String, ?> variables) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(transport.execute(operation, query, variables));
                } catch (GraphQLException e) {
                    result.completeExceptionally(e);
                } catch (RuntimeException e) {
                    result.completeExceptionally(new GraphQLException("Calling the Fireflies GraphQL API at " + url()
                                                                      + " failed: " + transport.scrub(e.toString()), 0,
                            null, e));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new GraphQLException("Not calling the Fireflies GraphQL API at " + url()
                                                              + ": the executor refused the call (stopping?)", 0, null, e));
        }
        return result;
    }

    /** {@code active_meetings}; {@code email} null for the key's own user, {@code states} empty for both states. */
    public List<ActiveMeeting> activeMeetings(String email, Collection<String> states) throws GraphQLException {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (email != null && !email.isBlank()) {
            vars.put("email", email.trim());
        }
        if (states != null && !states.isEmpty()) {
            vars.put("states", List.copyOf(states));
        }
        JsonNode list = transport.execute("active_meetings", ACTIVE_MEETINGS_QUERY, vars).path("active_meetings");
        List<ActiveMeeting> meetings = new ArrayList<>();
        if (list.isArray()) {
            for (JsonNode m : list) {
                String id = text(m, "id");
                if (id == null || id.isEmpty()) {
                    continue;
                }
                meetings.add(new ActiveMeeting(id, text(m, "title"), text(m, "organizer_email"), text(m, "meeting_link"),
                        text(m, "start_time"), text(m, "end_time"), text(m, "privacy"), text(m, "state")));
            }
        }
        return meetings;
    }

    /** {@code transcript(id)} with its sentences; null when the API knows no such transcript. */
    public JsonNode transcript(String id) throws GraphQLException {
        requireId(id);
        JsonNode t = transport.execute("transcript", TRANSCRIPT_QUERY, Map.of("id", id)).path("transcript");
        return t.isMissingNode() || t.isNull() ? null : t;
    }

    /**
     * {@code transcript(id)} for the backfill: {@code is_live}, {@code date} and the sentences, typed.
     *
     * @throws GraphQLException also when the API knows no such transcript (code {@code object_not_found})
     */
    public LiveTranscript liveTranscript(String id) throws GraphQLException {
        requireId(id);
        return toLiveTranscript(id, transport.execute("transcript", LIVE_TRANSCRIPT_QUERY, Map.of("id", id)));
    }

    /** As {@link #liveTranscript(String)}, without blocking: completes exceptionally with a {@link GraphQLException}. */
    public CompletableFuture<LiveTranscript> liveTranscriptAsync(String id) {
        try {
            requireId(id);
        } catch (GraphQLException e) {
            return CompletableFuture.failedFuture(e);
        }
        return executeAsync("transcript", LIVE_TRANSCRIPT_QUERY, Map.of("id", id)).thenCompose(data -> {
            try {
                return CompletableFuture.completedFuture(toLiveTranscript(id, data));
            } catch (GraphQLException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /**
     * {@code transcript(id)} typed, with the fields of {@link #FULL_TRANSCRIPT_QUERY}.
     *
     * @throws GraphQLException also when the API knows no such transcript (code {@code object_not_found})
     */
    public Transcript fullTranscript(String id) throws GraphQLException {
        requireId(id);
        return toTranscript(id, transport.execute("transcript", FULL_TRANSCRIPT_QUERY, Map.of("id", id)));
    }

    /** As {@link #fullTranscript(String)}, without blocking: completes exceptionally with a {@link GraphQLException}. */
    public CompletableFuture<Transcript> fullTranscriptAsync(String id) {
        try {
            requireId(id);
        } catch (GraphQLException e) {
            return CompletableFuture.failedFuture(e);
        }
        return executeAsync("transcript", FULL_TRANSCRIPT_QUERY, Map.of("id", id)).thenCompose(data -> {
            try {
                return CompletableFuture.completedFuture(toTranscript(id, data));
            } catch (GraphQLException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    static Transcript toTranscript(String id, JsonNode data) throws GraphQLException {
        JsonNode t = data.path("transcript");
        if (t.isMissingNode() || t.isNull()) {
            throw new GraphQLException("The Fireflies GraphQL API knows no transcript " + id, 200, "object_not_found", null);
        }
        List<Transcript.Speaker> speakers = new ArrayList<>();
        JsonNode sp = t.path("speakers");
        if (sp.isArray()) {
            for (JsonNode s : sp) {
                if (s.isObject()) {
                    speakers.add(new Transcript.Speaker(text(s, "id"), text(s, "name")));
                }
            }
        }
        List<String> participants = new ArrayList<>();
        JsonNode pa = t.path("participants");
        if (pa.isArray()) {
            for (JsonNode p : pa) {
                if (p.isValueNode() && !p.isNull()) {
                    participants.add(p.asText());
                }
            }
        }
        Transcript.Summary summary = null;
        JsonNode su = t.path("summary");
        if (su.isObject()) {
            List<String> keywords = new ArrayList<>();
            JsonNode k = su.path("keywords");
            if (k.isArray()) {
                for (JsonNode w : k) {
                    if (w.isValueNode() && !w.isNull()) {
                        keywords.add(w.asText());
                    }
                }
            } else if (k.isTextual()) {
                keywords.add(k.asText());
            }
            summary = new Transcript.Summary(text(su, "overview"), text(su, "short_summary"), lines(su.get("action_items")),
                    keywords, text(su, "gist"), text(su, "bullet_gist"), text(su, "outline"),
                    text(su, "shorthand_bullet"), text(su, "notes"), text(su, "short_overview"),
                    text(su, "meeting_type"), strings(su.path("topics_discussed")));
        }
        String tid = text(t, "id");
        return new Transcript(tid == null ? id : tid, text(t, "title"), epochMillis(t.path("date")), number(t, "duration"),
                text(t, "organizer_email"), participants, text(t, "transcript_url"), text(t, "meeting_link"), speakers,
                sentences(t.path("sentences")), summary);
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        if (list.isArray()) {
            for (JsonNode w : list) {
                if (w.isValueNode() && !w.isNull()) {
                    out.add(w.asText());
                }
            }
        }
        return out;
    }

    /** Text as is, or the items of an array one a line (the API's type for action items varies). */
    private static String lines(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode item : v) {
                if (item.isValueNode() && !item.isNull()) {
                    if (b.length() > 0) {
                        b.append('\n');
                    }
                    b.append(item.asText());
                }
            }
            return b.toString();
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static List<TranscriptSentence> sentences(JsonNode list) {
        List<TranscriptSentence> sentences = new ArrayList<>();
        if (list.isArray()) {
            for (JsonNode s : list) {
                if (s.isObject()) {
                    sentences.add(new TranscriptSentence(integer(s, "index"), text(s, "text"), text(s, "raw_text"),
                            text(s, "speaker_name"), integer(s, "speaker_id"), number(s, "start_time"),
                            number(s, "end_time")));
                }
            }
        }
        return sentences;
    }

    /** A date as epoch milliseconds: a number, or a number in text; null otherwise. */
    private static Long epochMillis(JsonNode date) {
        if (date.isNumber()) {
            return date.asLong();
        }
        if (date.isTextual()) {
            try {
                return (long) Double.parseDouble(date.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static void requireId(String id) throws GraphQLException {
        if (id == null || id.isBlank()) {
            throw new GraphQLException("A transcript id is needed", 0, null, null);
        }
    }

    static LiveTranscript toLiveTranscript(String id, JsonNode data) throws GraphQLException {
        JsonNode t = data.path("transcript");
        if (t.isMissingNode() || t.isNull()) {
            throw new GraphQLException("The Fireflies GraphQL API knows no transcript " + id, 200, "object_not_found", null);
        }
        JsonNode live = t.path("is_live");
        String tid = text(t, "id");
        return new LiveTranscript(tid == null ? id : tid, live.isBoolean() && live.booleanValue(),
                epochMillis(t.path("date")), sentences(t.path("sentences")), text(t, "title"), text(t, "organizer_email"));
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.intValue();
        }
        try {
            return Integer.valueOf(v.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        try {
            double d = Double.parseDouble(v.asText().trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        return GraphQLTransport.retryAfter(header);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public String toString() {
        return "FirefliesGraphQLClient[" + url() + "]";
    }
}
