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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.camelfireflies.it.InstanceProcess.Emitted;
import io.github.camelfireflies.simulator.MeetingScript;
import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import io.github.camelfireflies.testsupport.NodeSocketIoServer.SentEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The harness itself, on its other settings: two {@link InstanceMain} JVMs on a file-lock cluster service, each with
 * the JDBC idempotent repository prepared on a real PostgreSQL (its table made beforehand). One meeting is
 * streamed by exactly one of them, and its output file holds every segment the fixture sent while it listened, once,
 * at its last revision: the baseline the handover tests compare with.
 */
class InstanceHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int SEGMENTS = 24;

    @TempDir
    Path work;

    private NodeSocketIoServer fixture;
    private PostgresServer postgres;
    private final List<InstanceProcess> instances = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        try {
            instances.forEach(InstanceProcess::close);
        } finally {
            try {
                if (fixture != null) {
                    fixture.close();
                }
            } finally {
                if (postgres != null) {
                    postgres.close();
                }
            }
        }
        assertThat(instances).noneMatch(InstanceProcess::isAlive);
    }

    @Test
    void oneInstanceStreamsTheMeetingAndWritesEverySegmentItHeardOnce() throws Exception {
        postgres = PostgresServer.start("fireflies_harness");
        fixture = NodeSocketIoServer.start();
        IdempotentSchema.createIfMissing(postgres.dataSource());
        Path lockRoot = work.resolve("cluster");
        for (String name : List.of("a", "b")) {
            InstanceOptions options = InstanceOptions.forFixture(name, work.resolve(name + ".jsonl"), fixture)
                    .withFileLock(lockRoot).withJdbc(postgres.jdbcUrl(), postgres.user());
            instances.add(InstanceProcess.start(options, fixture.apiKey()));
        }
        for (InstanceProcess i : instances) {
            i.awaitReady(WAIT);
            assertThat(i.said("REPOSITORY " + InstanceOptions.REPOSITORY_PROCESSOR_NAME)).isTrue();
        }
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM camel_messageprocessed")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the repository is prepared, not used yet").isZero();
        }

        String meeting = "harness-" + UUID.randomUUID().toString().substring(0, 8);
        fixture.startMeeting(meeting, MeetingScript.generated(SEGMENTS, Duration.ofMillis(200), 2).endingWhenDone());
        await("the meeting ends").atMost(WAIT).until(() -> !fixture.meetingProgress(meeting).live());
        // the server's DISCONNECT makes the owner emit its open segment at once
        await("every heard segment emitted").atMost(WAIT).until(() -> {
            List<String> heard = heardChunks(meeting);
            return !heard.isEmpty() && emittedChunks(meeting).containsAll(heard);
        });

        InstanceProcess a = instances.get(0);
        InstanceProcess b = instances.get(1);
        assertThat(a.ownershipLog().isEmpty() ^ b.ownershipLog().isEmpty()).as("exactly one instance streamed it: a %s,"
                                                                                + " b %s", a.ownershipLog(), b.ownershipLog()).isTrue();
        InstanceProcess owner = a.ownershipLog().isEmpty() ? b : a;
        InstanceProcess other = owner == a ? b : a;
        assertThat(other.emitted()).isEmpty();

        List<Emitted> lines = owner.emitted(meeting);
        assertThat(lines).extracting(Emitted::chunkId).containsExactlyElementsOf(heardChunks(meeting));
        assertThat(lines).allSatisfy(e -> {
            assertThat(e.instance()).isEqualTo(owner.name());
            assertThat(e.event()).isEqualTo("transcription.broadcast");
            assertThat(e.chunkFinal()).isTrue();
            assertThat(e.correction()).isFalse();
            int segment = Integer.parseInt(e.chunkId().substring(1));
            assertThat(e.text()).isEqualTo(MeetingScript.generatedText(segment, 2));
        });

        for (InstanceProcess i : instances) {
            assertThat(i.stop(Duration.ofSeconds(30))).as("exit code of %s", i.name()).isZero();
            assertThat(i.errors()).isEmpty();
        }
    }

    /** The chunk ids whose events reached a subscriber, in the order they were first sent. */
    private List<String> heardChunks(String meeting) {
        List<String> chunks = new ArrayList<>();
        for (SentEvent e : fixture.meetingLog(meeting)) {
            if (e.sockets() > 0 && !chunks.contains(e.chunkId())) {
                chunks.add(e.chunkId());
            }
        }
        return chunks;
    }

    private List<String> emittedChunks(String meeting) {
        List<String> chunks = new ArrayList<>();
        instances.forEach(i -> i.emitted(meeting).forEach(e -> chunks.add(e.chunkId())));
        return chunks;
    }
}
