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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.simulator.Shape;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The meetings dashboard: Camel serves the page and its Server-Sent Events on 127.0.0.1 (a free port), fed by
 * {@code fireflies:meetings} polling a simulator that this test steers: it starts and ends meetings, pauses one, cuts
 * one's connection and sends their captions (the lines of the demo's scripts). One test reads the event stream with a
 * plain HTTP client; the other drives headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) and
 * checks what the page shows, then takes the screenshots: {@code target/dashboard.png} (laptop) and
 * {@code target/dashboard-phone.png}, copied to {@code -Ddashboard.screenshot=<file>} when set (the README's picture).
 * Without Chromium the browser test is skipped, except under {@code CI=true}, where it fails.
 */
class DashboardExampleTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
    private static final String KEY = "dashboard-test-key";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private FirefliesSimulator sim;
    private Main main;
    private MeetingBoard board;
    private int port;

    @BeforeEach
    void startExample() throws Exception {
        sim = FirefliesSimulator.builder().apiKey(KEY).start();
        port = freePort();
        board = new MeetingBoard();
        main = DashboardExample.create(MeetingSource.externalDiscovery(sim.url(), sim.path(), KEY, sim.graphqlUrl(),
                Duration.ofMillis(300)), "127.0.0.1", port, board, DashboardExample.SIMULATED_OPTIONS);
        // polls every 300 ms, above the default plan's 60 requests a minute: no plan-wide budget (the per-operation
        // caps, such as createLiveActionItem's 10 an hour, still hold)
        main.addInitialProperty("camel.component.fireflies.plan", "NONE");
        main.start();
    }

    @AfterEach
    void stopExample() throws Exception {
        try {
            if (main != null) {
                main.stop();
            }
        } finally {
            sim.close();
        }
    }

    @Test
    void streamsMeetingsSegmentsAndTheirEndAsServerSentEvents() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(base().resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<script src=\"dashboard.js\"></script>");
            for (String file : List.of("/dashboard.js", "/dashboard.css")) {
                assertThat(http.send(HttpRequest.newBuilder(base().resolve(file)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(file).isEqualTo(200);
            }

            // a meeting in progress before anyone listens: a browser that connects later gets it first
            startMeeting("alpha", "Alpha sync", "alice@example.com");
            sim.emitTranscription("alpha", "a1", "Alice", "Hello", 0.5, 1.0);
            await().atMost(WAIT).until(() -> board.meetingCount() == 1 && "live".equals(board.state("alpha")));

            HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(base().resolve("/events")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/event-stream"));
            Iterator<String> lines = events.body().filter(l -> l.startsWith("data: ")).iterator();
            assertThat(lines.next()).contains("\"type\":\"meeting\"", "\"id\":\"alpha\"",
                    "\"title\":\"Alpha sync\"", "\"organizer\":\"alice@example.com\"", "\"state\":\"live\"");
            assertThat(next(lines, "segment")).contains("\"text\":\"Hello\"");

            sim.emitTranscription("alpha", "a1", "Alice", "Hello everyone", 0.5, 1.6);
            assertThat(next(lines, "segment")).contains("\"meeting\":\"alpha\"", "\"chunk_id\":\"a1\"",
                    "\"speaker\":\"Alice\"", "\"speaker_index\":0", "\"text\":\"Hello everyone\"", "\"revision\":2",
                    "\"start\":0.5", "\"end\":1.6", "\"backfill\":false");
            sim.emitTranscription("alpha", "a2", "Bob", "Hi", 2.0, 2.4);
            assertThat(next(lines, "segment")).contains("\"chunk_id\":\"a2\"", "\"speaker\":\"Bob\"",
                    "\"speaker_index\":1");
            // talk time follows each segment: Alice's revised segment counts at its latest length only
            assertThat(next(lines, "talk")).contains("\"meeting\":\"alpha\"",
                    "{\"speaker\":\"Alice\",\"speaker_index\":0,\"seconds\":1.1}",
                    "{\"speaker\":\"Bob\",\"speaker_index\":1,\"seconds\":0.4}");

            sim.endMeeting("alpha");
            assertThat(next(lines, "meeting")).contains("\"id\":\"alpha\"", "\"state\":\"ended\"");
            assertThat(board.state("alpha")).isEqualTo("ended");
            events.body().close();
        });
    }

    @Test
    void answersBadActionItemRequestsWith400AndAnEleventhInAnHourWithAPoliteNote() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            startMeeting("alpha", "Alpha sync", "alice@example.com");
            sim.emitTranscription("alpha", "a1", "Alice", "Hello", 0.5, 1.0);
            await().atMost(WAIT).until(() -> board.meetingCount() == 1);

            for (String bad : List.of("", "not json", "[]", "{\"meeting\":\"alpha\"}", "{\"meeting\":\"alpha\",\"text\":\"  \"}",
                    "{\"meeting\":\"nobody\",\"text\":\"Book the room\"}", "{\"meeting\":1,\"text\":\"Book the room\"}",
                    "{\"meeting\":\"alpha\",\"text\":\"" + "x".repeat(LiveActionItems.MAX_TEXT_CHARS + 1) + "\"}")) {
                assertThat(postActionItem(http, bad).statusCode()).as(bad).isEqualTo(400);
            }
            assertThat(sim.graphqlRequests("createLiveActionItem")).isZero();

            HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(base().resolve("/events")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            Iterator<String> lines = events.body().filter(l -> l.contains("\"type\":\"actions\"")).iterator();
            for (int i = 1; i <= 10; i++) {
                assertThat(postActionItem(http, "{\"meeting\":\"alpha\",\"text\":\"Item " + i + "\"}").statusCode())
                        .isEqualTo(202);
                String update = lines.next();
                assertThat(update).contains("\"meeting\":\"alpha\"", "\"action_item\":\"Item " + i + "\"",
                        "\"note\":null");
            }
            // the eleventh: the component's rate budget refuses it before the API would; the panel gets a note
            assertThat(postActionItem(http, "{\"meeting\":\"alpha\",\"text\":\"Item 11\"}").statusCode())
                    .isEqualTo(202);
            String refused = lines.next();
            assertThat(refused).contains("\"note\":\"Not sent: live action items are limited to 10 an hour.",
                    "\"action_item\":\"Item 10\"").doesNotContain("Item 11");
            assertThat(sim.graphqlRequests("createLiveActionItem")).isEqualTo(10);
            events.body().close();
        });
    }

    private HttpResponse<String> postActionItem(HttpClient http, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base().resolve(LiveActionItems.PATH))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The next update of {@code type}, among the next 20 (the test's timeout bounds the wait). */
    private static String next(Iterator<String> lines, String type) {
        for (int i = 0; i < 20; i++) {
            String line = lines.next();
            if (line.contains("\"type\":\"" + type + "\"")) {
                return line;
            }
        }
        throw new AssertionError("No " + type + " update among the next 20");
    }

    @Test
    void theBrowserShowsAPanelPerMeetingWithLiveCaptionsTalkTimeGapsAndTheirEnd() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: .ci/extra-setup installs chromium"
                 + " and chromium-driver");
        }
        if (!present) {
            System.err.println("[DashboardExampleTest] Browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                               + " not installed (apt-get install chromium chromium-driver)");
        }
        assumeTrue(present, "Browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " not installed");

        Path profile = Files.createTempDirectory("fireflies-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(30))
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,900", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            browser.get(base().resolve("/").toString());
            assertThat(browser.getTitle()).contains("Live meetings");
            await().atMost(WAIT).until(() -> browser.findElement(By.id("connection")).getText(), "connected"::equals);
            assertThat(browser.findElement(By.id("empty")).isDisplayed()).isTrue();
            // the console is read through the driver's log: make sure that channel works before trusting its silence
            ((JavascriptExecutor) browser).executeScript("console.error('dashboard-test-probe')");
            assertThat(severe(browser)).singleElement().asString().contains("dashboard-test-probe");

            // panels appear as the meetings start
            startMeeting("weekly-sync", "Weekly sync", "alice@example.com");
            startMeeting("design-review", "Design review", "chloe@example.com");
            startMeeting("customer-call", "Customer call · Acme", "erin@example.com");
            startMeeting("hiring-debrief", "Hiring debrief", "ines@example.com");
            await().atMost(WAIT).until(() -> panels(browser), l -> l.equals(List.of(
                    "weekly-sync | Weekly sync | live", "design-review | Design review | live",
                    "customer-call | Customer call · Acme | live", "hiring-debrief | Hiring debrief | live")));
            assertThat(browser.findElement(By.id("empty")).isDisplayed()).isFalse();
            assertThat(panel(browser, "weekly-sync").findElement(By.cssSelector(".organizer")).getText())
                    .startsWith("alice@example.com");

            // captions update; a revision replaces its line, in place
            sim.emitTranscription("weekly-sync", "c1", "Alice", "Morning all, quick sync", 0.8, 2.4);
            await().atMost(WAIT).until(() -> captions(browser, "weekly-sync"),
                    l -> l.equals(List.of("c1 | 0:00 | Alice: | Morning all, quick sync")));
            WebElement first = panel(browser, "weekly-sync").findElement(By.cssSelector("[data-chunk-id='c1']"));
            sim.emitTranscription("weekly-sync", "c1", "Alice", "Morning all, quick sync today before the release",
                    0.8, 4.0);
            await().atMost(WAIT).until(() -> captions(browser, "weekly-sync"), l -> l.equals(List.of(
                    "c1 | 0:00 | Alice: | Morning all, quick sync today before the release")));
            assertThat(first.getAttribute("data-revision")).isEqualTo("2"); // the same element, not a new line
            play(browser, "weekly-sync", 2, 12);

            // a gap that the backfill heals: the connection is cut, a segment is said meanwhile, then it is back
            play(browser, "design-review", 0, 10);
            List<JsonNode> design = script("design-review");
            sim.closeConnections("design-review", 1011, "test: connection lost");
            await().atMost(WAIT).until(() -> sim.subscribers("design-review") == 0);
            JsonNode missed = design.get(11); // the finished text of the sixth segment
            assertThat(sim.emitTranscriptions("design-review", List.of(missed), Shape.FLAT))
                    .as("said while nobody was subscribed").isZero();
            assertThat(sim.awaitSubscribers("design-review", 1, WAIT)).isTrue();
            await().atMost(WAIT).until(() -> texts(browser, ".gap-note"),
                    l -> l.size() == 1 && l.get(0).contains("1 segment filled in"));
            await().atMost(WAIT).until(() -> backfilled(browser, "design-review"), l -> l.equals(List.of(
                    "Femi: | And the password rules should show up front")));
            play(browser, "design-review", 12, 16);
            // in time order: the healed line between the fifth and the seventh segments, after the note
            List<String> order = panel(browser, "design-review").findElements(By.cssSelector(".captions > li")).stream()
                    .map(li -> li.getAttribute("class").contains("gap-note") ? "gap"
                            : li.getAttribute("data-chunk-id"))
                    .toList();
            assertThat(order.subList(4, 8)).containsExactly("d5", "gap", order.get(6), "d7");
            assertThat(order.get(6)).startsWith("backfill-");

            // the state a poll saw comes with the meeting's next exchange: paused
            play(browser, "customer-call", 0, 13);
            sim.setMeetingState("customer-call", "paused");
            int polls = sim.graphqlRequests("active_meetings");
            await().atMost(WAIT).until(() -> sim.graphqlRequests("active_meetings") >= polls + 2);
            play(browser, "customer-call", 13, 16);
            await().atMost(WAIT).until(() -> panels(browser).get(2),
                    "customer-call | Customer call · Acme | paused"::equals);

            // a meeting that ends is marked ended, not removed
            play(browser, "hiring-debrief", 0, 14);
            sim.endMeeting("hiring-debrief");
            await().atMost(WAIT).until(() -> panels(browser),
                    l -> l.size() == 4 && l.get(3).equals("hiring-debrief | Hiring debrief | ended"));
            assertThat(captions(browser, "hiring-debrief")).hasSize(7);
            assertThat(browser.findElement(By.id("counts")).getText()).isEqualTo("2 live · 1 paused · 1 ended");

            // talk time per speaker, from the segments' times: Ines 2.4+2.7+2.7+2.2 s, Jon 2.5+2.5+2.0 s
            assertThat(texts(panel(browser, "hiring-debrief"), ".talk-legend li"))
                    .containsExactly("Ines 0:10", "Jon 0:07");
            assertThat(panel(browser, "hiring-debrief").findElements(By.cssSelector(".talk-bar span"))).hasSize(2);
            // a colour per speaker, the same on each of the speaker's lines
            Map<String, String> colours = colours(browser, "weekly-sync");
            assertThat(colours).containsOnlyKeys("Alice:", "Bob:", "Chen:");
            assertThat(colours.values()).doesNotHaveDuplicates();

            // a segment sent as a live action item: a real button (by mouse, then by keyboard), listed in its panel
            WebElement line = panel(browser, "weekly-sync").findElement(By.cssSelector("[data-chunk-id='c1']"));
            WebElement button = line.findElement(By.cssSelector(".actions button"));
            assertThat(button.getAttribute("aria-label")).isEqualTo("Send as a live action item");
            assertThat(button.getAttribute("type")).isEqualTo("button");
            assertThat(panel(browser, "weekly-sync").findElement(By.cssSelector(".action-items")).isDisplayed())
                    .isFalse();
            button.click();
            await().atMost(WAIT).until(() -> texts(panel(browser, "weekly-sync"), ".action-list li"),
                    l -> l.equals(List.of("Morning all, quick sync today before the release")));
            assertThat(sim.graphqlRequests("createLiveActionItem")).isEqualTo(1);
            String said = text(panel(browser, "weekly-sync").findElements(By.cssSelector(".segment")).get(1), ".text");
            WebElement second = panel(browser, "weekly-sync").findElements(By.cssSelector(".segment .actions button"))
                    .get(1);
            ((JavascriptExecutor) browser).executeScript("arguments[0].focus()", second);
            browser.switchTo().activeElement().sendKeys(Keys.ENTER);
            await().atMost(WAIT).until(() -> texts(panel(browser, "weekly-sync"), ".action-list li"),
                    l -> l.equals(List.of("Morning all, quick sync today before the release", said)));
            assertThat(panel(browser, "weekly-sync").findElement(By.cssSelector(".action-list"))
                    .getAttribute("aria-live")).isEqualTo("polite");
            assertThat(texts(panel(browser, "design-review"), ".action-list li")).isEmpty();

            assertThat(severe(browser)).as("console errors").isEmpty();
            screenshots(browser);
            assertThat(severe(browser)).as("console errors").isEmpty();
        } finally {
            browser.quit();
            delete(profile);
        }
    }

    private void startMeeting(String id, String title, String organizer) {
        sim.startMeeting(id, title, organizer);
        assertThat(sim.awaitSubscribers(id, 1, WAIT)).as("the dashboard subscribed to " + id).isTrue();
    }

    /** The transcription events of the demo's script of {@code meeting}, in order (two per segment). */
    private static List<JsonNode> script(String meeting) {
        return MeetingScript.load(DashboardExampleTest.class.getClassLoader()
                .getResource("dashboard/meetings/" + meeting + ".jsonl")).steps().stream()
                .filter(MeetingScript.EventStep.class::isInstance)
                .map(s -> ((MeetingScript.EventStep) s).data())
                .toList();
    }

    /** Sends events {@code from} (inclusive) to {@code to} (exclusive) of a script, each once the page shows the last. */
    private void play(WebDriver browser, String meeting, int from, int to) {
        List<JsonNode> events = script(meeting);
        for (int i = from; i < Math.min(to, events.size()); i++) {
            JsonNode e = events.get(i);
            sim.emitTranscriptions(meeting, List.of(e), Shape.FLAT);
            String chunk = e.get("chunk_id").asText();
            String text = e.get("text").asText();
            await().atMost(WAIT).until(() -> panel(browser, meeting)
                    .findElements(By.cssSelector("[data-chunk-id='" + chunk + "'] .text")).stream()
                    .anyMatch(t -> t.getText().equals(text)));
        }
    }

    private static WebElement panel(WebDriver browser, String meeting) {
        return browser.findElement(By.cssSelector(".panel[data-meeting-id='" + meeting + "']"));
    }

    /** The panels: {@code id | title | state}. */
    private static List<String> panels(WebDriver browser) {
        return browser.findElements(By.cssSelector("#meetings .panel")).stream()
                .map(p -> p.getAttribute("data-meeting-id") + " | " + p.findElement(By.tagName("h2")).getText() + " | "
                          + p.findElement(By.cssSelector(".state")).getText().toLowerCase())
                .toList();
    }

    /** The caption lines of a panel: {@code chunk | time | speaker | text}. */
    private static List<String> captions(WebDriver browser, String meeting) {
        return panel(browser, meeting).findElements(By.cssSelector(".segment")).stream()
                .map(l -> l.getAttribute("data-chunk-id") + " | " + text(l, ".time") + " | " + text(l, ".speaker") + " | "
                          + text(l, ".text"))
                .toList();
    }

    private static List<String> backfilled(WebDriver browser, String meeting) {
        return panel(browser, meeting).findElements(By.cssSelector(".segment.backfill")).stream()
                .map(l -> text(l, ".speaker") + " | " + text(l, ".text"))
                .toList();
    }

    /** Each speaker's line colour (the CSS custom property the speaker's class sets). */
    private static Map<String, String> colours(WebDriver browser, String meeting) {
        Map<String, String> colours = new java.util.TreeMap<>();
        for (WebElement line : panel(browser, meeting).findElements(By.cssSelector(".segment"))) {
            String colour = line.getCssValue("border-left-color");
            String previous = colours.put(text(line, ".speaker"), colour);
            assertThat(previous).as("colour of " + text(line, ".speaker")).isIn(null, colour);
        }
        return colours;
    }

    private static List<String> texts(org.openqa.selenium.SearchContext where, String css) {
        return where.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    private static String text(WebElement line, String css) {
        return line.findElement(By.cssSelector(css)).getText();
    }

    /** The console's errors since the last call. */
    private static List<String> severe(WebDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
    }

    /** The laptop view (1280 px wide) and the phone view (390 px), under target/; the first also where asked. */
    private static void screenshots(WebDriver browser) throws IOException {
        Path target = Path.of("target");
        Files.createDirectories(target);
        Path laptop = target.resolve("dashboard.png");
        // the whole page: as tall as its content
        JavascriptExecutor js = (JavascriptExecutor) browser;
        int chrome = ((Number) js.executeScript("return window.outerHeight - window.innerHeight")).intValue();
        int height = ((Number) js.executeScript("return document.documentElement.scrollHeight")).intValue();
        browser.manage().window().setSize(new Dimension(1280, height + chrome));
        await().atMost(WAIT).until(() -> ((Number) js.executeScript("return window.innerHeight")).intValue() >= height);
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), laptop,
                StandardCopyOption.REPLACE_EXISTING);
        String wanted = System.getProperty("dashboard.screenshot");
        if (wanted != null && !wanted.isBlank()) {
            Files.copy(laptop, Path.of(wanted), StandardCopyOption.REPLACE_EXISTING);
        }
        browser.manage().window().setSize(new Dimension(390, 844));
        await().atMost(WAIT).until(() -> ((Number) ((JavascriptExecutor) browser)
                .executeScript("return window.innerWidth")).intValue() <= 400);
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                target.resolve("dashboard-phone.png"), StandardCopyOption.REPLACE_EXISTING);
        // nothing wider than the phone's screen
        assertThat(((Number) ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth")).intValue()).isLessThanOrEqualTo(400);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
