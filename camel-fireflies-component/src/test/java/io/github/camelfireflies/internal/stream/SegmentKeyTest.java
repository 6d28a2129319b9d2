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
package io.github.camelfireflies.internal.stream;

import io.github.camelfireflies.api.EmitMode;
import io.github.camelfireflies.api.TranscriptSentence;
import io.github.camelfireflies.api.TranscriptionEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.github.camelfireflies.internal.backfill.SentenceMerge.Backfill;
import io.github.camelfireflies.internal.stream.ChunkTracker.Emission;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SegmentKey}: its form, its limits, and the property it exists for: a segment gets the same key (or one of its
 * neighbours) whether it was emitted from the socket or from a backfill, in another tracker, with another clock.
 */
class SegmentKeyTest {

    private static TranscriptionEvent ev(String chunk, String speaker, Double start) {
        return new TranscriptionEvent("t", chunk, "text of " + chunk, speaker, start, start == null ? null : start + 1);
    }

    private static SegmentKey key(String speaker, double start) {
        return SegmentKey.of("01JTRANSCRIPT", ev("c", speaker, start));
    }

    @Test
    void transcriptSpeakerAndQuarterSecondOfTheStart() {
        SegmentKey k = SegmentKey.of("01JTRANSCRIPT", ev("m5", "Alice Smith", 10.3));
        assertThat(k.key()).isEqualTo("fireflies:01JTRANSCRIPT:alice_smith:41");
        assertThat(k.neighbours()).containsExactly("fireflies:01JTRANSCRIPT:alice_smith:40",
                "fireflies:01JTRANSCRIPT:alice_smith:42");
        // the chunk id and the text play no part: a backfilled segment has another chunk id and maybe another text
        assertThat(SegmentKey.of("01JTRANSCRIPT", new TranscriptionEvent("x", "backfill-10300-alice_smith", "other",
                "Alice Smith", 10.3, 12.0))).isEqualTo(k);
    }

    @Test
    void bucketsAreQuarterSecondsOfTheStartRoundedToTheMillisecond() {
        assertThat(SegmentKey.bucket(0.0)).isZero();
        assertThat(SegmentKey.bucket(0.249)).isZero();
        assertThat(SegmentKey.bucket(0.25)).isEqualTo(1);
        assertThat(SegmentKey.bucket(0.2499)).as("10249.9 ms rounds to 250 ms").isEqualTo(1);
        assertThat(SegmentKey.bucket(10.25)).isEqualTo(41);
        assertThat(SegmentKey.bucket(0.1 + 0.2)).as("no binary noise").isEqualTo(1);
        assertThat(SegmentKey.bucket(-0.1)).as("a start before 0 after a clock offset").isEqualTo(-1);
        assertThat(SegmentKey.bucket(3600.0)).isEqualTo(14400);
    }

    @Test
    void speakersAreComparedLikeTheBackfillComparesThem() {
        assertThat(key("Chen Wei", 5).key()).isEqualTo(key("  chen   WEI ", 5).key()).endsWith(":chen_wei:20");
        assertThat(key("O'Brien, Pat", 5).key()).endsWith(":o_brien_pat:20");
        assertThat(key(null, 5).key()).endsWith(":-:20");
        assertThat(key("  ", 5).key()).endsWith(":-:20");
        assertThat(key("...", 5).key()).as("nothing but punctuation").endsWith(":-:20");
        assertThat(key("Alice", 5).key()).isNotEqualTo(key("Bob", 5).key());
    }

    @Test
    void longOrUnusualTranscriptIdsAreHashedStably() {
        String plain = "a".repeat(SegmentKey.MAX_PLAIN_ID);
        assertThat(SegmentKey.of(plain, ev("c", "A", 1.0)).key()).startsWith("fireflies:" + plain + ":");
        String longer = plain + "a";
        String hashed = SegmentKey.of(longer, ev("c", "A", 1.0)).key();
        assertThat(hashed).matches("fireflies:~[A-Za-z0-9_-]{22}:a:4");
        assertThat(SegmentKey.of(longer, ev("c", "A", 1.0)).key()).as("stable").isEqualTo(hashed);
        assertThat(SegmentKey.of(longer + "b", ev("c", "A", 1.0)).key()).isNotEqualTo(hashed);
        // a separator or another character in the id would make keys ambiguous: hashed too
        assertThat(SegmentKey.of("a:b", ev("c", "A", 1.0)).key()).matches("fireflies:~[A-Za-z0-9_-]{22}:a:4");
        assertThat(SegmentKey.of("réunion", ev("c", "A", 1.0)).key()).matches("fireflies:~[A-Za-z0-9_-]{22}:a:4");
    }

    @Test
    void withoutAStartTimeTheChunkIdDecidesAndThereAreNoNeighbours() {
        SegmentKey k = SegmentKey.of("t1", ev("chunk-7", "Alice", null));
        assertThat(k.key()).isEqualTo("fireflies:t1:alice:cchunk-7");
        assertThat(k.neighbours()).isEmpty();
        assertThat(SegmentKey.of("t1", ev("chunk-7", "Alice", Double.NaN))).isEqualTo(k);
        assertThat(SegmentKey.of("t1", ev("chunk-7", "Alice", 1.0e9))).as("not a plausible start").isEqualTo(k);
        assertThat(SegmentKey.of("t1", ev("x".repeat(50), "Alice", null)).key())
                .matches("fireflies:t1:alice:c~[A-Za-z0-9_-]{22}");
    }

