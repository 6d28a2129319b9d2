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

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelfireflies.it.InstanceProcess.Emitted;
import io.github.camelfireflies.it.InstanceProcess.Killed;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import io.github.camelfireflies.testsupport.NodeSocketIoServer.SentEvent;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly once across instances, on real engines (issue 11): two instance JVMs ({@link InstanceMain}) share a
 * ZooKeeper cluster service (Curator's {@link TestingServer}) and camel-sql's JDBC idempotent repository on a real
 * PostgreSQL ({@link PostgresServer}), each running {@code fireflies:meetings?emit=final&backfill=all
 * &idempotentRepository=...}. The genuine socket.io fixture plays four meetings, which go on whether anybody listens or
 * not. Once every meeting has its owner, the owner of the most meetings is killed with SIGKILL in mid-meeting; the
 * other instance takes its meetings over after the ZooKeeper session expires, backfills each one from its start and
 * emits only what the dead instance had not recorded.
 * <p>
 * After the meetings end, the union of both instances' outputs must hold every segment of every meeting, at the text
 * the fixture sent last, none missing and each exactly once; the one exception allowed is one repeat per meeting the
 * dead instance owned: the segment it had routed but not yet recorded when it was killed (its last one). The report
 * prints, per meeting, the segments sent, emitted by each instance, skipped, repeated, and the takeover time.
 */
class ExactlyOnceAcrossInstancesTest {

    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceAcrossInstancesTest.class);
    private static final int MEETINGS = 4;
    /** 16 s per meeting: they outlast the kill, the session timeout and the takeover by several seconds. */
    private static final int SEGMENTS = 64;
    private static final Duration SEGMENT_EVERY = Duration.ofMillis(250);
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(40);
    private static final Pattern TEXT = Pattern.compile("segment (\\d+) revision (\\d+)");

    @TempDir
    Path work;

    private final long sessionTimeoutMillis = Long.getLong(ZooKeeperTakeoverTest.SESSION_TIMEOUT_PROPERTY,
            ZooKeeperTakeoverTest.DEFAULT_SESSION_TIMEOUT_MILLIS);
    private PostgresServer postgres;
    private NodeSocketIoServer fixture;
    private TestingServer zookeeper;
    private final List<InstanceProcess> instances = new ArrayList<>();
    private final List<String> meetings = new ArrayList<>();
    private ScheduledExecutorService sampler;

    @BeforeEach
    void start() throws Exception {
        postgres = PostgresServer.start("fireflies_once"); // skips the test without PostgreSQL (fails in CI)
        IdempotentSchema.createIfMissing(postgres.dataSource());
        fixture = NodeSocketIoServer.start();
        zookeeper = ZooKeeperTakeoverTest.startZooKeeper(sessionTimeoutMillis);
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        Teardown.stopAll(instances, meetings, fixture, zookeeper, postgres);
        assertThat(instances).noneMatch(InstanceProcess::isAlive);
    }

    private InstanceProcess instance(String name, long pollIntervalMillis) {
        InstanceOptions options = InstanceOptions.forFixture(name, work.resolve(name + ".jsonl"), fixture)
                .withZooKeeper(zookeeper.getConnectString(), sessionTimeoutMillis).withPollInterval(pollIntervalMillis)
                .withJdbc(postgres.jdbcUrl(), postgres.user()).withBackfill("all").withIdempotentRepository();
        InstanceProcess p = InstanceProcess.start(options, fixture.apiKey());
        instances.add(p);
        return p;
    }

    private InstanceProcess ownerOf(String meeting) {
        return instances.stream().filter(i -> i.isAlive() && i.streaming().contains(meeting)).findFirst().orElse(null);
    }

    /** The final segments (corrections aside) an instance emitted for a meeting, by segment index. */
    private static Map<Integer, List<Emitted>> segments(List<Emitted> lines) {
        Map<Integer, List<Emitted>> by = new TreeMap<>();
        for (Emitted e : lines) {
            if (e.chunkId() != null && Boolean.TRUE.equals(e.chunkFinal()) && !Boolean.TRUE.equals(e.correction())) {
                by.computeIfAbsent(index(e), k -> new ArrayList<>()).add(e);
            }
        }
        return by;
    }

    /** Which generated segment a line is, from its text; checks that its chunk id and start time agree. */
    private static int index(Emitted e) {
        Matcher m = TEXT.matcher(e.text());
        assertThat(m.matches()).as("text %s", e.text()).isTrue();
        int i = Integer.parseInt(m.group(1));
        String speaker = MeetingScript.generatedSpeaker(i);
        long startMs = i * SEGMENT_EVERY.toMillis();
        assertThat(e.chunkId()).as("chunk id of segment %d", i)
                .isIn(MeetingScript.generatedChunkId(i), "backfill-" + startMs + "-" + speaker.toLowerCase());
        assertThat(e.speaker()).isEqualTo(speaker);
        assertThat(e.startTime()).isEqualTo(startMs / 1000.0);
        return i;
    }

    @Test
    void aKilledOwnersMeetingsAreTakenOverWithEverySegmentExactlyOnce(TestReporter reporter) throws Exception {
        long t0 = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 8);
        InstanceProcess a = instance("a", 500);
        InstanceProcess b = instance("b", 650); // different poll intervals, so that neither always polls first
        a.awaitReady(STARTUP);
        b.awaitReady(STARTUP);

        Map<String, AtomicInteger> maxSubscribers = new ConcurrentHashMap<>();
        AtomicReference<Throwable> samplerError = new AtomicReference<>();
        sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> {
            try {
                JsonNode subs = fixture.state().path("subscribers");
                for (String m : List.copyOf(meetings)) {
                    maxSubscribers.computeIfAbsent(m, k -> new AtomicInteger())
                            .accumulateAndGet(subs.path(m).asInt(0), Math::max);
                }
            } catch (RuntimeException e) {
                samplerError.compareAndSet(null, e);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        // one meeting after the other, each once it has an owner, so that they spread over both instances
        for (int i = 1; i <= MEETINGS; i++) {
            String m = "once-" + run + "-" + i;
            fixture.startMeeting(m, MeetingScript.generated(SEGMENTS, SEGMENT_EVERY, 1).endingWhenDone()
                    .withTitle("Exactly once " + i));
            meetings.add(m);
            await("an owner for " + m).atMost(SETTLE).until(() -> ownerOf(m) != null);
        }
        await("every meeting streamed by one instance, which emits").atMost(SETTLE).pollInterval(Duration.ofMillis(50))
                .until(() -> meetings.stream().allMatch(m -> {
                    InstanceProcess owner = ownerOf(m);
                    return owner != null && fixture.subscribers(m) == 1 && owner.emitted(m).size() >= 3
                           && instances.stream().filter(i -> i.streaming().contains(m)).count() == 1;
                }));

        // ------------------------------------------------------------------ SIGKILL of the owner of more meetings
        InstanceProcess victim = a.streaming().size() >= b.streaming().size() ? a : b;
        InstanceProcess survivor = victim == a ? b : a;
        Set<String> moved = victim.streaming();
        Set<String> kept = survivor.streaming();
        Killed killed = victim.kill();
        assertThat(killed.exitCode()).as("exit code of a JVM ended by SIGKILL").isEqualTo(InstanceProcess.SIGKILL_EXIT_CODE);
        assertThat(victim.said("STOPPING")).as("a killed instance runs no shutdown hook").isFalse();
        Map<String, Integer> sentAtKill = new TreeMap<>();
        for (String m : moved) {
            sentAtKill.put(m, fixture.meetingProgress(m).sent());
        }

        // the meetings end by themselves; the survivor emits the last segment of each (then everything before it)
        String lastChunk = MeetingScript.generatedChunkId(SEGMENTS - 1);
        await("every meeting over and its last segment emitted").atMost(SETTLE).pollInterval(Duration.ofMillis(100))
                .until(() -> meetings.stream().allMatch(m -> !fixture.meetingProgress(m).live()
                        && survivor.emitted(m).stream().anyMatch(e -> lastChunk.equals(e.chunkId()))));
        long skippedBeforeStop = survivor.skipped();
        assertThat(survivor.stop(Duration.ofSeconds(30))).as("exit code of a graceful stop").isZero();
        sampler.shutdown();
        assertThat(sampler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        // ------------------------------------------------------------------ the union of both outputs
        StringBuilder report = new StringBuilder(String.format(
                "Exactly once across instances: ZooKeeper session timeout %d ms, PostgreSQL camel-sql repository,"
                + " backfill=all, emit=final, finalizeAfter %d ms, a segment every %d ms (speakers alternate), %d"
                + " segments per meeting%nSIGKILL of %s (owned %s); %s owned %s%n", sessionTimeoutMillis,
                victim.options().finalizeAfterMillis(), SEGMENT_EVERY.toMillis(), SEGMENTS, victim.name(), moved,
                survivor.name(), kept));
        report.append(String.format("%-22s %5s %5s %5s %9s %7s %7s %8s %13s %13s%n", "meeting", "sent", victim.name(),
                survivor.name(), "backfill", "missing", "repeats", "wrong", "owned after", "1st exchange"));
        Map<String, List<Integer>> missing = new TreeMap<>();
        Map<String, Map<Integer, Integer>> repeats = new TreeMap<>();
        Map<String, List<String>> wrongText = new TreeMap<>();
        Map<String, long[]> takeover = new TreeMap<>();
        long expectedSkips = 0;
        int lastVictimSegmentRepeated = 0;
        for (String m : meetings) {
            // what the fixture sent: every chunk at its last revision
            Map<String, String> lastText = new LinkedHashMap<>();
            for (SentEvent e : fixture.meetingLog(m)) {
                lastText.put(e.chunkId(), e.text());
            }
            assertThat(lastText).as("chunks %s sent", m).hasSize(SEGMENTS);
            Map<Integer, List<Emitted>> byVictim = segments(victim.emitted(m));
            Map<Integer, List<Emitted>> bySurvivor = segments(survivor.emitted(m));
            List<Integer> gone = new ArrayList<>();
            Map<Integer, Integer> twice = new TreeMap<>();
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < SEGMENTS; i++) {
                List<Emitted> all = new ArrayList<>(byVictim.getOrDefault(i, List.of()));
                all.addAll(bySurvivor.getOrDefault(i, List.of()));
                if (all.isEmpty()) {
                    gone.add(i);
                } else if (all.size() > 1) {
                    twice.put(i, all.size() - 1);
                }
                String expected = lastText.get(MeetingScript.generatedChunkId(i));
                for (Emitted e : all) {
                    if (!e.text().equals(expected)) {
                        wrong.add(e.instance() + ":" + e.chunkId() + "=" + e.text());
                    }
                }
            }
            missing.put(m, gone);
            repeats.put(m, twice);
            wrongText.put(m, wrong);
            long backfilled = bySurvivor.values().stream().flatMap(List::stream).filter(Emitted::backfill).count()
                              + byVictim.values().stream().flatMap(List::stream).filter(Emitted::backfill).count();
            String owned = "";
            String first = "";
            if (moved.contains(m)) {
                long since = survivor.ownershipLog().stream()
                        .filter(o -> o.streaming() && o.transcriptId().equals(m) && o.nanos() > killed.nanos())
                        .mapToLong(InstanceProcess.Ownership::nanos).min().orElse(-1);
                long firstAfter = survivor.emitted(m).stream().mapToLong(Emitted::nanos).filter(n -> n > killed.nanos())
                        .min().orElse(-1);
                long[] t = {since < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(since - killed.nanos()),
                            firstAfter < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(firstAfter - killed.nanos())};
                takeover.put(m, t);
                owned = t[0] + " ms";
                first = t[1] + " ms";
                expectedSkips += byVictim.size() - twice.size();
                if (twice.size() == 1) {
                    int last = victim.emitted(m).stream().filter(e -> e.chunkId() != null)
                            .max(Comparator.comparingLong(Emitted::nanos)).map(ExactlyOnceAcrossInstancesTest::index)
                            .orElse(-1);
                    lastVictimSegmentRepeated += twice.containsKey(last) ? 1 : 0;
                }
            }
            report.append(String.format("%-22s %5d %5d %5d %9d %7d %7d %8d %13s %13s%n", m, lastText.size(),
                    byVictim.values().stream().mapToInt(List::size).sum(),
                    bySurvivor.values().stream().mapToInt(List::size).sum(), backfilled, gone.size(),
                    twice.values().stream().mapToInt(Integer::intValue).sum(), wrong.size(), owned, first));
        }
        report.append(String.format("%s skipped %d segments as emitted before (expected %d); repeats: %s; at most %s"
                                    + " fixture sockets per meeting; test took %d s", survivor.name(), skippedBeforeStop,
                expectedSkips, repeats, maxSubscribers, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)));
        System.out.println(report);
        LOG.info("{}", report);
        takeover.forEach((m, t) -> reporter.publishEntry("takeover after SIGKILL " + m, "ownership " + t[0]
                + " ms, first exchange " + t[1] + " ms, repeats " + repeats.get(m).size()));

        // ------------------------------------------------------------------ assertions
        assertThat(samplerError.get()).isNull();
        assertThat(moved).as("the victim owned at least one meeting").isNotEmpty();
        assertThat(missing).as("segments missing from the union").allSatisfy((m, list) -> assertThat(list).isEmpty());
        assertThat(wrongText).as("segments at another text than the last one sent")
                .allSatisfy((m, list) -> assertThat(list).isEmpty());
        for (String m : meetings) {
            if (moved.contains(m)) {
                // the one segment in flight at the kill (routed, not yet recorded) may come twice, once by each
                assertThat(repeats.get(m)).as("repeats in %s (owned by the killed instance)", m).hasSizeLessThanOrEqualTo(1)
                        .allSatisfy((i, n) -> assertThat(n).isEqualTo(1));
                assertThat(segments(survivor.emitted(m)).values()).flatMap(l -> l)
                        .allSatisfy(e -> assertThat(e.nanos()).isGreaterThan(killed.nanos()));
                assertThat(sentAtKill.get(m)).as("%s was in mid-meeting at the kill", m).isBetween(1, 2 * SEGMENTS - 1);
            } else {
                assertThat(repeats.get(m)).as("repeats in %s (owned by the survivor)", m).isEmpty();
                assertThat(victim.emitted(m)).isEmpty();
            }
        }
        int repeated = repeats.values().stream().mapToInt(Map::size).sum();
        assertThat(lastVictimSegmentRepeated).as("a repeat is the last segment the killed instance emitted")
                .isEqualTo(repeated);
        assertThat(skippedBeforeStop).as("the survivor skipped exactly what the killed instance had recorded")
                .isEqualTo(expectedSkips);
        assertThat(maxSubscribers.values()).as("fixture sockets per meeting, at most").allMatch(n -> n.get() == 1);
        ZooKeeperTakeoverTest.assertOneOwnerAtATime(List.of(victim, survivor), Map.of(victim.name(), killed.nanos()));
        assertThat(takeover.values()).allSatisfy(t -> {
            // a dead member's znodes live until its session expires: nothing can take over much sooner
            assertThat(t[0]).as("kill to the survivor's ownership (ms)").isGreaterThanOrEqualTo(sessionTimeoutMillis / 2);
            assertThat(t[1]).as("kill to the survivor's first exchange (ms)").isBetween(t[0], sessionTimeoutMillis + 15_000);
        });
        // every segment of every meeting recorded once (a repeat adds nothing: its key was there already); the
        // meetings' completions (fireflies:done:<id>) aside
        try (Connection c = postgres.connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*), count(DISTINCT messageId) FROM"
                                                      + " camel_messageprocessed WHERE processorName = ? AND"
                                                      + " messageId NOT LIKE 'fireflies:done:%'")) {
            s.setString(1, InstanceOptions.REPOSITORY_PROCESSOR_NAME);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("rows in the repository").isEqualTo(MEETINGS * SEGMENTS);
                assertThat(rs.getInt(2)).isEqualTo(MEETINGS * SEGMENTS);
            }
        }
        assertThat(survivor.errors()).isEmpty();
        Set<String> ownedOverall = new TreeSet<>(moved);
        ownedOverall.addAll(kept);
        assertThat(ownedOverall).containsExactlyInAnyOrderElementsOf(meetings);
    }
}
