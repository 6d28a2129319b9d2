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

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.camelfireflies.FirefliesConfiguration;
import io.github.camelfireflies.api.RateBudgetExceededException;
import io.github.camelfireflies.api.graphql.AddToLiveMeeting;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * Sends the Fireflies notetaker to each meeting of a calendar file ({@code start,title,meeting link} per line) with
 * {@code fireflies:graphql?operation=addToLiveMeeting}, within the API's cap of 3 calls per 20 minutes: the key's
 * rate budget never sends a 4th call the API would refuse.
 * <ul>
 * <li>With {@code FIREFLIES_API_KEY} set, each call beyond the cap waits in the route until the cap frees
 * ({@code budgetMaxWait} of 21 minutes), so every meeting is joined, three per 20 minutes.</li>
 * <li>Otherwise the simulator answers on 127.0.0.1: three meetings are joined at once, and for the others the example
 * prints which limit holds them back and when it frees, without waiting 20 minutes (a budgetMaxWait of 0). No API
 * key needed.</li>
 * </ul>
 * The calendar is the first argument, else the bundled {@code calendar/this-week.csv}.
 */
public final class NotetakerCalendarExample {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private NotetakerCalendarExample() {
    }

    public static void main(String[] args) throws Exception {
        run(System.getenv("FIREFLIES_API_KEY"), readCalendar(args.length > 0 ? Path.of(args[0]) : null), System.out);
    }

    /** The calendar's meetings as {@code addToLiveMeeting} arguments ({@code meeting_link}, {@code title}). */
    static List<Map<String, Object>> readCalendar(Path file) throws IOException {
        List<String> lines;
        if (file != null) {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } else {
            try (InputStream in = NotetakerCalendarExample.class.getClassLoader()
                    .getResourceAsStream("calendar/this-week.csv")) {
                lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            }
        }
        List<Map<String, Object>> meetings = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split(",", 3);
            if (cols.length < 3) {
                throw new IllegalArgumentException("A calendar line is start,title,meeting link; was: " + line);
            }
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("meeting_link", cols[2].trim());
            args.put("title", cols[1].trim());
            meetings.add(args);
        }
        return meetings;
    }

    /** Sends the notetaker to each of {@code meetings}: on the real API with a key, else on a simulator. */
    static void run(String apiKey, List<Map<String, Object>> meetings, PrintStream out) throws Exception {
        if (apiKey != null && !apiKey.isBlank()) {
            out.println("Sending the notetaker to " + meetings.size() + " meetings, 3 per 20 minutes (Ctrl-C to stop)");
            run(apiKey, FirefliesConfiguration.DEFAULT_GRAPHQL_URL, Duration.ofMinutes(21), meetings, out);
            return;
        }
        try (FirefliesSimulator sim = FirefliesSimulator.builder().apiKey(MeetingSource.SIMULATOR_KEY).start()) {
            out.println("No FIREFLIES_API_KEY set: the simulator's GraphQL API at " + sim.graphqlUrl());
            run(MeetingSource.SIMULATOR_KEY, sim.graphqlUrl(), Duration.ZERO, meetings, out);
        }
    }

    /**
     * Sends the notetaker to each of {@code meetings}, a call beyond the cap waiting up to {@code budgetMaxWait};
     * returns once every meeting is joined or held back.
     */
    static void run(String apiKey, String graphqlUrl, Duration budgetMaxWait, List<Map<String, Object>> meetings,
                    PrintStream out) throws Exception {
        Main main = new Main();
        main.addInitialProperty("camel.main.name", "fireflies-notetaker-calendar");
        main.addInitialProperty("camel.component.fireflies.api-key", apiKey);
        String uri = "fireflies:graphql?operation=addToLiveMeeting&graphqlUrl=" + graphqlUrl + "&budgetMaxWait="
                     + budgetMaxWait.toMillis();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                // a call the budget would have to wait for longer than budgetMaxWait: never sent, said why
                onException(RateBudgetExceededException.class).handled(true).process(e -> {
                    RateBudgetExceededException x = e.getProperty(Exchange.EXCEPTION_CAUGHT,
                            RateBudgetExceededException.class);
                    out.println("Held back, not sent: " + e.getMessage().getHeader("meetingTitle") + " (" + x.getLimit()
                                + "; frees at " + (x.getFreesAt() == null ? "never" : TIME.format(x.getFreesAt()))
                                + ")");
                });
                // any other failure: said, and the next meeting of the calendar is tried
                onException(Exception.class).handled(true).process(e -> out.println("Not sent: "
                        + e.getMessage().getHeader("meetingTitle") + " ("
                        + e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage() + ")"));
                from("timer:calendar?repeatCount=1")
                        .routeId("notetaker-calendar")
                        .onCompletion().process(e -> main.completed()).end()
                        .setBody(constant(meetings))
                        .split(body())
                            .process(e -> e.getMessage().setHeader("meetingTitle",
                                    e.getMessage().getBody(Map.class).get("title")))
                            .to(uri)
                            .process(e -> out.println("Notetaker sent to " + e.getMessage().getHeader("meetingTitle")
                                                      + ": " + e.getMessage().getBody(AddToLiveMeeting.class).message()))
                        .end();
            }
        });
        main.run();
    }
}
