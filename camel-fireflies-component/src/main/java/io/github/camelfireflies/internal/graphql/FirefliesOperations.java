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

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.api.graphql.ConfirmUploadResponse;
import io.github.camelfireflies.api.graphql.RuleExecutionMeetingGroup;
import io.github.camelfireflies.api.graphql.RuleExecutionsByMeetingResponse;
import io.github.camelfireflies.api.graphql.UploadUrlResponse;
import io.github.camelfireflies.api.GraphQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Fireflies GraphQL API, operation by operation: each call is checked against the {@link Catalogue} before
 * any request, its document built from the catalogue's argument list and a selection (the operation's default, or a
 * chosen one checked against the result records), sent through the {@link GraphQLTransport} (which asks its
 * {@link CallGate} first), and its {@code data} mapped into the records of {@code io.github.camelfireflies.api.graphql}.
 * Also paging (offset and cursor) and the three-step upload of a recording. Knows nothing of Camel. Thread-safe.
 */
public final class FirefliesOperations {

    private static final Logger LOG = LoggerFactory.getLogger(FirefliesOperations.class);
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The largest page of {@code transcripts} and {@code bites}. */
    public static final int MAX_PAGE = 50;
    /** A bound on the pages one gathering asks for, whatever the server answers. */
    static final int MAX_PAGES = 10_000;

    private final GraphQLTransport transport;

    public FirefliesOperations(GraphQLTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * A checked call, ready to send.
     *
     * @param operation the operation
     * @param document  the GraphQL document
     * @param variables its variables (JSON-ready)
     */
    public record Prepared(OperationSpec operation, String document, Map<String, Object> variables) {
    }

    /** The operation of that schema field name; an {@link IllegalArgumentException} listing them all otherwise. */
    public static OperationSpec spec(String operation) {
        OperationSpec op = Catalogue.operation(operation);
        if (op == null) {
            List<String> names = new ArrayList<>();
            Catalogue.operations().forEach(o -> names.add(o.name()));
            throw new IllegalArgumentException("The Fireflies GraphQL API has no operation '" + operation
                                               + "'; it has " + String.join(", ", names));
        }
        return op;
    }

    /**
     * Checks the arguments and the selection and builds the document, without sending anything.
     *
     * @param  operation                the schema's field name
     * @param  args                     the arguments by the schema's names, or null
     * @param  fields                   the selection set, or null for the operation's default
     * @throws IllegalArgumentException naming the operation and the argument or field at fault
     */
    public static Prepared prepare(String operation, Map<String, ?> args, String fields) {
        OperationSpec op = spec(operation);
        Map<String, Object> variables = Arguments.check(op, args);
        return new Prepared(op, document(op, variables, Selections.select(op, fields)), variables);
    }

    /**
     * {@code query name($a: T, ...) { name(a: $a, ...) { selection } }} with a variable for each argument given (the
     * others are left out, so the server's defaults apply).
     */
    static String document(OperationSpec op, Map<String, Object> variables, String selection) {
        StringBuilder defs = new StringBuilder();
        StringBuilder uses = new StringBuilder();
        for (OperationSpec.Argument a : op.arguments().values()) {
            if (!variables.containsKey(a.name())) {
                continue;
            }
            defs.append(defs.length() == 0 ? "(" : ", ").append('$').append(a.name()).append(": ").append(a.type());
            uses.append(uses.length() == 0 ? "(" : ", ").append(a.name()).append(": $").append(a.name());
        }
        if (defs.length() > 0) {
            defs.append(')');
            uses.append(')');
        }
        return op.kind().keyword() + " " + op.name() + defs + " { " + op.name() + uses + " { " + selection + " } }";
    }

    /**
     * Runs one operation.
     *
     * @return the typed result: a record of {@code io.github.camelfireflies.api.graphql}, a List of them, or null
     */
    public Object call(String operation, Map<String, ?> args, String fields) throws GraphQLException {
        return execute(prepare(operation, args, fields));
    }

    /** Sends a prepared call and maps its answer. */
    public Object execute(Prepared call) throws GraphQLException {
        OperationSpec op = call.operation();
        JsonNode data = transport.execute(op.name(), call.document(), call.variables());
        return map(op, data.get(op.name()));
    }

    /** The answer's field mapped into the operation's record (or a List of them). */
    static Object map(OperationSpec op, JsonNode value) throws GraphQLException {
        if (value == null || value.isNull()) {
            return null;
        }
        Class<?> record = Selections.record(op.returns().namedType());
        JavaType type = op.returns().isList()
                ? MAPPER.getTypeFactory().constructCollectionType(List.class, record)
                : MAPPER.getTypeFactory().constructType(record);
        try {
            return MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new GraphQLException("The answer of " + op.name() + " does not read as " + op.returns() + ": "
                                       + e.getMessage(), 200, null, e);
        }
    }

    /**
     * Runs a paged operation until its last page or {@code maxResults}: offset paging ({@code transcripts},
     * {@code bites}: {@code limit} per page, at most {@value #MAX_PAGE}, {@code skip} advanced by each page) or cursor
     * paging ({@code rule_executions_by_meeting}: {@code next_cursor} followed while {@code has_more}). Every page is a
     * call, each asking the gate. Other operations run once.
     *
     * @param  maxResults at most this many items (meetings for the cursor), 0 for all
     * @return            a List of records (offset paging), or one {@link RuleExecutionsByMeetingResponse} with the
     *                    meetings of all pages (its {@code has_more} and {@code next_cursor} those of the last page)
     */
    public Object gather(String operation, Map<String, ?> args, String fields, int maxResults) throws GraphQLException {
        OperationSpec op = spec(operation);
        if (maxResults < 0) {
            throw new IllegalArgumentException(operation + ": maxResults must not be negative, was " + maxResults);
        }
        return switch (op.paging()) {
            case OFFSET -> offsetPages(op, args, fields, maxResults);
            case CURSOR -> cursorPages(op, args, fields, maxResults);
            case NONE -> call(operation, args, fields);
        };
    }

    private List<Object> offsetPages(OperationSpec op, Map<String, ?> args, String fields, int max)
            throws GraphQLException {
        Map<String, Object> pageArgs = args == null ? new LinkedHashMap<>() : new LinkedHashMap<>(args);
        int pageSize = pageArgs.get("limit") instanceof Number n ? n.intValue() : MAX_PAGE;
        int skip = pageArgs.get("skip") instanceof Number n ? n.intValue() : 0;
        prepare(op.name(), args, fields); // refuse bad arguments before the first page
        List<Object> all = new ArrayList<>();
        for (int page = 0; page < MAX_PAGES; page++) {
            int want = max == 0 ? pageSize : Math.min(pageSize, max - all.size());
            pageArgs.put("limit", want);
            pageArgs.put("skip", skip);
            List<?> items = (List<?>) call(op.name(), pageArgs, fields);
            int got = items == null ? 0 : items.size();
            if (items != null) {
                all.addAll(items);
            }
            LOG.debug("{}: page {} (skip {}) gave {} of {}", op.name(), page + 1, skip, got, want);
            if (got < want || (max > 0 && all.size() >= max)) {
                return all;
            }
            skip += got;
        }
        LOG.warn("{}: stopped after {} pages", op.name(), MAX_PAGES);
        return all;
    }

    private Object cursorPages(OperationSpec op, Map<String, ?> args, String fields, int max) throws GraphQLException {
        String selection = Selections.select(op, fields);
        if (!topLevel(selection).contains("has_more")) {
            selection += " has_more";
        }
        if (!topLevel(selection).contains("next_cursor")) {
            selection += " next_cursor";
        }
        Map<String, Object> pageArgs = args == null ? new LinkedHashMap<>() : new LinkedHashMap<>(args);
        List<RuleExecutionMeetingGroup> meetings = new ArrayList<>();
        RuleExecutionsByMeetingResponse last = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            last = (RuleExecutionsByMeetingResponse) execute(prepare(op.name(), pageArgs, selection));
            if (last == null) {
                break;
            }
            if (last.meetings() != null) {
                meetings.addAll(last.meetings());
            }
            String next = last.nextCursor();
            if (!Boolean.TRUE.equals(last.hasMore()) || next == null || next.equals(pageArgs.get("cursor"))
                || (max > 0 && meetings.size() >= max)) {
                break;
            }
            pageArgs.put("cursor", next);
        }
        if (max > 0 && meetings.size() > max) {
            meetings = new ArrayList<>(meetings.subList(0, max));
        }
        return new RuleExecutionsByMeetingResponse(meetings, last == null ? null : last.hasMore(),
                last == null ? null : last.nextCursor());
    }

