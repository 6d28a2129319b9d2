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
package io.github.camelfireflies.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelfireflies.api.WebhookEvent;
import io.github.camelfireflies.internal.webhook.WebhookSignature;
import io.github.camelfireflies.it.InstanceOptions.Cluster;
import io.github.camelfireflies.it.InstanceProcess.Emitted;
import io.github.camelfireflies.it.InstanceProcess.Killed;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import io.github.camelfireflies.testsupport.NodeSocketIoServer.SentEvent;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handover without loss, two instance JVMs ({@link InstanceMain}) with {@code backfill=all}, {@code emit=final} and
 * camel-sql's JDBC idempotent repository on a real PostgreSQL, sharing one fixture, one PostgreSQL and one ZooKeeper
 * for the whole class (each run has meetings of its own).
 * <ul>
 * <li>{@link #sigkillOfTheOwner}: with camel-file's {@code FileLockClusterService} and with camel-zookeeper's, at
 * {@code pollInterval} 300 ms and 2 s. Four meetings; once each has its owner, the owner of more is killed with
 * SIGKILL. Half of its meetings end 2 s after the kill (before or about when the survivor owns them: their tail is
 * completed from {@code transcript(id)}), the others go on (mid-meeting: the survivor streams them) and end later.
 * No instance may log that it joins a view again while both are healthy.</li>
 * <li>{@link #sigkillOfTheOwnerWithWebhooksAndPollingOff}: {@code webhook:fireflies:meetings} with
 * {@code pollInterval=0}, the test sending {@code meeting.bot_joined} and, at the end, {@code meeting.transcribed} as
 * Fireflies does, signed. Behind a fan-out (every delivery to both instances; the shared repository refuses the second
 * copy, which still tells that instance of the meeting) the survivor streams the dead owner's meetings as soon as it
 * leads their views; behind a load balancer (each delivery to one instance) it never heard of them, and completes them
 * from {@code transcript(id)} when their {@code meeting.transcribed} reaches it.</li>
 * <li>{@link #postgresStoppedForTenSecondsMidMeeting}: the repository's database goes away for 10 s and comes back;
 * no handover; the owners' health says why meanwhile.</li>
 * </ul>
 * Each run: every segment sent is in the union of both outputs (0 missing), at most one repeated per meeting the dead
 * instance owned (none elsewhere), and every meeting's completion recorded; it prints the takeover times.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandoverTest {

    private static final Logger LOG = LoggerFactory.getLogger(HandoverTest.class);
    private static final int MEETINGS = 4;
    /** Longer than any run: the meetings are ended by the test. */
    private static final int SEGMENTS = 400;
    private static final Duration SEGMENT_EVERY = Duration.ofMillis(250);
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    /** How long after the kill the near-end meetings end. */
    private static final Duration NEAR_END = Duration.ofSeconds(2);
    /** How long the survivor streams the mid-meeting ones before they end. */
    private static final Duration STREAM_ON = Duration.ofSeconds(3);
    private static final long SESSION_TIMEOUT_MILLIS = ZooKeeperTakeoverTest.DEFAULT_SESSION_TIMEOUT_MILLIS;
    private static final Pattern TEXT = Pattern.compile("segment (\\d+) revision (\\d+)");

    private static final String WEBHOOK_SECRET = "whsec-it-" + UUID.randomUUID();

    /** How each webhook reaches the instances. */
    enum Delivery {
        /** To every instance (a fan-out in front of them), the same bytes. */
        FAN_OUT,
        /** To one instance (a load balancer): meeting i to instance i % 2, to the survivor after the kill. */
        ONE_INSTANCE
    }

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private PostgresServer postgres;
    private NodeSocketIoServer fixture;
    private TestingServer zookeeper;
    private final List<InstanceProcess> instances = new ArrayList<>();
    private final List<String> meetings = new ArrayList<>();

    @BeforeAll
    void startServers() throws Exception {
        postgres = PostgresServer.start("fireflies_handover"); // skips the class without PostgreSQL (fails in CI)
        IdempotentSchema.createIfMissing(postgres.dataSource());
        fixture = NodeSocketIoServer.start();
        zookeeper = ZooKeeperTakeoverTest.startZooKeeper(SESSION_TIMEOUT_MILLIS);
    }

    @AfterEach
    void stopInstances() throws Exception {
        Teardown.stopAll(instances, meetings, null);
        assertThat(instances).noneMatch(InstanceProcess::isAlive);
        for (String m : meetings) {
            fixture.endMeeting(m);
        }
        instances.clear();
        meetings.clear();
    }

    @AfterAll
    void stopServers() throws Exception {
        Teardown.stopAll(List.of(), List.of(), fixture, zookeeper, postgres);
    }

    private InstanceProcess instance(String name, Cluster cluster, long pollIntervalMillis, String run) {
        InstanceOptions options = InstanceOptions.forFixture(name, work.resolve(run + "-" + name + ".jsonl"), fixture)
                .withPollInterval(pollIntervalMillis).withJdbc(postgres.jdbcUrl(), postgres.user())
                .withBackfill("all").withIdempotentRepository();
        options = cluster == Cluster.ZOOKEEPER
                ? options.withZooKeeper(zookeeper.getConnectString(), SESSION_TIMEOUT_MILLIS)
                : options.withFileLock(work.resolve(run + "-locks"));
        InstanceProcess p = InstanceProcess.start(options, fixture.apiKey());
        instances.add(p);
        return p;
    }

    private InstanceProcess webhookInstance(String name, Cluster cluster, String run) throws IOException {
        InstanceOptions options = InstanceOptions.forFixture(name, work.resolve(run + "-" + name + ".jsonl"), fixture)
                .withJdbc(postgres.jdbcUrl(), postgres.user()).withBackfill("all").withIdempotentRepository()
                .withWebhooks(freePort());
        options = cluster == Cluster.ZOOKEEPER
                ? options.withZooKeeper(zookeeper.getConnectString(), SESSION_TIMEOUT_MILLIS)
                : options.withFileLock(work.resolve(run + "-locks"));
        InstanceProcess p = InstanceProcess.start(options, fixture.apiKey(), WEBHOOK_SECRET);
        instances.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * One webhook as Fireflies sends it (V2 body, HMAC-SHA256 in {@code X-Hub-Signature}), the same bytes to each of
     * {@code to} in turn. Returns each answer's status, -1 where nobody answered (a dead instance).
     */
    private List<Integer> deliver(List<InstanceProcess> to, String event, String meeting) {
        byte[] body = ("{\"event\":\"" + event + "\",\"timestamp\":" + System.currentTimeMillis()
                       + ",\"meeting_id\":\"" + meeting + "\"}").getBytes(StandardCharsets.UTF_8);
        String signature = WebhookSignature.sign(WEBHOOK_SECRET, body);
        List<Integer> statuses = new ArrayList<>();
        for (InstanceProcess p : to) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.options().webhookPort()
                                                                    + InstanceOptions.WEBHOOK_PATH))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header(WebhookSignature.HEADER, signature).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            try {
                statuses.add(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
            } catch (IOException e) {
                statuses.add(-1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                statuses.add(-1);
            }
        }
        return statuses;
    }

    private InstanceProcess ownerOf(String meeting) {
        return instances.stream().filter(i -> i.isAlive() && i.streaming().contains(meeting)).findFirst().orElse(null);
    }

    /** Starts the meetings one after the other, each once it has an owner, then waits until each one emits. */
    private void startMeetings(String run, int count) {
        for (int i = 1; i <= count; i++) {
            String m = "ho-" + run + "-" + i;
            fixture.startMeeting(m, MeetingScript.generated(SEGMENTS, SEGMENT_EVERY, 1).withTitle("Handover " + i));
            meetings.add(m);
            await("an owner for " + m).atMost(SETTLE).until(() -> ownerOf(m) != null);
        }
        awaitEachStreamedOnce();
    }

    /** Waits until each meeting is streamed by exactly one instance, which emits. */
    private void awaitEachStreamedOnce() {
        await("every meeting streamed by one instance, which emits").atMost(SETTLE).pollInterval(Duration.ofMillis(50))
                .until(() -> meetings.stream().allMatch(m -> {
                    InstanceProcess owner = ownerOf(m);
                    return owner != null && owner.emitted(m).size() >= 3
                           && instances.stream().filter(i -> i.streaming().contains(m)).count() == 1;
                }));
    }

    /** Waits without sleeping: Awaitility's poll delay, then a condition that holds. */
    private static void pause(Duration d) {
        await().pollDelay(d).atMost(d.plusSeconds(5)).until(() -> true);
    }

    @ParameterizedTest(name = "{0}, pollInterval {1} ms")
    @CsvSource({ "FILE, 300", "FILE, 2000", "ZOOKEEPER, 300", "ZOOKEEPER, 2000" })
    void sigkillOfTheOwner(Cluster cluster, long pollIntervalMillis, TestReporter reporter) throws Exception {
        long t0 = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 8);
        InstanceProcess a = instance("a", cluster, pollIntervalMillis, run);
        InstanceProcess b = instance("b", cluster, pollIntervalMillis + pollIntervalMillis / 3, run);
        a.awaitReady(STARTUP);
        b.awaitReady(STARTUP);
        startMeetings(run, MEETINGS);
        assertThat(a.rejoins()).as("a joined a view again on a healthy cluster").isEmpty();
        assertThat(b.rejoins()).as("b joined a view again on a healthy cluster").isEmpty();

        InstanceProcess victim = a.streaming().size() >= b.streaming().size() ? a : b;
        InstanceProcess survivor = victim == a ? b : a;
        List<String> moved = List.copyOf(victim.streaming());
        Set<String> nearEnd = new TreeSet<>();
        Set<String> mid = new TreeSet<>();
        for (int i = 0; i < moved.size(); i++) {
            (i % 2 == 0 ? nearEnd : mid).add(moved.get(i));
        }
        Set<String> kept = survivor.streaming();
        Killed killed = victim.kill();
        assertThat(killed.exitCode()).isEqualTo(InstanceProcess.SIGKILL_EXIT_CODE);

        pause(NEAR_END);
        for (String m : nearEnd) {
            fixture.endMeeting(m);
        }
        // the mid-meeting ones are taken over while they go on
        await("takeover of " + mid).atMost(SETTLE).pollInterval(Duration.ofMillis(50)).until(() -> mid.stream()
                .allMatch(m -> survivor.streaming().contains(m)
                               && survivor.emitted(m).stream().anyMatch(e -> e.nanos() > killed.nanos())));
        pause(STREAM_ON);
        for (String m : meetings) {
            if (!nearEnd.contains(m)) {
                fixture.endMeeting(m);
            }
        }
        await("every meeting's completion recorded").atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .until(() -> meetings.stream().allMatch(this::completed));
        assertThat(survivor.stop(Duration.ofSeconds(30))).isZero();

        String title = String.format("%s, pollInterval %d ms (%s %d ms): SIGKILL of %s (owned %s; near the end %s,"
                                     + " mid-meeting %s); %s owned %s", cluster, pollIntervalMillis, survivor.name(),
                survivor.options().pollIntervalMillis(), victim.name(), moved, nearEnd, mid, survivor.name(), kept);
        Map<String, Result> results = analyse(victim, survivor, killed.nanos());
        report(title, results, victim, survivor, killed, nearEnd, t0, reporter);

        assertThat(moved).isNotEmpty();
        assertThat(results).allSatisfy((m, r) -> assertThat(r.missing).as("segments missing in %s", m).isEmpty());
        assertThat(results).allSatisfy((m, r) -> assertThat(r.wrong).as("wrong text in %s", m).isEmpty());
        for (String m : meetings) {
            assertThat(results.get(m).repeats).as("repeats in %s", m)
                    .hasSizeLessThanOrEqualTo(moved.contains(m) ? 1 : 0).allSatisfy((i, n) -> assertThat(n).isEqualTo(1));
        }
        // a stream opened on a meeting that had just ended reports that its backfill found it no longer live; the
        // meeting is then completed from transcript(id): that report is expected, no other
        assertThat(survivor.errors()).filteredOn(e -> !e.contains("(NOT_LIVE)")).isEmpty();
        assertThat(survivor.rejoins()).as("the survivor joined a view again").isEmpty();
        ZooKeeperTakeoverTest.assertOneOwnerAtATime(List.of(victim, survivor), Map.of(victim.name(), killed.nanos()));
    }

    @ParameterizedTest(name = "webhooks, polling off, {0}, {1}")
    @CsvSource({ "FILE, FAN_OUT", "ZOOKEEPER, FAN_OUT", "FILE, ONE_INSTANCE" })
    void sigkillOfTheOwnerWithWebhooksAndPollingOff(Cluster cluster, Delivery delivery, TestReporter reporter)
            throws Exception {
        long t0 = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 8);
        InstanceProcess a = webhookInstance("a", cluster, run);
        InstanceProcess b = webhookInstance("b", cluster, run);
        a.awaitReady(STARTUP);
        b.awaitReady(STARTUP);
        for (int i = 1; i <= MEETINGS; i++) {
            String m = "wh-" + run + "-" + i;
            fixture.startMeeting(m, MeetingScript.generated(SEGMENTS, SEGMENT_EVERY, 1).withTitle("Webhook " + i));
            meetings.add(m);
            // the fan-out alternates which instance it reaches first, so that each owns some meetings
            List<InstanceProcess> to = delivery == Delivery.ONE_INSTANCE ? List.of(i % 2 == 0 ? a : b)
                    : i % 2 == 0 ? List.of(a, b) : List.of(b, a);
            assertThat(deliver(to, WebhookEvent.MEETING_BOT_JOINED, m)).as("meeting.bot_joined of %s", m)
                    .containsOnly(200);
            await("an owner for " + m).atMost(SETTLE).until(() -> ownerOf(m) != null);
        }
        awaitEachStreamedOnce();
        assertThat(a.rejoins()).as("a joined a view again on a healthy cluster").isEmpty();
        assertThat(b.rejoins()).as("b joined a view again on a healthy cluster").isEmpty();

        InstanceProcess victim = a.streaming().size() >= b.streaming().size() ? a : b;
        InstanceProcess survivor = victim == a ? b : a;
        List<String> moved = List.copyOf(victim.streaming());
        Set<String> kept = survivor.streaming();
        Killed killed = victim.kill();
        assertThat(killed.exitCode()).isEqualTo(InstanceProcess.SIGKILL_EXIT_CODE);
        if (delivery == Delivery.FAN_OUT) {
            await("takeover of " + moved).atMost(SETTLE).pollInterval(Duration.ofMillis(50)).until(() -> moved.stream()
                    .allMatch(m -> survivor.streaming().contains(m)
                                   && survivor.emitted(m).stream().anyMatch(e -> e.nanos() > killed.nanos())));
        }
        pause(STREAM_ON);
        if (delivery == Delivery.ONE_INSTANCE) {
            assertThat(survivor.streaming()).as("the survivor never heard of the dead owner's meetings")
                    .doesNotContainAnyElementsOf(moved);
        }
        long transcribedNanos = System.nanoTime();
        for (String m : meetings) {
            fixture.endMeeting(m);
            List<Integer> statuses = deliver(delivery == Delivery.FAN_OUT ? List.of(a, b) : List.of(survivor),
                    WebhookEvent.MEETING_TRANSCRIBED, m);
            assertThat(statuses.get(delivery == Delivery.FAN_OUT ? List.of(a, b).indexOf(survivor) : 0))
                    .as("meeting.transcribed of %s to the survivor", m).isEqualTo(200);
        }
        await("every meeting's completion recorded").atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .until(() -> meetings.stream().allMatch(this::completed));
        long completedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - transcribedNanos);
        assertThat(survivor.stop(Duration.ofSeconds(30))).isZero();

        String title = String.format("webhooks, pollInterval 0, %s, %s: SIGKILL of %s mid-meeting (owned %s); %s owned"
                                     + " %s; meeting.transcribed sent %d ms after the kill, every completion recorded"
                                     + " %d ms later", cluster, delivery, victim.name(), moved, survivor.name(), kept,
                TimeUnit.NANOSECONDS.toMillis(transcribedNanos - killed.nanos()), completedAfter);
        Map<String, Result> results = analyse(victim, survivor, killed.nanos());
        report(title, results, victim, survivor, killed, Set.of(), t0, reporter);

        assertThat(moved).isNotEmpty();
        assertThat(results).allSatisfy((m, r) -> assertThat(r.missing).as("segments missing in %s", m).isEmpty());
        assertThat(results).allSatisfy((m, r) -> assertThat(r.wrong).as("wrong text in %s", m).isEmpty());
        for (String m : meetings) {
            assertThat(results.get(m).repeats).as("repeats in %s", m)
                    .hasSizeLessThanOrEqualTo(moved.contains(m) ? 1 : 0).allSatisfy((i, n) -> assertThat(n).isEqualTo(1));
        }
        if (delivery == Delivery.ONE_INSTANCE) {
            assertThat(survivor.counter("TAKENOVER")).as("meetings completed for the dead owner")
                    .isEqualTo(moved.size());
        }
        assertThat(survivor.errors()).filteredOn(e -> !e.contains("(NOT_LIVE)")).isEmpty();
        assertThat(survivor.rejoins()).as("the survivor joined a view again").isEmpty();
        ZooKeeperTakeoverTest.assertOneOwnerAtATime(List.of(victim, survivor), Map.of(victim.name(), killed.nanos()));
    }

    @Test
    void postgresStoppedForTenSecondsMidMeeting(TestReporter reporter) throws Exception {
        long t0 = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 8);
        InstanceProcess a = instance("a", Cluster.FILE, 500, run);
        InstanceProcess b = instance("b", Cluster.FILE, 650, run);
        a.awaitReady(STARTUP);
        b.awaitReady(STARTUP);
        startMeetings(run, 3);

        long stoppedAt = System.nanoTime();
        postgres.pause();
        try {
            await("an owner's health says why").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> instances.stream().anyMatch(i -> i.healthLog().stream()
                            .anyMatch(h -> h.startsWith("DOWN") && h.contains("idempotent repository"))));
            pause(Duration.ofMillis(Math.max(0, 10_000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt))));
        } finally {
            postgres.resume();
        }
        long resumedAt = System.nanoTime();
        await("health UP again").atMost(SETTLE).pollInterval(Duration.ofMillis(100)).until(() -> instances.stream()
                .allMatch(i -> i.healthLog().isEmpty() || i.healthLog().get(i.healthLog().size() - 1).startsWith("UP")));
        long healthyAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumedAt);
        pause(Duration.ofSeconds(2));
        for (String m : meetings) {
            fixture.endMeeting(m);
        }
        await("every meeting's completion recorded").atMost(SETTLE).pollInterval(Duration.ofMillis(200))
                .until(() -> meetings.stream().allMatch(this::completed));
        assertThat(a.stop(Duration.ofSeconds(30))).isZero();
        assertThat(b.stop(Duration.ofSeconds(30))).isZero();

        Map<String, Result> results = analyse(a, b, Long.MAX_VALUE);
        String title = String.format("PostgreSQL stopped 10 s mid-meeting (file lock, poll 500/650 ms): health UP %d ms"
                                     + " after it was back; a said %s; b said %s; held at most a %d, b %d",
                healthyAfter, a.healthLog(), b.healthLog(), maxHeld(a), maxHeld(b));
        report(title, results, null, null, null, Set.of(), t0, reporter);
        assertThat(results).allSatisfy((m, r) -> {
            assertThat(r.missing).as("segments missing in %s", m).isEmpty();
            assertThat(r.wrong).as("wrong text in %s", m).isEmpty();
            assertThat(r.repeats).as("repeats in %s", m).hasSizeLessThanOrEqualTo(1);
        });
        assertThat(maxHeld(a) + maxHeld(b)).as("segments held while the database was away").isPositive();
    }

    // ------------------------------------------------------------------------------------------------ analysis

    private static long maxHeld(InstanceProcess p) {
        return p.maxCounter("HELD");
    }

    private boolean completed(String meeting) {
        try (Connection c = postgres.connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM camel_messageprocessed WHERE processorName"
                                                      + " = ? AND messageId = ?")) {
            s.setString(1, InstanceOptions.REPOSITORY_PROCESSOR_NAME);
            s.setString(2, "fireflies:done:" + meeting);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** One meeting: sent, emitted by each, missing, repeated, wrong text, takeover times. */
    private static final class Result {
        int sent;
        int byFirst;
        int bySecond;
        long backfilled;
        List<Integer> missing = new ArrayList<>();
        Map<Integer, Integer> repeats = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        long ownedAfterMillis = -1;
        long firstAfterMillis = -1;
        long lastAfterMillis = -1;
    }

    private Map<String, Result> analyse(InstanceProcess first, InstanceProcess second, long killedNanos) {
        Map<String, Result> results = new LinkedHashMap<>();
        for (String m : meetings) {
            Result r = new Result();
            Map<String, String> lastText = new LinkedHashMap<>();
            for (SentEvent e : fixture.meetingLog(m)) {
                lastText.put(e.chunkId(), e.text());
            }
            r.sent = lastText.size();
            Map<Integer, List<Emitted>> byFirst = segments(first.emitted(m));
            Map<Integer, List<Emitted>> bySecond = segments(second.emitted(m));
            r.byFirst = byFirst.values().stream().mapToInt(List::size).sum();
            r.bySecond = bySecond.values().stream().mapToInt(List::size).sum();
            for (int i = 0; i < r.sent; i++) {
                List<Emitted> all = new ArrayList<>(byFirst.getOrDefault(i, List.of()));
                all.addAll(bySecond.getOrDefault(i, List.of()));
                if (all.isEmpty()) {
                    r.missing.add(i);
                } else if (all.size() > 1) {
                    r.repeats.put(i, all.size() - 1);
                }
                String expected = lastText.get(MeetingScript.generatedChunkId(i));
                for (Emitted e : all) {
                    if (!e.text().equals(expected)) {
                        r.wrong.add(e.instance() + ":" + e.chunkId() + "=" + e.text());
                    }
                }
                r.backfilled += all.stream().filter(Emitted::backfill).count();
            }
            if (killedNanos != Long.MAX_VALUE) {
                long owned = second.ownershipLog().stream()
                        .filter(o -> o.streaming() && o.transcriptId().equals(m) && o.nanos() > killedNanos)
                        .mapToLong(InstanceProcess.Ownership::nanos).min().orElse(-1);
                List<Long> after = second.emitted(m).stream().map(Emitted::nanos).filter(n -> n > killedNanos).sorted()
                        .toList();
                r.ownedAfterMillis = owned < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(owned - killedNanos);
                r.firstAfterMillis = after.isEmpty() ? -1 : TimeUnit.NANOSECONDS.toMillis(after.get(0) - killedNanos);
                r.lastAfterMillis = after.isEmpty() ? -1
                        : TimeUnit.NANOSECONDS.toMillis(after.get(after.size() - 1) - killedNanos);
            }
            results.put(m, r);
        }
        return results;
    }

    private void report(String title, Map<String, Result> results, InstanceProcess victim, InstanceProcess survivor,
                        Killed killed, Set<String> nearEnd, long t0, TestReporter reporter) {
        StringBuilder out = new StringBuilder(title).append(String.format("%n"));
        out.append(String.format("%-20s %-8s %5s %6s %6s %8s %7s %7s %5s %12s %12s %12s%n", "meeting", "case", "sent",
                victim == null ? "a" : victim.name(), survivor == null ? "b" : survivor.name(), "backfill", "missing",
                "repeats", "wrong", "owned after", "1st after", "last after"));
        for (Map.Entry<String, Result> e : results.entrySet()) {
            Result r = e.getValue();
            String kind = victim == null ? "-" : nearEnd.contains(e.getKey()) ? "near-end"
                    : r.byFirst > 0 ? "mid" : "kept";
            out.append(String.format("%-20s %-8s %5d %6d %6d %8d %7d %7d %5d %12s %12s %12s%n", e.getKey(), kind,
                    r.sent, r.byFirst, r.bySecond, r.backfilled, r.missing.size(),
                    r.repeats.values().stream().mapToInt(Integer::intValue).sum(), r.wrong.size(),
                    ms(r.ownedAfterMillis), ms(r.firstAfterMillis), ms(r.lastAfterMillis)));
            if (victim != null && r.byFirst > 0) {
                reporter.publishEntry("takeover " + kind + " " + e.getKey(), "owned after " + ms(r.ownedAfterMillis)
                        + ", first exchange after " + ms(r.firstAfterMillis) + ", missing " + r.missing.size()
                        + ", repeated " + r.repeats.size());
            }
        }
        if (survivor != null) {
            out.append(String.format("%s completed %d meeting(s) for the dead owner; skipped %d segments as emitted"
                                     + " before; ", survivor.name(), survivor.counter("TAKENOVER"), survivor.skipped()));
        }
        out.append(String.format("run took %d s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)));
        System.out.println(out);
        LOG.info("{}", out);
    }

    private static String ms(long millis) {
        return millis < 0 ? "-" : millis + " ms";
    }

    /** The final segments (corrections aside) an instance emitted for a meeting, by segment index. */
    private static Map<Integer, List<Emitted>> segments(List<Emitted> lines) {
        Map<Integer, List<Emitted>> by = new TreeMap<>();
        for (Emitted e : lines) {
            if (e.chunkId() != null && Boolean.TRUE.equals(e.chunkFinal()) && !Boolean.TRUE.equals(e.correction())) {
                Matcher m = TEXT.matcher(e.text());
                assertThat(m.matches()).as("text %s", e.text()).isTrue();
                by.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(e);
            }
        }
        return by;
    }
}
