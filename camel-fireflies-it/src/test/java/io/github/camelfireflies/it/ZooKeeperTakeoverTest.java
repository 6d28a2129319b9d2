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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelfireflies.it.InstanceProcess.Emitted;
import io.github.camelfireflies.it.InstanceProcess.Killed;
import io.github.camelfireflies.it.InstanceProcess.Ownership;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.apache.curator.test.InstanceSpec;
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
 * One owner per meeting and takeover after a crash, on a real coordination service: a ZooKeeper server (Curator's
 * {@link TestingServer}, on 127.0.0.1) and two instances in JVM processes of their own ({@link InstanceMain}) sharing
 * it through camel-zookeeper's {@code ZooKeeperClusterService}. The genuine socket.io fixture plays four meetings;
 * each is streamed by exactly one instance at a time. The owner of at least one meeting is killed with SIGKILL in
 * mid-meeting; the other instance must take every one of its meetings over within a bound, and the takeover time
 * (kill to the survivor's first emitted exchange, per meeting) is reported. Then a third instance, which joined
 * meanwhile, takes every meeting over when the survivor stops gracefully (a stopped member releases its views at
 * once), and that handover is reported too, with the segments lost or emitted twice at each handover.
 * <p>
 * A dead member's ephemeral znodes (its place in each view's election) stay until its ZooKeeper session expires, so
 * the session timeout decides the takeover time: {@value #DEFAULT_SESSION_TIMEOUT_MILLIS} ms here (system property
 * {@value #SESSION_TIMEOUT_PROPERTY} to try others). The server's tick is a tenth of it, so it expires sessions
 * within a tick of the timeout and accepts up to twice the timeout.
 */
class ZooKeeperTakeoverTest {

    static final String SESSION_TIMEOUT_PROPERTY = "fireflies.it.zk.sessionTimeoutMs";
    static final long DEFAULT_SESSION_TIMEOUT_MILLIS = 4000;

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperTakeoverTest.class);
    private static final int MEETINGS = 4;
    /** Long enough to outlast the test: the meetings are ended explicitly. */
    private static final int SEGMENTS = 480;
    private static final Duration SEGMENT_EVERY = Duration.ofMillis(250);
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    /** Beyond the session timeout: the survivor's reaction, its connect to the fixture and the next final segment. */
    private static final Duration TAKEOVER_MARGIN = Duration.ofSeconds(15);

    @TempDir
    Path work;

    private final long sessionTimeoutMillis = Long.getLong(SESSION_TIMEOUT_PROPERTY, DEFAULT_SESSION_TIMEOUT_MILLIS);
    private NodeSocketIoServer fixture;
    private TestingServer zookeeper;
    private final List<InstanceProcess> instances = new ArrayList<>();
    private ScheduledExecutorService sampler;
    private final List<String> meetings = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fixture = NodeSocketIoServer.start();
        zookeeper = startZooKeeper(sessionTimeoutMillis);
    }

    /** A ZooKeeper server on 127.0.0.1 only, with a tick of a tenth of the session timeout. */
    static TestingServer startZooKeeper(long sessionTimeoutMillis) throws Exception {
        int tick = (int) Math.max(50, sessionTimeoutMillis / 10);
        Map<String, Object> custom = new HashMap<>();
        custom.put("clientPortAddress", "127.0.0.1");
        custom.put("maxSessionTimeout", Long.toString(Math.max(sessionTimeoutMillis * 2, 20L * tick)));
        InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, tick, -1, custom, "127.0.0.1");
        TestingServer server = new TestingServer(spec, true);
        LOG.info("ZooKeeper listening on {} (tick {} ms, session timeout {} ms)", server.getConnectString(), tick,
                sessionTimeoutMillis);
        return server;
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        Teardown.stopAll(instances, meetings, fixture, zookeeper);
        assertThat(instances).noneMatch(InstanceProcess::isAlive);
    }

    private InstanceProcess instance(String name, long pollIntervalMillis) {
        InstanceOptions options = InstanceOptions.forFixture(name, work.resolve(name + ".jsonl"), fixture)
                .withZooKeeper(zookeeper.getConnectString(), sessionTimeoutMillis).withPollInterval(pollIntervalMillis);
        InstanceProcess p = InstanceProcess.start(options, fixture.apiKey());
        instances.add(p);
        return p;
    }

    private InstanceProcess ownerOf(String meeting) {
        return instances.stream().filter(i -> i.isAlive() && i.streaming().contains(meeting)).findFirst().orElse(null);
    }

    @Test
    void eachMeetingHasOneOwnerAndTheSurvivorTakesOverAfterASigkill(TestReporter reporter) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // different poll intervals, so that neither instance always polls first
        InstanceProcess a = instance("a", 500);
        InstanceProcess b = instance("b", 650);
        a.awaitReady(STARTUP);
        b.awaitReady(STARTUP);

        // how many sockets the fixture sees per meeting, at most, over the whole run
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

        // one meeting after the other, each once it has an owner: whichever instance polls first after a meeting
        // appears takes it, so the meetings spread over both instances (not always: then one owns them all)
        for (int i = 1; i <= MEETINGS; i++) {
            String m = "zk-" + run + "-" + i;
            fixture.startMeeting(m, MeetingScript.generated(SEGMENTS, SEGMENT_EVERY, 1).withTitle("ZooKeeper " + i));
            meetings.add(m);
            await("an owner for " + m).atMost(SETTLE).until(() -> ownerOf(m) != null);
        }
        // every meeting: one owner, one socket, and its owner emits final segments
        await("every meeting streamed by one instance").atMost(SETTLE).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (String m : meetings) {
                InstanceProcess owner = ownerOf(m);
                long owners = instances.stream().filter(i -> i.streaming().contains(m)).count();
                if (owner == null || owners != 1 || fixture.subscribers(m) != 1 || owner.emitted(m).size() < 3) {
                    return false;
                }
            }
            return true;
        });
        Set<String> ownedByA = a.streaming();
        Set<String> ownedByB = b.streaming();
        LOG.info("Before the kill: a streams {}, b streams {}", ownedByA, ownedByB);
        assertThat(Collections.disjoint(ownedByA, ownedByB)).as("a %s, b %s", ownedByA, ownedByB).isTrue();
        Set<String> all = new TreeSet<>(ownedByA);
        all.addAll(ownedByB);
        assertThat(all).containsExactlyInAnyOrderElementsOf(meetings);

        // ------------------------------------------------------------------ 1. SIGKILL of the owner of more meetings
        InstanceProcess victim = ownedByA.size() >= ownedByB.size() ? a : b;
        InstanceProcess survivor = victim == a ? b : a;
        Set<String> moved = victim.streaming();
        Set<String> kept = survivor.streaming();
        Killed killed = victim.kill();
        assertThat(killed.exitCode()).as("exit code of a JVM ended by SIGKILL").isEqualTo(InstanceProcess.SIGKILL_EXIT_CODE);
        assertThat(victim.said("STOPPING")).as("a killed instance runs no shutdown hook").isFalse();

        // a third instance joins meanwhile; it queues behind the survivor in every view's election
        InstanceProcess c = instance("c", 500);

        // the survivor takes every meeting of the dead instance over and emits from it
        Duration bound = Duration.ofMillis(sessionTimeoutMillis).plus(TAKEOVER_MARGIN);
        await("takeover of " + moved).atMost(bound).pollInterval(Duration.ofMillis(50)).until(() -> moved.stream()
                .allMatch(m -> survivor.streaming().contains(m)
                               && survivor.emitted(m).stream().anyMatch(e -> e.nanos() > killed.nanos())));
        Map<String, long[]> takeover = handover(survivor, moved, killed.nanos());
        // the survivor keeps streaming them
        await("the survivor streams on").atMost(SETTLE).until(() -> moved.stream().allMatch(m -> survivor.emitted(m)
                .stream().filter(e -> e.nanos() > killed.nanos()).count() >= 3));

        // ------------------------------------------------------------------ 2. graceful stop of the survivor
        c.awaitReady(STARTUP);
        await("c knows every meeting").atMost(SETTLE).until(() -> c.tracked() == MEETINGS);
        assertThat(c.streaming()).as("c queues behind the survivor").isEmpty();
        long stopNanos = System.nanoTime();
        assertThat(survivor.stop(Duration.ofSeconds(30))).as("exit code of a graceful stop").isZero();
        assertThat(survivor.said("STOPPED")).isTrue();
        await("handover to c").atMost(SETTLE).pollInterval(Duration.ofMillis(50)).until(() -> meetings.stream()
                .allMatch(m -> c.streaming().contains(m) && c.emitted(m).stream().anyMatch(e -> e.nanos() > stopNanos)));
        Map<String, long[]> handover = handover(c, Set.copyOf(meetings), stopNanos);

        long endNanos = System.nanoTime();
        for (String m : meetings) {
            fixture.endMeeting(m);
        }
        sampler.shutdown(); // no more samples; the one under way completes (an interrupt would fail it)
        assertThat(sampler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        Map<String, Integer> subscribersSeen = new TreeMap<>();
        maxSubscribers.forEach((m, n) -> subscribersSeen.put(m, n.get()));
        assertThat(c.stop(Duration.ofSeconds(30))).isZero();

        // ------------------------------------------------------------------ report
        List<Emitted> fromVictim = victim.emitted();
        List<Emitted> fromSurvivor = survivor.emitted();
        List<Emitted> fromC = c.emitted();
        StringBuilder report = new StringBuilder();
        report.append(String.format("ZooKeeper session timeout %d ms (tick %d ms); poll %d ms (%s), %d ms (%s), 500 ms (c);"
                                    + " finalizeAfter %d ms; a segment every %d ms%n", sessionTimeoutMillis,
                Math.max(50, sessionTimeoutMillis / 10), victim.options().pollIntervalMillis(), victim.name(),
                survivor.options().pollIntervalMillis(), survivor.name(), victim.options().finalizeAfterMillis(),
                SEGMENT_EVERY.toMillis()));
        report.append(String.format("1. SIGKILL of %s (owned %s; %s owned %s): takeover by %s%n", victim.name(), moved,
                survivor.name(), kept, survivor.name()));
        Map<String, Integer> lostAtKill = new TreeMap<>();
        for (Map.Entry<String, long[]> e : takeover.entrySet()) {
            int[] gap = gap(fromVictim, fromSurvivor, e.getKey());
            lostAtKill.put(e.getKey(), gap[2]);
            report.append(line(e.getKey(), e.getValue(), gap));
        }
        report.append(String.format("2. graceful stop of %s: handover to c%n", survivor.name()));
        Map<String, Integer> repeatedAtStop = new TreeMap<>();
        for (Map.Entry<String, long[]> e : handover.entrySet()) {
            int[] gap = gap(concat(fromVictim, fromSurvivor), fromC, e.getKey());
            repeatedAtStop.put(e.getKey(), Math.max(0, -gap[2]));
            report.append(line(e.getKey(), e.getValue(), gap));
        }
        report.append("at most ").append(subscribersSeen).append(" fixture sockets per meeting");
        for (InstanceProcess i : instances) {
            if (!i.errorsWhileStopping().isEmpty()) {
                report.append(String.format("%n%s reported while it stopped: %s", i.name(), i.errorsWhileStopping()));
            }
        }
        System.out.println(report);
        LOG.info("{}", report);
        takeover.forEach((m, t) -> reporter.publishEntry("takeover after SIGKILL " + m,
                "ownership " + t[0] + " ms, first exchange " + t[1] + " ms (session timeout " + sessionTimeoutMillis
                + " ms), segments lost " + lostAtKill.get(m)));
        handover.forEach((m, t) -> reporter.publishEntry("handover after a graceful stop " + m,
                "ownership " + t[0] + " ms, first exchange " + t[1] + " ms"));

        // ------------------------------------------------------------------ assertions
        assertThat(samplerError.get()).isNull();
        assertThat(subscribersSeen.keySet()).containsExactlyInAnyOrderElementsOf(meetings);
        assertThat(subscribersSeen.values()).as("fixture sockets per meeting, at most").allMatch(n -> n == 1);
        for (long[] t : takeover.values()) {
            assertThat(t[1]).as("kill to the survivor's first exchange (ms)").isLessThanOrEqualTo(bound.toMillis());
            // a dead member's znodes live until its session expires: nothing can take over much sooner
            assertThat(t[0]).as("kill to ownership (ms)").isGreaterThanOrEqualTo(sessionTimeoutMillis / 2);
        }
        for (long[] t : handover.values()) {
            // a stopped member closes its session: no session timeout to wait for
            assertThat(t[0]).as("stop to ownership (ms)").isLessThan(sessionTimeoutMillis);
        }
        assertOneOwnerAtATime(List.of(victim, survivor, c), Map.of(victim.name(), killed.nanos()));
        // what each instance emitted belongs to meetings it owned, when it owned them
        assertThat(fromVictim).allSatisfy(e -> assertThat(moved).contains(e.transcriptId()));
        assertThat(fromSurvivor).filteredOn(e -> moved.contains(e.transcriptId()))
                .allSatisfy(e -> assertThat(e.nanos()).isGreaterThan(killed.nanos()));
        assertThat(fromC).allSatisfy(e -> assertThat(e.nanos()).isGreaterThan(stopNanos));
        // the survivor let go of its own meetings only when it was stopped
        assertThat(survivor.ownershipLog()).filteredOn(o -> o.nanos() < stopNanos).allMatch(Ownership::streaming);
        assertThat(c.ownershipLog()).filteredOn(o -> o.nanos() < endNanos).allMatch(Ownership::streaming);
        // no segment emitted twice across a SIGKILL (what was in flight is lost, not repeated)...
        assertThat(repeats(concat(fromVictim, fromSurvivor))).isEmpty();
        // ...and at most the one segment open at a graceful handover repeated, per meeting
        assertThat(repeatedAtStop.values()).allMatch(n -> n <= 1);
        Map<String, List<String>> repeatsAtStop = repeats(concat(concat(fromVictim, fromSurvivor), fromC));
        assertThat(repeatsAtStop).hasSizeLessThanOrEqualTo(MEETINGS);
        assertThat(concat(concat(fromVictim, fromSurvivor), fromC)).allMatch(e -> Boolean.TRUE.equals(e.chunkFinal()));
        assertThat(survivor.errors()).isEmpty();
        assertThat(victim.errors()).isEmpty();
        assertThat(c.errors()).isEmpty();
    }

    /** Per meeting: {ownership, first exchange} in ms after {@code sinceNanos}. */
    private static Map<String, long[]> handover(InstanceProcess to, Set<String> meetings, long sinceNanos) {
        Map<String, long[]> times = new TreeMap<>();
        for (String m : meetings) {
            long since = to.streamingSince(m);
            long first = to.emitted(m).stream().mapToLong(Emitted::nanos).filter(n -> n > sinceNanos).min()
                    .orElseThrow();
            assertThat(since).as("%s streams %s only after the previous owner is gone", to.name(), m)
                    .isGreaterThan(sinceNanos);
            times.put(m, new long[] {TimeUnit.NANOSECONDS.toMillis(since - sinceNanos),
                                     TimeUnit.NANOSECONDS.toMillis(first - sinceNanos)});
        }
        return times;
    }

    /** {last segment index emitted before, first emitted after, segments in between (negative: repeated)}. */
    private static int[] gap(List<Emitted> before, List<Emitted> after, String meeting) {
        int last = before.stream().filter(x -> meeting.equals(x.transcriptId()))
                .mapToInt(x -> segmentIndex(x.chunkId())).max().orElse(-1);
        int first = after.stream().filter(x -> meeting.equals(x.transcriptId()))
                .mapToInt(x -> segmentIndex(x.chunkId())).min().orElse(-1);
        return new int[] {last, first, first - last - 1};
    }

    private static String line(String meeting, long[] times, int[] gap) {
        String segments = gap[2] >= 0
                ? "segments never emitted: " + gap[2] + (gap[2] > 0 ? " (m" + (gap[0] + 1) + "..m" + (gap[1] - 1) + ")" : "")
                : "segments emitted by both: " + (-gap[2]) + " (m" + gap[1] + "..m" + gap[0] + ")";
        return String.format("   %s: owned after %5d ms, first exchange after %5d ms; %s%n", meeting, times[0], times[1],
                segments);
    }

    /** Keys (transcript/chunk) emitted more than once, corrections aside, with who emitted them. */
    private static Map<String, List<String>> repeats(List<Emitted> lines) {
        Map<String, List<String>> byKey = new TreeMap<>();
        for (Emitted e : lines) {
            if (e.chunkId() != null && !Boolean.TRUE.equals(e.correction())) {
                byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.instance());
            }
        }
        byKey.values().removeIf(l -> l.size() < 2);
        return byKey;
    }

    /** From each instance's STREAMING/RELEASED lines (and kills): no meeting is streamed by two at once. */
    static void assertOneOwnerAtATime(List<InstanceProcess> all, Map<String, Long> killedAt) {
        Map<String, List<long[]>> intervals = new HashMap<>(); // meeting -> {from, to, instance index}
        for (int i = 0; i < all.size(); i++) {
            InstanceProcess p = all.get(i);
            Map<String, Long> open = new HashMap<>();
            for (Ownership o : p.ownershipLog()) {
                if (o.streaming()) {
                    open.put(o.transcriptId(), o.nanos());
                } else {
                    Long from = open.remove(o.transcriptId());
                    if (from != null) {
                        intervals.computeIfAbsent(o.transcriptId(), k -> new ArrayList<>())
                                .add(new long[] {from, o.nanos(), i});
                    }
                }
            }
            long end = killedAt.getOrDefault(p.name(), Long.MAX_VALUE);
            int index = i;
            open.forEach((m, from) -> intervals.computeIfAbsent(m, k -> new ArrayList<>())
                    .add(new long[] {from, end, index}));
        }
        intervals.forEach((m, list) -> {
            for (long[] x : list) {
                for (long[] y : list) {
                    if (x[2] != y[2]) {
                        assertThat(x[0] < y[1] && y[0] < x[1]).as("%s streamed by %s and %s at once", m,
                                all.get((int) x[2]).name(), all.get((int) y[2]).name()).isFalse();
                    }
                }
            }
        });
    }

    private static List<Emitted> concat(List<Emitted> x, List<Emitted> y) {
        List<Emitted> all = new ArrayList<>(x);
        all.addAll(y);
        return all;
    }

    /** {@code m17} -> 17 (the generated chunk ids). */
    private static int segmentIndex(String chunkId) {
        return chunkId == null ? -1 : Integer.parseInt(chunkId.substring(1));
    }
}
