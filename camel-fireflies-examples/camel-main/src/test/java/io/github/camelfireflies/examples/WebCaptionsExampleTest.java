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
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.junit.FirefliesSimulatorExtension;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web page example: Camel serves the page and a Server-Sent Events stream on 127.0.0.1 (a free port), fed by the
 * Fireflies route from the simulator, which the test steers event by event. One test reads the stream with a plain
 * HTTP client; the other drives headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) and asserts
 * the captions on the page, a revision replacing its line. Without Chromium the browser test is skipped, except under
 * {@code CI=true}, where it fails.
 */
class WebCaptionsExampleTest {

    private static final String TRANSCRIPT = "web-test";
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));

    @RegisterExtension
    static FirefliesSimulatorExtension fireflies = FirefliesSimulatorExtension.builder().build();

    private Main main;
    private CaptionHub hub;
    private int port;

    @BeforeEach
    void startExample(FirefliesSimulator sim) throws Exception {
        port = freePort();
        main = WebCaptionsExample.create(
                MeetingSource.external(fireflies.url(), fireflies.path(), fireflies.apiKey(), TRANSCRIPT),
                "127.0.0.1", port, hub = new CaptionHub());
        main.start();
        assertThat(sim.awaitSubscribers(TRANSCRIPT, 1, Duration.ofSeconds(30))).as("the captions route subscribed").isTrue();
    }

    @AfterEach
    void stopExample() throws Exception {
        if (main != null) {
            main.stop();
        }
    }

    @Test
    void servesThePageAndStreamsCaptionsAsServerSentEvents(FirefliesSimulator sim) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(base().resolve("/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(page.body()).contains("<script src=\"captions.js\"></script>");
            HttpResponse<String> script = http.send(HttpRequest.newBuilder(base().resolve("/captions.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(script.body()).contains("new EventSource('events')");

            // sent before anyone listens: a browser that connects later gets it first
            sim.emitTranscription(TRANSCRIPT, "c0", "Alice", "early words", 0, 0.8);
            await().atMost(Duration.ofSeconds(20)).until(() -> hub.lineCount() == 1);

            HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(base().resolve("/events")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/event-stream"));
            Iterator<String> lines = events.body().filter(l -> l.startsWith("data: ")).iterator();
            assertThat(lines.next()).contains("\"chunk_id\":\"c0\"").contains("\"text\":\"early words\"");
            sim.emitTranscription(TRANSCRIPT, "c1", "Bob", "live words", 1.0, 1.5);
            assertThat(lines.next()).contains("\"chunk_id\":\"c1\"").contains("\"speaker_name\":\"Bob\"")
                    .contains("\"text\":\"live words\"").contains("\"transcript_id\":\"" + TRANSCRIPT + "\"");
            events.body().close();
        });
    }

    @Test
    void theBrowserShowsCaptionsLiveAndARevisionReplacesItsLine(FirefliesSimulator sim) throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: .ci/extra-setup installs chromium"
                 + " and chromium-driver");
        }
        if (!present) {
            // said in the build output too, not only in the surefire report
            System.err.println("[WebCaptionsExampleTest] Browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                               + " not installed (apt-get install chromium chromium-driver)");
        }
        assumeTrue(present, "Browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " not installed"
                            + " (apt-get install chromium chromium-driver)");

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
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        WebDriver browser = new ChromeDriver(service, options);
        try {
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            sim.emitTranscription(TRANSCRIPT, "c0", "Alice", "Welcome everyone", 0, 1.0);

            browser.get(base().resolve("/").toString());
            assertThat(browser.getTitle()).contains("Live captions");
            await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("status")).getText(),
                    "live"::equals);
            await().atMost(Duration.ofSeconds(20)).until(() -> captions(browser),
                    l -> l.equals(List.of("c0 | Alice: | Welcome everyone")));

            sim.emitTranscription(TRANSCRIPT, "c1", "Bob", "Thanks for", 1.2, 1.6);
            await().atMost(Duration.ofSeconds(20)).until(() -> captions(browser), l -> l.equals(List.of(
                    "c0 | Alice: | Welcome everyone", "c1 | Bob: | Thanks for")));

            // a revision of c1: same line, new text, no new line
            sim.emitTranscription(TRANSCRIPT, "c1", "Bob", "Thanks for having me", 1.2, 2.1);
            await().atMost(Duration.ofSeconds(20)).until(() -> captions(browser), l -> l.equals(List.of(
                    "c0 | Alice: | Welcome everyone", "c1 | Bob: | Thanks for having me")));

            sim.emitTranscription(TRANSCRIPT, "c2", "Alice", "Great to see you 👋", 2.2, 3.0);
            await().atMost(Duration.ofSeconds(20)).until(() -> captions(browser), l -> l.equals(List.of(
                    "c0 | Alice: | Welcome everyone", "c1 | Bob: | Thanks for having me",
                    "c2 | Alice: | Great to see you 👋")));
        } finally {
            browser.quit();
            delete(profile);
        }
    }

    /** The caption lines on the page: {@code chunk | speaker | text}. */
    private static List<String> captions(WebDriver browser) {
        return browser.findElements(By.cssSelector("#captions .line")).stream()
                .map(l -> l.getAttribute("data-chunk-id") + " | " + text(l, ".speaker") + " | " + text(l, ".text"))
                .toList();
    }

    private static String text(WebElement line, String css) {
        return line.findElement(By.cssSelector(css)).getText();
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
