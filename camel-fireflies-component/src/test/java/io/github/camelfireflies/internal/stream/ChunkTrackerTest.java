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
import io.github.camelfireflies.api.TranscriptionEvent;
import java.util.ArrayList;
import java.util.List;

import io.github.camelfireflies.internal.stream.ChunkTracker.Emission;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ChunkTrackerTest {

    private static final long AFTER = 1000;

    private static TranscriptionEvent ev(String chunk, String text) {
        return new TranscriptionEvent("t", chunk, text, "Ann", 0.0, 1.0);
    }

    private static List<Object> summary(List<Emission> es) {
        List<Object> out = new ArrayList<>();
        for (Emission e : es) {
            out.add(e.event().chunkId() + "#" + e.revision() + ":" + e.event().text() + (e.last() ? " F" : "")
                    + (e.correction() ? " C" : ""));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ revisions

    @Test
    void revisionsEmitsEveryArrivalNumberedPerChunk() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        List<Emission> all = new ArrayList<>();
        all.addAll(t.accept(ev("a", "hel"), 0));
        all.addAll(t.accept(ev("a", "hello"), 1));
        all.addAll(t.accept(ev("a", "hello"), 2));
        all.addAll(t.accept(ev("b", "world"), 3));
        all.addAll(t.accept(ev("a", "hello there"), 4)); // out of order: b already started
        all.addAll(t.accept(ev("b", "world!"), 5));
        assertThat(summary(all)).containsExactly("a#1:hel", "a#2:hello", "a#3:hello", "b#1:world", "a#4:hello there",
                "b#2:world!");
        assertThat(t.tick(1_000_000)).isEmpty();
        assertThat(t.flushAll()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ changes

    @Test
    void changesDropsExactRepeatsOfTheSameChunkOnly() {
        ChunkTracker t = new ChunkTracker(EmitMode.CHANGES, AFTER);
        List<Emission> all = new ArrayList<>();
        all.addAll(t.accept(ev("a", "yes"), 0));
        all.addAll(t.accept(ev("a", "yes"), 1)); // exact repeat: dropped, but counted
        all.addAll(t.accept(ev("b", "yes"), 2)); // the same word in a new chunk survives
        all.addAll(t.accept(ev("a", "yes yes"), 3));
        all.addAll(t.accept(ev("a", "yes"), 4)); // back to an earlier text: a change, emitted
        all.addAll(t.accept(ev("b", "yes"), 5)); // repeat of b
        assertThat(summary(all)).containsExactly("a#1:yes", "b#1:yes", "a#3:yes yes", "a#4:yes");
    }

    // ------------------------------------------------------------------------------------------ final

    @Test
    void finalWaitsForANewerChunkAndQuietTime() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER);
        assertThat(t.accept(ev("a", "one"), 0)).isEmpty();
        assertThat(t.accept(ev("a", "one two"), 100)).isEmpty();
        // no newer chunk: never final by time alone
        assertThat(t.tick(100 + 50 * AFTER)).isEmpty();
        // b starts: a has been quiet since 100, so it is final at once, with its last text and revision
        assertThat(summary(t.accept(ev("b", "three"), 10_000))).containsExactly("a#2:one two F");
    }

    @Test
    void olderQuietChunkIsFinalTheMomentANewerOneStarts() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER);
        t.accept(ev("a", "one"), 0);
        List<Emission> out = t.accept(ev("b", "two"), 5000);
        assertThat(summary(out)).containsExactly("a#1:one F");
    }

    @Test
    void finalRuleNeedsBothConditions() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER);
        t.accept(ev("a", "one"), 0);
        t.accept(ev("a", "one two"), 500);
        t.accept(ev("b", "x"), 600); // newer started, but a revised 100 ms ago
        assertThat(t.tick(1499)).isEmpty();
        assertThat(summary(t.tick(1500))).containsExactly("a#2:one two F");
        assertThat(t.tick(100_000)).as("b is the newest chunk").isEmpty();
        assertThat(summary(t.flushAll())).containsExactly("b#1:x F");
        assertThat(t.flushAll()).isEmpty();
        assertThat(t.openChunks()).isZero();
    }

    @Test
    void finalKeepsFirstSeenOrderEvenWhenAYoungerChunkQualifiesFirst() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER);
        t.accept(ev("a", "a1"), 0);
        t.accept(ev("b", "b1"), 10);
        t.accept(ev("c", "c1"), 20);
        t.accept(ev("a", "a2"), 900); // out of order: a revised after b and c started
        // at 1500 b is quiet for 1490 ms, but a (older) was revised at 900: b waits for a
        assertThat(t.tick(1500)).isEmpty();
        assertThat(summary(t.tick(1900))).containsExactly("a#2:a2 F", "b#1:b1 F");
        assertThat(summary(t.flushAll())).containsExactly("c#1:c1 F");
    }

    @Test
    void revisionAfterFinalIsAMarkedCorrectionAndARepeatIsDropped() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER);
        t.accept(ev("a", "hello"), 0);
        t.accept(ev("b", "x"), 10);
        assertThat(summary(t.tick(1010))).containsExactly("a#1:hello F");
        assertThat(t.accept(ev("a", "hello"), 2000)).as("same text as emitted: a repeat").isEmpty();
        assertThat(summary(t.accept(ev("a", "hello world"), 2100))).containsExactly("a#3:hello world F C");
        assertThat(summary(t.accept(ev("a", "hello world!"), 2200))).containsExactly("a#4:hello world! F C");
        assertThat(t.corrections()).isEqualTo(2);
        // b is untouched by a's corrections and still open
        assertThat(t.openChunks()).isEqualTo(1);
        assertThat(summary(t.flushAll())).containsExactly("b#1:x F");
        // after a flush, a late revision is a correction too
        assertThat(summary(t.accept(ev("b", "xy"), 3000))).containsExactly("b#2:xy F C");
    }

    @Test
    void revisionOfAnOpenChunkRestartsItsQuietTime() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER);
        t.accept(ev("a", "1"), 0);
        t.accept(ev("b", "2"), 0);
        t.accept(ev("a", "1+"), 999);
        assertThat(t.tick(1000)).isEmpty();
        assertThat(t.tick(1998)).isEmpty();
        assertThat(summary(t.tick(1999))).containsExactly("a#2:1+ F");
    }

    @Test
    void arrivalFirstEmitsWhatWasAlreadyFinal() {
        // a revision that arrives after its chunk's finality deadline (the timer had not ticked yet) is a correction
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER);
        t.accept(ev("a", "v1"), 0);
        t.accept(ev("b", "w"), 0);
        assertThat(summary(t.accept(ev("a", "v2"), 1000))).containsExactly("a#1:v1 F", "a#2:v2 F C");
    }

    @Test
    void finalizeAfterZeroFinalizesAsSoonAsANewerChunkStarts() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, 0);
        assertThat(t.accept(ev("a", "1"), 5)).isEmpty();
        assertThat(summary(t.accept(ev("b", "2"), 5))).containsExactly("a#1:1 F");
    }

    @Test
    void tooManyOpenChunksFinalizeTheOldestEarly() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, Long.MAX_VALUE / 4, 3);
        t.accept(ev("a", "1"), 0);
        t.accept(ev("b", "2"), 0);
        t.accept(ev("c", "3"), 0);
        assertThat(summary(t.accept(ev("d", "4"), 0))).containsExactly("a#1:1 F");
        assertThat(t.forcedFinal()).isEqualTo(1);
        assertThat(t.openChunks()).isEqualTo(3);
    }

    @Test
    void forgottenChunkComesBackAsNew() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER, 2);
        t.accept(ev("a", "1"), 0);
        t.accept(ev("b", "1"), 0);
        t.accept(ev("c", "1"), 0); // a is forgotten
        assertThat(t.accept(ev("a", "2"), 0)).extracting(Emission::revision).containsExactly(1);
        assertThat(t.accept(ev("c", "2"), 0)).extracting(Emission::revision).containsExactly(2);
    }

    // ------------------------------------------------------------------------------------------ bounded memory

    @Test
    void memoryStaysBoundedOver100000ChunksInEveryMode() {
        int bound = ChunkTracker.DEFAULT_MAX_TRACKED;
        for (EmitMode mode : EmitMode.values()) {
            ChunkTracker t = new ChunkTracker(mode, AFTER);
            long now = 0;
            long finals = 0;
            int maxRetained = 0;
            for (int i = 0; i < 100_000; i++) {
                int revisions = 1 + i % 4;
                for (int r = 1; r <= revisions; r++) {
                    now += 100;
                    for (Emission e : t.accept(ev("c" + i, "text " + i + " rev " + r), now)) {
                        if (e.last()) {
                            finals++;
                        }
                    }
                }
                if (i % 7 == 0) {
                    finals += t.tick(now + AFTER).size();
                }
                maxRetained = Math.max(maxRetained, t.retainedSize());
            }
            finals += t.flushAll().size();
            assertThat(maxRetained).as("%s retained", mode).isLessThanOrEqualTo(2 * bound);
            assertThat(t.retainedSize()).as("%s retained at the end", mode).isLessThanOrEqualTo(bound);
            if (mode == EmitMode.FINAL) {
                assertThat(finals).isEqualTo(100_000);
                assertThat(t.corrections()).isZero();
                assertThat(t.forcedFinal()).isZero();
                assertThat(maxRetained).as("open chunks stay few when they finalize").isLessThanOrEqualTo(bound + 20);
            } else {
                assertThat(finals).isZero();
            }
        }
    }

    @Test
    void manyOpenChunksAtOnceStayBoundedToo() {
        // a pathological stream: new chunks faster than anything can finalize
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, Long.MAX_VALUE / 4, 500);
        long emitted = 0;
        for (int i = 0; i < 100_000; i++) {
            emitted += t.accept(ev("c" + i, "x"), i).size();
            assertThat(t.retainedSize()).isLessThanOrEqualTo(1000);
        }
        emitted += t.flushAll().size();
        assertThat(emitted).isEqualTo(100_000);
        assertThat(t.retainedSize()).isLessThanOrEqualTo(500);
    }

    // ------------------------------------------------------------------------------------------ arguments

    @Test
    void modesParseAndBadArgumentsAreRefused() {
        assertThat(EmitMode.parse("final")).isEqualTo(EmitMode.FINAL);
        assertThat(EmitMode.parse(" Changes ")).isEqualTo(EmitMode.CHANGES);
        assertThat(EmitMode.FINAL).hasToString("final");
        assertThatThrownBy(() -> EmitMode.parse("last")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REVISIONS, CHANGES or FINAL");
        assertThatThrownBy(() -> new ChunkTracker(EmitMode.FINAL, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChunkTracker(EmitMode.FINAL, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ChunkTracker(EmitMode.FINAL, 1).accept(ev("a", "x"), 0)).extracting(Emission::last)
                .isEmpty();
        assertThat(new ChunkTracker(EmitMode.REVISIONS, 1).accept(ev("a", "x"), 0))
                .extracting(Emission::revision, Emission::last, Emission::correction)
                .containsExactly(tuple(1, false, false));
    }
}
