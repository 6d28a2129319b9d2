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
package io.github.camelfireflies.examples;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.RateBudgetExceededException;
import io.github.camelfireflies.api.graphql.CreateLiveActionItemResult;
import io.github.camelfireflies.api.graphql.LiveActionItem;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's "live action item" button: {@code POST /action-items} with a JSON object {@code {"meeting": id,
 * "text": the segment's text}} answers at once ({@code 202}, or {@code 400} for bad input, {@code 503} when too many
 * requests wait); the request is then sent, one at a time, as {@code createLiveActionItem} (the segment's text as the
 * prompt), and the meeting's {@code live_action_items} are listed and pushed to the browsers through
 * {@link MeetingBoard}. A call the rate budget or the API refuses (10 an hour) becomes a short note in the panel.
 */
final class LiveActionItems extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(LiveActionItems.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String PATH = "/action-items";
    static final int MAX_BODY_CHARS = 8192;
    static final int MAX_MEETING_ID_CHARS = 200;
    static final int MAX_TEXT_CHARS = 2000;
    /** Requests waiting to be sent; past this, {@code 503}. */
    static final int MAX_WAITING = 20;
    private static final String QUEUE = "seda:dashboard-action-items?size=" + MAX_WAITING;
    private static final String PROMPT = "DashboardActionPrompt";

    private final MeetingBoard board;
    private final String graphqlOptions;

    /**
     * @param graphqlOptions where the GraphQL API is, as options of {@code fireflies:graphql} ({@code &url=...} or
     *                       {@code &graphqlUrl=...}), or empty for the Fireflies API
     */
    LiveActionItems(MeetingBoard board, String graphqlOptions) {
        this.board = board;
        this.graphqlOptions = graphqlOptions;
    }

    @Override
    public void configure() {
        from("platform-http:" + PATH + "?httpMethodRestrict=POST")
                .routeId("dashboard-action-item-request")
                .process(this::validate)
                .choice()
                    .when(header(Exchange.HTTP_RESPONSE_CODE).isNull())
                        .doTry()
                            .to(QUEUE + "&waitForTaskToComplete=Never&blockWhenFull=false")
                            .process(e -> answer(e, 202, "accepted"))
                        .doCatch(IllegalStateException.class) // the queue is full
                            .process(e -> answer(e, 503, "too many requests are waiting; try again shortly"))
                        .end()
                .end();

        from(QUEUE)
                .routeId("dashboard-action-items")
                .doTry()
                    .process(e -> e.getMessage().setBody(Map.of(
                            "meeting_id", e.getMessage().getHeader(FirefliesConstants.MEETING_ID, String.class),
                            "prompt", e.getMessage().getHeader(PROMPT, String.class))))
                    .to("fireflies:graphql?operation=createLiveActionItem" + graphqlOptions)
                    .process(e -> {
                        if (!e.getMessage().getBody(CreateLiveActionItemResult.class).success()) {
                            throw new IllegalStateException("createLiveActionItem answered success=false");
                        }
                    })
                    .to("fireflies:graphql?operation=live_action_items" + graphqlOptions)
                    .process(this::listed)
                .doCatch(GraphQLException.RateLimitedException.class)
                    .process(e -> board.actionNote(meetingId(e),
                            refused(e.getProperty(Exchange.EXCEPTION_CAUGHT, GraphQLException.RateLimitedException.class))))
                .doCatch(Exception.class)
                    .process(e -> {
                        Exception x = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        LOG.warn("Live action item for meeting {} not sent: {}", meetingId(e), x.getMessage());
                        board.actionNote(meetingId(e), "Sorry, the action item could not be sent.");
                    })
                .end();
    }

    /** Sets {@code 400} and a reason on bad input; otherwise the meeting id and prompt as headers. */
    private void validate(Exchange e) {
        String body = e.getMessage().getBody(String.class);
        e.getMessage().removeHeaders("*");
        if (body == null || body.isBlank() || body.length() > MAX_BODY_CHARS) {
            answer(e, 400, "expected a JSON object {\"meeting\": ..., \"text\": ...}");
            return;
        }
        JsonNode in;
        try {
            in = JSON.readTree(body);
        } catch (JsonProcessingException x) {
            answer(e, 400, "not JSON");
            return;
        }
        String meeting = in != null && in.path("meeting").isTextual() ? in.get("meeting").asText().trim() : "";
        String text = in != null && in.path("text").isTextual() ? in.get("text").asText().trim() : "";
        if (meeting.isEmpty() || meeting.length() > MAX_MEETING_ID_CHARS || !board.knows(meeting)) {
            answer(e, 400, "unknown meeting");
        } else if (text.isEmpty() || text.length() > MAX_TEXT_CHARS) {
            answer(e, 400, "the text must have 1 to " + MAX_TEXT_CHARS + " characters");
        } else {
            e.getMessage().setHeader(FirefliesConstants.MEETING_ID, meeting);
            e.getMessage().setHeader(PROMPT, text);
        }
    }

    private static void answer(Exchange e, int status, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(status < 300 ? "status" : "error", message);
        e.getMessage().removeHeaders("*");
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            e.getMessage().setBody(JSON.writeValueAsString(out));
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    private void listed(Exchange e) {
        @SuppressWarnings("unchecked")
        List<LiveActionItem> items = e.getMessage().getBody(List.class);
        board.actionItems(meetingId(e), items.stream().map(i -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("name", i.name());
            m.put("action_item", i.actionItem());
            return m;
        }).toList(), null);
    }

    private static String meetingId(Exchange e) {
        return e.getMessage().getHeader(FirefliesConstants.MEETING_ID, String.class);
    }

    /** A polite note for a refused call: the component's rate budget, or the API's 429. */
    static String refused(GraphQLException.RateLimitedException x) {
        Duration wait = null;
        if (x instanceof RateBudgetExceededException budget && budget.getFreesAt() != null) {
            wait = Duration.between(Instant.now(), budget.getFreesAt());
        } else if (x != null && x.getRetryAfter() != null) {
            wait = x.getRetryAfter();
        }
        String when = wait == null || wait.isNegative() ? "later"
                : "in about " + Math.max(1, (wait.toSeconds() + 59) / 60) + " min";
        return "Not sent: live action items are limited to 10 an hour. Please try again " + when + ".";
    }
}
