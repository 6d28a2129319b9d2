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

import java.io.PrintStream;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.api.graphql.CreateLiveActionItemResult;
import io.github.camelfireflies.api.graphql.LiveActionItem;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * A live rule: every finished segment ({@code emit=final}) that says "action item" becomes a live action item of its
 * meeting ({@code fireflies:graphql?operation=createLiveActionItem}, within the key's rate budget: 10 an hour), and
 * the meeting's {@code live_action_items} are listed after each one.
 * <ul>
 * <li>With {@code FIREFLIES_API_KEY} and {@code FIREFLIES_TRANSCRIPT_ID} set, it follows that meeting on the real API
 * until Ctrl-C.</li>
 * <li>Otherwise the simulator plays a short planning meeting on 127.0.0.1 (about 10 s) and answers the GraphQL calls;
 * no API key needed.</li>
 * </ul>
 */
public final class ActionItemRuleExample {

    /** The live segments, final ones only: a rule acts once per segment, on its last revision. */
    static final String LIVE_URI = MeetingSource.ENDPOINT_URI + "&emit=final&finalizeAfter=1500";

    private ActionItemRuleExample() {
    }

    public static void main(String[] args) throws Exception {
        run(System.getenv("FIREFLIES_API_KEY"), System.getenv("FIREFLIES_TRANSCRIPT_ID"),
                ActionItemRuleExample.class.getClassLoader().getResource("meetings/planning.jsonl"), System.out);
    }

    /** Whether a segment asks for an action item. */
    static boolean saysActionItem(TranscriptionEvent e) {
        return e != null && e.text().toLowerCase(Locale.ROOT).contains("action item");
    }

    /** Runs until the simulated meeting is over, or until Ctrl-C (real API). */
    static void run(String apiKey, String transcriptId, URL script, PrintStream out) throws Exception {
        try (MeetingSource source = MeetingSource.choose(apiKey, transcriptId, script, false)) {
            Main main = source.configure(new Main());
            main.addInitialProperty("camel.main.name", "fireflies-action-item-rule");
            if (source.isSimulated()) {
                out.println("No FIREFLIES_API_KEY / FIREFLIES_TRANSCRIPT_ID set: a simulated meeting at " + source.where());
                // the meeting ends by itself; final segments come 1.5 s after their last revision: leave after 10 s of quiet
                main.configure().withDurationMaxIdleSeconds(10);
            } else {
                out.println("Turning \"action item\" segments of transcript " + source.transcriptId()
                            + " into live action items (Ctrl-C to stop)");
            }
            main.configure().addRoutesBuilder(new RouteBuilder() {
                @Override
                public void configure() {
                    from(LIVE_URI)
                            .routeId("action-item-rule")
                            .filter(e -> saysActionItem(e.getMessage().getBody(TranscriptionEvent.class)))
                            .process(e -> {
                                TranscriptionEvent t = e.getMessage().getBody(TranscriptionEvent.class);
                                out.println("Rule: " + t.speakerName() + " said \"" + t.text() + "\"");
                                // the input object itself: meeting_id and prompt, as the API names them
                                e.getMessage().setBody(Map.of("meeting_id", t.transcriptId(), "prompt", t.text()));
                            })
                            .to("fireflies:graphql?operation=createLiveActionItem&url={{fireflies.url}}")
                            .log("createLiveActionItem answered ${body}")
                            .process(e -> out.println("  -> live action item created: "
                                                      + e.getMessage().getBody(CreateLiveActionItemResult.class).success()))
                            // and what the meeting's live action items are now
                            .setHeader(FirefliesConstants.MEETING_ID, header(FirefliesConstants.TRANSCRIPT_ID))
                            .to("fireflies:graphql?operation=live_action_items&url={{fireflies.url}}")
                            .process(e -> {
                                @SuppressWarnings("unchecked")
                                List<LiveActionItem> items = e.getMessage().getBody(List.class);
                                out.println("  live action items of "
                                            + e.getMessage().getHeader(FirefliesConstants.TRANSCRIPT_ID) + ": "
                                            + items.stream().map(LiveActionItem::actionItem).toList());
                                out.flush();
                            });
                }
            });
            main.run();
        }
    }
}
