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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.WebhookDelivery;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The dashboard with a webhook secret: {@code fireflies:meetings?webhookPath=...} on the dashboard's own server (polling off),
 * a simulator that sends signed {@code meeting.bot_joined} webhooks to it when the test starts a meeting. The panel
 * appears with the meeting's title (named by the backfill's {@code transcript(id)}), shows its captions, and is
 * marked ended when the server ends the meeting's session.
 */
class DashboardWebhooksTest {

    private static final String KEY = "dashboard-webhook-key";
    private static final String SECRET = "dashboard-webhook-secret";

    @Test
    void aMeetingFollowedByWebhookGetsItsPanelCaptionsAndEnd() throws Exception {
        int port = freePort();
        MeetingBoard board = new MeetingBoard();
        try (FirefliesSimulator sim = FirefliesSimulator.builder().apiKey(KEY)
                .webhook(URI.create("http://127.0.0.1:" + port + WebhookMeetingsExample.PATH), SECRET)
                .start()) {
            Main main = DashboardExample.createForWebhooks(KEY, SECRET, null, 0, "127.0.0.1", port, board, sim.url());
            main.start();
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                    HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/events")).build(),
                            HttpResponse.BodyHandlers.ofLines());
                    Iterator<String> lines = events.body().filter(l -> l.startsWith("data: ")).iterator();

                    sim.startMeeting("hook-1", "Webhook sync", "alice@example.com");
                    assertThat(sim.awaitSubscribers("hook-1", 1, Duration.ofSeconds(30))).as("followed").isTrue();
                    assertThat(sim.webhookDeliveries()).extracting(WebhookDelivery::status).contains(200);
                    assertThat(until(lines, "\"type\":\"meeting\"")).contains("\"id\":\"hook-1\"", "\"state\":\"live\"");

                    // known by its id at first: the title and organizer come once the backfill's transcript(id) named
                    // it, at the latest with its first segment
                    sim.emitTranscription("hook-1", "h1", "Alice", "Hello from", 0.4, 1.0);
                    List<String> seen = new ArrayList<>();
                    String segment = until(lines, "\"type\":\"segment\"", seen);
                    assertThat(segment).contains("\"chunk_id\":\"h1\"", "\"text\":\"Hello from\"");
                    assertThat(board.title("hook-1")).isEqualTo("Webhook sync");
                    assertThat(seen).anySatisfy(l -> assertThat(l).contains("\"type\":\"meeting\"",
                            "\"title\":\"Webhook sync\"", "\"organizer\":\"alice@example.com\""));
                    sim.emitTranscription("hook-1", "h1", "Alice", "Hello from the webhook", 0.4, 1.8);
                    assertThat(until(lines, "\"type\":\"segment\"")).contains("\"chunk_id\":\"h1\"",
                            "\"text\":\"Hello from the webhook\"", "\"revision\":2");

                    sim.endMeeting("hook-1");
                    assertThat(until(lines, "\"type\":\"meeting\"")).contains("\"id\":\"hook-1\"", "\"state\":\"ended\"");
                    assertThat(board.state("hook-1")).isEqualTo("ended");
                    events.body().close();
                });
            } finally {
                main.stop();
            }
        }
    }

    /** The next {@code data:} line that contains {@code part}, among the next 100 (the test's timeout bounds the wait). */
    private static String until(Iterator<String> lines, String part) {
        return until(lines, part, new ArrayList<>());
    }

    /** As {@link #until(Iterator, String)}, adding every line read to {@code seen}. */
    private static String until(Iterator<String> lines, String part, List<String> seen) {
        for (int i = 0; i < 100; i++) {
            String line = lines.next();
            seen.add(line);
            if (line.contains(part)) {
                return line;
            }
        }
        throw new AssertionError("No update with " + part + " among the next 100");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