    @Test
    void noKeyIsLongerThanWhatCamelSqlHolds() {
        String speaker = "\uD835\uDD38".repeat(30) + " " + "\uD835\uDD39".repeat(30); // letters outside the BMP
        List<SegmentKey> worst = List.of(
                SegmentKey.of("t".repeat(SegmentKey.MAX_PLAIN_ID), ev("c", speaker, -9.9e6)),
                SegmentKey.of("t".repeat(SegmentKey.MAX_PLAIN_ID), ev("c".repeat(SegmentKey.MAX_PLAIN_CHUNK), speaker, null)),
                SegmentKey.of("x".repeat(1000), ev("y".repeat(1000), "z".repeat(1000), null)),
                SegmentKey.of("x".repeat(1000), ev("c", "z".repeat(1000), 9.9e6)));
        for (SegmentKey k : worst) {
            assertThat(k.key().length()).as(k.key()).isLessThanOrEqualTo(SegmentKey.MAX_LENGTH);
            assertThat(k.key().codePointCount(0, k.key().length())).isLessThanOrEqualTo(SegmentKey.MAX_LENGTH);
            k.neighbours().forEach(n -> assertThat(n.length()).isLessThanOrEqualTo(SegmentKey.MAX_LENGTH));
        }
    }

    @Test
    void startsWithinTheBackfillToleranceAlwaysFindEachOther() {
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            double start = random.nextDouble() * 7200;
            double other = start + (random.nextDouble() * 2 - 1) * SegmentKey.TOLERANCE_SECONDS;
            SegmentKey a = key("Alice", start);
            SegmentKey b = key("Alice", other);
            Set<String> found = new HashSet<>(b.neighbours());
            found.add(b.key());
            assertThat(found).as("%s and %s", start, other).contains(a.key());
        }
        // and what can be taken for one: starts less than half a second apart at most
        assertThat(key("Alice", 10.0).neighbours()).contains(key("Alice", 10.49).key());
        assertThat(key("Alice", 10.0).neighbours()).doesNotContain(key("Alice", 10.5).key());
        assertThat(key("Alice", 10.0).neighbours()).doesNotContain(key("Alice", 9.74).key());
    }

    /**
     * The point of the key: the dead owner emitted segments from its socket; the next owner, with a fresh tracker,
     * gets them from a backfill whose sentences run on a clock 1.7 s ahead of the socket's; each segment's key from the
     * backfill finds the key the socket's emission was recorded under.
     */
    @Test
    void aSegmentGetsItsKeyWhetherItCameFromTheSocketOrFromABackfill() {
        double skew = 1.7;
        String[] speakers = {"Alice", "Bob", "Chen Wei"};
        List<TranscriptionEvent> said = new ArrayList<>();
        double t = 0;
        Random random = new Random(5);
        for (int i = 0; i < 40; i++) {
            double length = 0.6 + random.nextDouble() * 3;
            said.add(new TranscriptionEvent("t", "chunk" + i, "sentence number " + i + " of the meeting",
                    speakers[random.nextInt(speakers.length)], round(t), round(t + length)));
            t += length + random.nextDouble() * 0.4;
        }
        // the first owner: every segment from the socket, emitted final
        ChunkTracker socket = new ChunkTracker(EmitMode.FINAL, 500);
        List<Emission> fromSocket = new ArrayList<>();
        long now = 0;
        for (TranscriptionEvent e : said) {
            fromSocket.addAll(socket.accept(e, now += 10));
        }
        fromSocket.addAll(socket.flushAll());
        Map<String, String> recorded = new LinkedHashMap<>(); // key -> chunk id
        for (Emission e : fromSocket) {
            assertThat(e.last()).isTrue();
            recorded.put(SegmentKey.of("meeting-1", e.event()).key(), e.event().chunkId());
        }
        assertThat(recorded).hasSize(said.size());

        // the next owner: a fresh tracker, the sentences on the other clock, the last segment still arriving live
        List<TranscriptSentence> sentences = new ArrayList<>();
        for (TranscriptionEvent e : said) {
            sentences.add(new TranscriptSentence(null, e.text(), e.text(), e.speakerName(), null,
                    round(e.startTime() + skew), round(e.endTime() + skew)));
        }
        TranscriptionEvent live = said.get(said.size() - 1);
        ChunkTracker next = new ChunkTracker(EmitMode.FINAL, 500);
        List<Emission> fromBackfill = new ArrayList<>(next.acceptBackfill(
                new Backfill("meeting-1", sentences, List.of(live), Double.NEGATIVE_INFINITY, Long.MIN_VALUE,
                        Long.MAX_VALUE), 1_000));
        fromBackfill.addAll(next.accept(live, 1_010));
        fromBackfill.addAll(next.flushAll());
        assertThat(next.offset()).isCloseTo(skew, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(fromBackfill).hasSize(said.size());
        for (Emission e : fromBackfill) {
            SegmentKey k = SegmentKey.of("meeting-1", e.event());
            List<String> found = new ArrayList<>();
            if (recorded.containsKey(k.key())) {
                found.add(recorded.get(k.key()));
            }
            k.neighbours().stream().filter(recorded::containsKey).map(recorded::get).forEach(found::add);
            assertThat(found).as("%s (backfill %s)", e.event().chunkId(), e.backfill()).isNotEmpty();
            assertThat(e.backfill() || e.event().chunkId().equals(live.chunkId())).isTrue();
        }
        assertThat(fromBackfill.stream().filter(Emission::backfill).count()).isEqualTo(said.size() - 1);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