    /** The field names of a selection outside any braces. */
    static List<String> topLevel(String selection) {
        List<String> names = new ArrayList<>();
        int depth = 0;
        for (String t : selection.replace("{", " { ").replace("}", " } ").trim().split("\\s+")) {
            if (t.equals("{")) {
                depth++;
            } else if (t.equals("}")) {
                depth--;
            } else if (depth == 0) {
                names.add(t);
            }
        }
        return names;
    }

    /**
     * Uploads a recording: {@code createUploadUrl} (content type, size, and the given input fields: {@code title},
     * {@code custom_language}, {@code attendees}), then the bytes PUT to the URL it gave (streamed, without the API
     * key), then {@code confirmUpload}.
     *
     * @param  input the input fields of {@code createUploadUrl} besides content type and size, or null; the title
     *               defaults to the recording's name
     * @return       what {@code confirmUpload} answered
     */
    public ConfirmUploadResponse upload(Recording recording, Map<String, ?> input) throws GraphQLException {
        Map<String, Object> in = input == null ? new LinkedHashMap<>() : new LinkedHashMap<>(input);
        in.putIfAbsent("content_type", recording.contentType());
        if (recording.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("createUploadUrl: the recording has " + recording.size()
                                               + " bytes, more than file_size (Int) can say");
        }
        in.putIfAbsent("file_size", (int) recording.size());
        if (recording.name() != null && !recording.name().isBlank()) {
            in.putIfAbsent("title", recording.name());
        }
        Prepared create = prepare("createUploadUrl", Map.of("input", in), null);
        UploadUrlResponse target = (UploadUrlResponse) execute(create);
        if (target == null || target.uploadUrl() == null || target.meetingId() == null) {
            throw new GraphQLException("createUploadUrl answered without upload_url or meeting_id", 200, null, null);
        }
        URI url;
        try {
            url = URI.create(target.uploadUrl());
        } catch (IllegalArgumentException e) {
            throw new GraphQLException("createUploadUrl answered an upload_url that is not a URL", 200, null, e);
        }
        try {
            transport.put(url, recording.opener().open(), recording.size(), (String) in.get("content_type"));
        } catch (IOException e) {
            throw new GraphQLException("Cannot read the recording " + recording.name() + ": " + e.getMessage(), 0, null,
                    e);
        }
        LOG.debug("Uploaded {} bytes for meeting {}; confirming", recording.size(), target.meetingId());
        return (ConfirmUploadResponse) call("confirmUpload", Map.of("input", Map.of("meeting_id", target.meetingId())),
                null);
    }
}
