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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.github.camelfireflies.internal.backfill.SentenceMerge.Backfill;
import io.github.camelfireflies.internal.stream.ChunkTracker.Emission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill merge of {@link ChunkTracker} without Camel or sockets: sentences of GraphQL {@code transcript(id)}
 * matched to what the socket gave, by speaker and time, in every emit mode; then a randomized meeting with gaps, where
 * {@code final} must give every segment exactly once, in start order, at its last text.
 */
class ChunkTrackerBackfillTest {

    private static final long AFTER = 1000;
    private static final double ALL = Double.NEGATIVE_INFINITY;

    private static TranscriptionEvent ev(String chunk, String text, String speaker, double start, double end) {
        return new TranscriptionEvent("t", chunk, text, speaker, start, end);
    }

    private static TranscriptSentence sent(String text, String speaker, double start, double end) {
        return new TranscriptSentence(null, text, text, speaker, null, start, end);
    }

    /** Every sentence, nothing upcoming, nothing settled, fetched after everything. */
    private static Backfill bf(TranscriptSentence... sentences) {
        return new Backfill("t", List.of(sentences), List.of(), ALL, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static List<String> lines(List<Emission> es) {
        List<String> out = new ArrayList<>();
        for (Emission e : es) {
            out.add(e.event().chunkId() + "#" + e.revision() + ":" + e.event().text() + (e.last() ? " F" : "")
                    + (e.correction() ? " C" : "") + (e.backfill() ? " B" : ""));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ revisions / changes

    @Test
    void aGapIsEmittedOnceInStartOrderUnderBackfillIdsAndWhatWasReceivedIsNot() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        t.accept(ev("a", "Good morning everyone", "Alice", 0, 2), 0);
        t.accept(ev("b", "Morning Alice", "Bob", 2.5, 3.5), 100);
        // the connection was down while c and d were said; e came after the reconnect
        List<Emission> out = t.acceptBackfill(bf(
                sent("Shall we start with the numbers", "Alice", 6.5, 8), // given out of order on purpose
                sent("Morning Alice", "Bob", 2.5, 3.5),
                sent("Good morning everyone", "Alice", 0, 2),
                sent("Let me share my screen", "Bob", 4, 6)), 200);
        assertThat(lines(out)).containsExactly("backfill-4000-bob#1:Let me share my screen B",
                "backfill-6500-alice#1:Shall we start with the numbers B");
        assertThat(out.get(0).event()).isEqualTo(ev("backfill-4000-bob", "Let me share my screen", "Bob", 4, 6));
        // the same sentences again: nothing is emitted twice
        assertThat(t.acceptBackfill(bf(sent("Good morning everyone", "Alice", 0, 2),
                sent("Let me share my screen", "Bob", 4, 6), sent("Shall we start with the numbers", "Alice", 6.5, 8)), 300))
                .isEmpty();
    }

    @Test
    void aSegmentReceivedInPartGetsTheApisTextAsOneMoreRevision() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        t.accept(ev("a", "So the", "Alice", 10, 10.4), 0);
        t.accept(ev("a", "So the plan", "Alice", 10, 10.9), 300);
        List<Emission> out = t.acceptBackfill(bf(sent("So the plan is to ship on Friday", "Alice", 10, 12.5)), 5000);
        assertThat(lines(out)).containsExactly("a#3:So the plan is to ship on Friday B");
        assertThat(out.get(0).event().startTime()).isEqualTo(10.0);
        assertThat(out.get(0).event().endTime()).isEqualTo(12.5);
        // the socket goes on with that chunk: numbering continues
        assertThat(lines(t.accept(ev("a", "So the plan is to ship on Friday.", "Alice", 10, 12.6), 6000)))
                .containsExactly("a#4:So the plan is to ship on Friday.");
    }

    @Test
    void aSegmentReceivedInFullIsNeverEmittedAgainEvenWhenTheApiWordsItOtherwise() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        t.accept(ev("a", "ok so lets go", "Alice", 0, 1), 0);
        t.accept(ev("b", "sure", "Bob", 1.5, 2), 500);
        // the connection was lost at 5000: a was quiet since 0, more than finalizeAfter before it: received in full
        Backfill fetched = new Backfill("t", List.of(sent("OK, so let's go.", "Alice", 0, 1), sent("Sure.", "Bob", 1.5, 2)),
                List.of(), ALL, 5000 - AFTER, 9000);
        assertThat(t.acceptBackfill(fetched, 9500)).isEmpty();
        // b was still being said when the connection dropped (at 1200): its later text comes from the backfill
        Backfill early = new Backfill("t", List.of(sent("Sure.", "Bob", 1.5, 2)), List.of(), ALL, 1200 - AFTER, 9000);
        assertThat(lines(t.acceptBackfill(early, 9600))).containsExactly("b#2:Sure. B");
    }

    @Test
    void aSegmentRevisedLiveAfterTheFetchWasSentKeepsItsNewerText() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        t.accept(ev("a", "one", "Alice", 0, 1), 0);
        t.accept(ev("a", "one two three", "Alice", 0, 3), 2500); // arrived after the fetch was sent at 2000
        Backfill stale = new Backfill("t", List.of(sent("one two", "Alice", 0, 2)), List.of(), ALL, Long.MIN_VALUE, 2000);
        assertThat(t.acceptBackfill(stale, 3000)).isEmpty();
    }

    @Test
    void changesModeContinuesABackfilledSegmentUnderItsIdAndSkipsRepeats() {
        ChunkTracker t = new ChunkTracker(EmitMode.CHANGES, AFTER);
        t.accept(ev("a", "first", "Alice", 0, 1), 0);
        assertThat(lines(t.acceptBackfill(bf(sent("first", "Alice", 0, 1), sent("second part", "Bob", 2, 3)), 100)))
                .containsExactly("backfill-2000-bob#1:second part B");
        // the socket brings the same segment under its own chunk id: it continues the backfilled one
        assertThat(t.accept(ev("x7", "second part", "Bob", 2, 3), 200)).isEmpty(); // a repeat of the API's text
        assertThat(lines(t.accept(ev("x7", "second part done", "Bob", 2, 3.5), 300)))
                .containsExactly("backfill-2000-bob#3:second part done");
        assertThat(t.adoptions()).isEqualTo(1);
        // a new chunk is a new segment
        assertThat(lines(t.accept(ev("x8", "third", "Alice", 4, 5), 400))).containsExactly("x8#1:third");
    }

    @Test
    void revisionsModeShowsTheContinuationAsTheNextRevision() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        t.acceptBackfill(bf(sent("hello", "Alice", 5, 6)), 0);
        assertThat(lines(t.accept(ev("c1", "hello", "Alice", 5, 6), 10))).containsExactly("backfill-5000-alice#2:hello");
    }

    @Test
    void aSentenceMatchingALiveEventThatWaitsBehindTheBackfillIsLeftToIt() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        TranscriptionEvent held = ev("c9", "we are back", "Alice", 30, 31);
        Backfill b = new Backfill("t", List.of(sent("missed this", "Bob", 20, 22), sent("we are back online", "Alice", 30, 32)),
                List.of(held), ALL, Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(lines(t.acceptBackfill(b, 0))).containsExactly("backfill-20000-bob#1:missed this B");
        // the held event is a chunk of its own, not a continuation of anything
        assertThat(lines(t.accept(held, 10))).containsExactly("c9#1:we are back");
        assertThat(t.adoptions()).isZero();
    }

    @Test
    void notBeforeLeavesOutWhatWasSaidBeforeTheFirstSubscription() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        t.accept(ev("a", "joined here", "Alice", 50, 51), 0);
        Backfill b = new Backfill("t", List.of(sent("long before", "Bob", 10, 12), sent("just before", "Bob", 49.9, 50),
                sent("joined here", "Alice", 50, 51), sent("in the gap", "Bob", 60, 61)), List.of(), t.firstLiveStart(),
                Long.MIN_VALUE, Long.MAX_VALUE);
        // within the tolerance of the first live start counts as after it
        assertThat(lines(t.acceptBackfill(b, 100))).containsExactly("backfill-49900-bob#1:just before B",
                "backfill-60000-bob#1:in the gap B");
    }

    @Test
    void aConstantClockSkewIsEstimatedFromSentencesThatSayTheSameAndMatchedAway() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        double skew = 3.0; // the sentences' clock runs 3 s ahead of the socket's
        t.accept(ev("a", "the first thing we need", "Alice", 0, 2), 0);
        t.accept(ev("b", "is a plan for the launch", "Bob", 2.2, 4), 10);
        t.accept(ev("c", "and a date", "Alice", 4.1, 5), 20); // short: no anchor, matched by time only
        List<Emission> out = t.acceptBackfill(bf(
                sent("the first thing we need", "Alice", 0 + skew, 2 + skew),
                sent("is a plan for the launch", "Bob", 2.2 + skew, 4 + skew),
                sent("and a date.", "Alice", 4.1 + skew, 5.2 + skew), // revised in the gap
                sent("Friday works for me", "Bob", 6 + skew, 7 + skew)), 100);
        assertThat(t.offset()).isEqualTo(skew);
        assertThat(lines(out)).containsExactly("c#2:and a date. B", "backfill-9000-bob#1:Friday works for me B");
        // a backfilled segment is reported in the socket's clock, its id keeps the API's start
        assertThat(out.get(0).event().startTime()).isEqualTo(4.1);
        assertThat(out.get(0).event().endTime()).isCloseTo(5.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(out.get(1).event().startTime()).isEqualTo(6.0);
    }

    @Test
    void aSpeakerWithoutANameMatchesAnyNameButTwoNamesMustAgree() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        t.accept(ev("a", "hello there", null, 0, 1), 0);
        t.accept(ev("b", "hi", "Bob", 2, 3), 10);
        List<Emission> out = t.acceptBackfill(bf(sent("hello there", "Alice", 0, 1), // the API knows who it was
                sent("hi", null, 2, 3), // the API does not
                sent("Overlapping", "Carol", 2, 2.5)), 20); // another named speaker at the same moment
        assertThat(lines(out)).containsExactly("backfill-2000-carol#1:Overlapping B");
    }

    @Test
    void aSegmentTheApiSplitInTwoIsNotEmittedAgain() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        t.accept(ev("a", "one two three four", "Alice", 0, 6), 0);
        assertThat(t.acceptBackfill(bf(sent("one two", "Alice", 0, 3), sent("three four", "Alice", 3, 6)), 10)).isEmpty();
    }

    @Test
    void twoSegmentsTheApiMergedIntoOneSentenceAreNotEmittedAgain() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        t.accept(ev("x", "one two", "Alice", 0, 2), 0);
        t.accept(ev("y", "three four", "Alice", 2.5, 4), 10);
        assertThat(t.acceptBackfill(bf(sent("one two three four", "Alice", 0, 4)), 20)).isEmpty();
    }

    @Test
    void aLiveChunkContinuesABackfilledSegmentOnlyWhenItStartsWithinTheTolerance() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        // dense: Alice speaks every 0.4 s
        t.acceptBackfill(bf(sent("s0", "Alice", 10.0, 10.2), sent("s1", "Alice", 10.4, 10.6)), 0);
        // a new segment 0.4 s after the last backfilled one is a new segment, not its continuation
        assertThat(lines(t.accept(ev("m2", "s2", "Alice", 10.8, 11.0), 10))).containsExactly("m2#1:s2");
        // the continuation of s1 (same start) is
        assertThat(lines(t.accept(ev("m1", "s1 more", "Alice", 10.4, 10.7), 20)))
                .containsExactly("backfill-10400-alice#2:s1 more");
        // another speaker at the same start is not
        assertThat(lines(t.accept(ev("z", "s0?", "Bob", 10.0, 10.1), 30))).containsExactly("z#1:s0?");
        assertThat(t.adoptions()).isEqualTo(1);
    }

    @Test
    void twoSentencesWithTheSameBackfillIdInOneFetchAreNumbered() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        // two sentences of one speaker starting at the same millisecond: the second gets -2, in the API's order
        assertThat(lines(t.acceptBackfill(bf(sent("first", "Ann", 5, 6), sent("second", "Ann", 5, 5.5)), 0)))
                .containsExactly("backfill-5000-ann#1:first B", "backfill-5000-ann-2#1:second B");
        assertThat(t.acceptBackfill(bf(sent("first", "Ann", 5, 6), sent("second", "Ann", 5, 5.5)), 10)).isEmpty();
    }

    @Test
    void sentencesWithoutAStartOrWithoutTextAreIgnored() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER);
        assertThat(t.acceptBackfill(bf(new TranscriptSentence(0, "no time", null, "Ann", null, null, null),
                new TranscriptSentence(1, "  ", null, "Ann", null, 1.0, 2.0),
                new TranscriptSentence(2, "nan", null, "Ann", null, Double.NaN, 2.0)), 0)).isEmpty();
        assertThat(t.acceptBackfill(bf(), 0)).isEmpty();
    }

    @Test
    void sentencesOfForgottenSegmentsAreNotEmittedAgain() {
        ChunkTracker t = new ChunkTracker(EmitMode.REVISIONS, AFTER, 3);
        List<TranscriptSentence> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            t.accept(ev("c" + i, "segment " + i, "Ann", i, i + 0.5), i);
            all.add(sent("segment " + i, "Ann", i, i + 0.5));
        }
        all.add(sent("missed", "Ann", 11, 11.5));
        assertThat(lines(t.acceptBackfill(new Backfill("t", all, List.of(), ALL, Long.MIN_VALUE, Long.MAX_VALUE), 100)))
                .containsExactly("backfill-11000-ann#1:missed B");
        assertThat(t.retainedSize()).isLessThanOrEqualTo(6);
    }

    // ------------------------------------------------------------------------------------------ final

    @Test
    void finalGivesEverySegmentOnceInStartOrderWhateverItsSource() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER);
        List<Emission> all = new ArrayList<>();
        all.addAll(t.accept(ev("a", "Hello all", "Alice", 0, 1), 0));
        all.addAll(t.accept(ev("b", "Hi", "Bob", 2, 2.5), 2000));
        // lost at 2100 (ticks stop), reconnected at 9000; b went on meanwhile, c was said, d is being said
        all.addAll(t.acceptBackfill(new Backfill("t", List.of(sent("Hello all", "Alice", 0, 1),
                sent("Hi Alice, good to see you", "Bob", 2, 4), sent("Let's begin", "Alice", 5, 6),
                sent("First the", "Bob", 7, 7.5)), List.of(), ALL, 2100 - AFTER, 9000), 9100));
        // a, b and c are quiet by the meeting's clock; d is the newest and waits
        assertThat(lines(all)).containsExactly("a#1:Hello all F", "b#2:Hi Alice, good to see you F B",
                "backfill-5000-alice#1:Let's begin F B");
        all.clear();
        all.addAll(t.accept(ev("d9", "First the budget", "Bob", 7, 8), 9200)); // continues d
        all.addAll(t.accept(ev("e9", "Sounds good", "Alice", 9, 10), 9300));
        all.addAll(t.tick(9300 + AFTER));
        all.addAll(t.flushAll());
        assertThat(lines(all)).containsExactly("backfill-7000-bob#2:First the budget F", "e9#1:Sounds good F");
    }

    @Test
    void finalCorrectsASegmentEmittedBeforeTheGapOnlyWhenItWasNotSettled() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER);
        t.accept(ev("a", "first", "Alice", 0, 1), 0);
        t.accept(ev("b", "second", "Bob", 2, 3), 500);
        assertThat(lines(t.tick(1500))).containsExactly("a#1:first F");
        // lost at 1600: a was quiet since 0, more than finalizeAfter: settled, never corrected by the backfill
        Backfill settled = new Backfill("t", List.of(sent("first!", "Alice", 0, 1)), List.of(), ALL, 1600 - AFTER, 3000);
        assertThat(t.acceptBackfill(settled, 3100)).isEmpty();
        // had it been lost at 900, a could have changed during the gap: the API's text is a correction
        Backfill unsettled = new Backfill("t", List.of(sent("first!", "Alice", 0, 1)), List.of(), ALL, 900 - AFTER, 3000);
        assertThat(lines(t.acceptBackfill(unsettled, 3200))).containsExactly("a#2:first! F C B");
        assertThat(t.corrections()).isEqualTo(1);
    }

    @Test
    void finalPlacesABackfilledSegmentBeforeAnOpenOneThatStartsLater() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER);
        t.accept(ev("a", "early", "Alice", 0, 1), 0);
        t.accept(ev("c", "late", "Carol", 10, 11), 100);
        List<Emission> out = new ArrayList<>(t.acceptBackfill(bf(sent("middle", "Bob", 5, 6)), 200));
        out.addAll(t.accept(ev("d", "newest", "Dan", 12, 13), 300));
        out.addAll(t.tick(300 + AFTER));
        out.addAll(t.flushAll());
        assertThat(lines(out)).containsExactly("a#1:early F", "backfill-5000-bob#1:middle F B", "c#1:late F",
                "d#1:newest F");
    }

    @Test
    void finalLateJoinEmitsWhatWasSaidBeforeThenTheLiveSegments() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER);
        TranscriptionEvent held1 = ev("L1", "and that is why", "Bob", 40, 41);
        TranscriptionEvent held2 = ev("L1", "and that is why we", "Bob", 40, 41.5);
        List<TranscriptSentence> before = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            before.add(sent("said " + i, i % 2 == 0 ? "Alice" : "Bob", i * 2, i * 2 + 1.5));
        }
        before.add(sent("and that is why", "Bob", 40, 41)); // being said when the consumer joined: it waits behind
        List<Emission> out = new ArrayList<>(t.acceptBackfill(new Backfill("t", before, List.of(held1, held2), ALL,
                Long.MIN_VALUE, 0), 50));
        assertThat(out).hasSize(19).allMatch(Emission::backfill).allMatch(Emission::last);
        out.addAll(t.accept(held1, 60));
        out.addAll(t.accept(held2, 70));
        out.addAll(t.accept(ev("L2", "next", "Alice", 42, 43), 80));
        out.addAll(t.tick(80 + AFTER));
        out.addAll(t.flushAll());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("backfill-" + (i * 2000) + "-" + (i % 2 == 0 ? "alice" : "bob") + "#1:said " + i + " F B");
        }
        expected.add("L1#2:and that is why we F");
        expected.add("L2#1:next F");
        assertThat(lines(out)).containsExactlyElementsOf(expected);
    }

    @Test
    void finalKeepsTheBoundOnOpenSegmentsWhenABackfillBringsMany() {
        ChunkTracker t = new ChunkTracker(EmitMode.FINAL, AFTER, 5);
        List<TranscriptSentence> many = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            many.add(sent("s" + i, "Ann", i, i + 1)); // all end at most 11 s before the last: quiet by the meeting clock
        }
        List<Emission> out = new ArrayList<>(t.acceptBackfill(new Backfill("t", many, List.of(), ALL, Long.MIN_VALUE,
                Long.MAX_VALUE), 0));
        out.addAll(t.flushAll());
        assertThat(out).extracting(e -> e.event().text()).containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7",
                "s8", "s9", "s10", "s11");
        assertThat(t.openChunks()).isZero();
        assertThat(t.retainedSize()).isLessThanOrEqualTo(10);
    }

    @Test
    void socketEmissionsAreNeverMarkedAsBackfill() {
        for (EmitMode mode : EmitMode.values()) {
            ChunkTracker t = new ChunkTracker(mode, AFTER);
            List<Emission> out = new ArrayList<>(t.accept(ev("a", "x", "Ann", 0, 1), 0));
            out.addAll(t.accept(ev("b", "y", "Ann", 2, 3), 10));
            out.addAll(t.flushAll());
            assertThat(out).isNotEmpty().noneMatch(Emission::backfill);
        }
    }

    // ------------------------------------------------------------------------------------------ randomized meetings

    /** One segment of a simulated meeting. */
    private record Seg(int i, String chunkId, String speaker, double start, List<String> texts) {
        String finalText() {
            return texts.get(texts.size() - 1);
        }
    }

    /** One event the meeting sends: revision r of segment s at time at (seconds). */
    private record Sent(Seg seg, int r, double at) {
        TranscriptionEvent event() {
            return new TranscriptionEvent("t", seg.chunkId(), seg.texts().get(r), seg.speaker(), seg.start(),
                    seg.start() + 0.2 * (r + 1));
        }
    }

    private static List<Seg> meeting(Random rnd, int n) {
        String[] speakers = { "Alice", "Bob", "Chen Wei", null };
        List<Seg> segs = new ArrayList<>();
        double start = 0;
        for (int i = 0; i < n; i++) {
            int revisions = rnd.nextInt(4);
            List<String> texts = new ArrayList<>();
            for (int r = 0; r <= revisions; r++) {
                texts.add("segment " + i + " says" + " word".repeat(r + 1));
            }
            segs.add(new Seg(i, "live-" + i, speakers[rnd.nextInt(speakers.length)], Math.round(start * 1000) / 1000.0,
                    texts));
            start += 0.9 + rnd.nextDouble() * 2.0;
        }
        return segs;
    }

    private static List<Sent> schedule(List<Seg> segs) {
        List<Sent> out = new ArrayList<>();
        for (Seg s : segs) {
            for (int r = 0; r < s.texts().size(); r++) {
                out.add(new Sent(s, r, s.start() + 0.25 * r));
            }
        }
        out.sort(Comparator.comparingDouble(Sent::at));
        return out;
    }

    /** The API's live rule at time t: one sentence per segment sent so far, at its latest text. */
    private static List<TranscriptSentence> sentencesAt(List<Sent> sched, double t) {
        Map<Seg, Integer> latest = new LinkedHashMap<>();
        for (Sent s : sched) {
            if (s.at() < t) {
                latest.merge(s.seg(), s.r(), Math::max);
            }
        }
        List<TranscriptSentence> out = new ArrayList<>();
        latest.forEach((seg, r) -> out.add(new TranscriptSentence(out.size(), seg.texts().get(r), null, seg.speaker(), null,
                seg.start(), seg.start() + 0.2 * (r + 1))));
        return out;
    }

    /**
     * Plays a meeting through a tracker as TranscriptStream would: events outside the gaps are accepted (with ticks),
     * none during a gap (no ticks either), and at each reconnect a backfill of the sentences sent until the fetch is
     * answered, the events received meanwhile waiting behind it. With {@code all} the consumer joins late and the
     * first gap is everything before it. Returns every emission.
     */
    private static List<Emission> play(EmitMode mode, List<Seg> segs, List<double[]> gaps, boolean all, Random rnd) {
        return play(mode, segs, gaps, all, false, rnd);
    }

    /**
     * As above; with {@code late} the backfill comes after the live events that followed the reconnect (the hold was
     * given up: a slow or rate-limited fetch), and time goes on meanwhile.
     */
    private static List<Emission> play(EmitMode mode, List<Seg> segs, List<double[]> gaps, boolean all, boolean late,
                                       Random rnd) {
        ChunkTracker t = new ChunkTracker(mode, AFTER);
        List<Sent> sched = schedule(segs);
        List<Emission> out = new ArrayList<>();
        int next = 0;
        long clock = 0;
        boolean first = true;
        for (double[] gap : gaps) {
            for (; next < sched.size() && sched.get(next).at() < gap[0]; next++) {
                clock = Math.max(clock, (long) (sched.get(next).at() * 1000));
                out.addAll(t.tick(clock));
                out.addAll(t.accept(sched.get(next).event(), clock));
            }
            boolean join = first && all;
            first = false;
            long lost = (long) (gap[0] * 1000);
            while (next < sched.size() && sched.get(next).at() < gap[1]) {
                next++; // sent to nobody
            }
            long requested = (long) (gap[1] * 1000);
            double answered = gap[1] + rnd.nextDouble() * (late ? 3.0 : 0.5);
            List<TranscriptionEvent> held = new ArrayList<>();
            int h = next;
            for (; h < sched.size() && sched.get(h).at() < answered; h++) {
                held.add(sched.get(h).event());
            }
            double notBefore = all || t.firstLiveStart() == null ? ALL : t.firstLiveStart();
            if (late) {
                for (; next < h; next++) {
                    clock = Math.max(clock, (long) (sched.get(next).at() * 1000));
                    out.addAll(t.tick(clock));
                    out.addAll(t.accept(sched.get(next).event(), clock));
                }
                held.clear();
            }
            clock = Math.max(clock, (long) (answered * 1000));
            double snapshot = gap[1] + rnd.nextDouble() * (answered - gap[1]); // when the API read its sentences
            out.addAll(t.acceptBackfill(new Backfill("t", sentencesAt(sched, snapshot), held, notBefore,
                    join ? Long.MIN_VALUE : lost - AFTER, requested), clock));
            for (; next < h; next++) {
                out.addAll(t.accept(sched.get(next).event(), clock));
            }
        }
        for (; next < sched.size(); next++) {
            clock = Math.max(clock, (long) (sched.get(next).at() * 1000));
            out.addAll(t.tick(clock));
            out.addAll(t.accept(sched.get(next).event(), clock));
        }
        out.addAll(t.tick(clock + 10 * AFTER));
        out.addAll(t.flushAll());
        return out;
    }

    /** One to three gaps, apart, after {@code from}; with {@code all} first the late join (everything before it). */
    private static List<double[]> randomGaps(Random rnd, double length, boolean all) {
        List<double[]> gaps = new ArrayList<>();
        double from = 0;
        if (all) {
            double join = 1 + rnd.nextDouble() * length / 3;
            gaps.add(new double[] { Double.NEGATIVE_INFINITY, join });
            from = join + 1;
        }
        int n = 1 + rnd.nextInt(3);
        double[] cuts = new double[2 * n];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = from + 1 + rnd.nextDouble() * Math.max(1, length - from - 2);
        }
        Arrays.sort(cuts);
        for (int i = 0; i < n; i++) {
            gaps.add(new double[] { cuts[2 * i], cuts[2 * i + 1] });
        }
        return gaps;
    }

    /** The segment an emission belongs to: its live chunk id, or the backfill id of its start and speaker. */
    private static Seg segmentOf(Emission e, List<Seg> segs) {
        String id = e.event().chunkId();
        if (id.startsWith("live-")) {
            return segs.get(Integer.parseInt(id.substring(5)));
        }
        long ms = Long.parseLong(id.split("-")[1]);
        for (Seg s : segs) {
            if (Math.round(s.start() * 1000) == ms) {
                return s;
            }
        }
        throw new AssertionError("No segment for " + id);
    }

    @ParameterizedTest
    @EnumSource(value = EmitMode.class)
    void randomMeetingsWithGapsMissNoSegmentAndFinalHasEachOnceInStartOrder(EmitMode mode) {
        int backfilled = 0;
        int continued = 0;
        int updated = 0;
        for (int seed = 1; seed <= 300; seed++) {
            Random rnd = new Random(seed);
            List<Seg> segs = meeting(rnd, 20 + rnd.nextInt(40));
            double length = segs.get(segs.size() - 1).start() + 1;
            boolean all = rnd.nextBoolean();
            List<double[]> gaps = randomGaps(rnd, length, all);
            List<Emission> out = play(mode, segs, gaps, all, rnd);
            String why = "seed " + seed + ", gaps " + Arrays.deepToString(gaps.toArray()) + ", all " + all;

            Map<Seg, String> lastText = new HashMap<>();
            Map<Seg, Set<String>> ids = new HashMap<>();
            List<Seg> firstFinal = new ArrayList<>();
            for (Emission e : out) {
                Seg s = segmentOf(e, segs);
                boolean backfillId = e.event().chunkId().startsWith("backfill-");
                backfilled += e.backfill() && backfillId ? 1 : 0;
                continued += !e.backfill() && backfillId ? 1 : 0;
                updated += e.backfill() && !backfillId ? 1 : 0;
                ids.computeIfAbsent(s, x -> new HashSet<>()).add(e.event().chunkId());
                lastText.put(s, e.event().text());
                if (mode == EmitMode.FINAL && !e.correction()) {
                    assertThat(e.last()).as(why).isTrue();
                    firstFinal.add(s);
                }
            }
            assertThat(lastText.keySet()).as(why + ": every segment").containsExactlyInAnyOrderElementsOf(segs);
            for (Seg s : segs) {
                assertThat(lastText.get(s)).as(why + ": last text of " + s.i()).isEqualTo(s.finalText());
                assertThat(ids.get(s)).as(why + ": one chunk id for " + s.i()).hasSize(1);
            }
            if (mode == EmitMode.FINAL) {
                assertThat(firstFinal).as(why + ": each once, in start order").containsExactlyElementsOf(segs);
                assertThat(out).as(why + ": no corrections").noneMatch(Emission::correction);
            }
        }
        // the meetings did exercise each path: missed segments, continued ones, and ones received in part
        assertThat(backfilled).isGreaterThan(300);
        assertThat(continued).isGreaterThan(30);
        assertThat(updated).isGreaterThan(30);
    }

    @ParameterizedTest
    @EnumSource(value = EmitMode.class)
    void aBackfillThatComesAfterTheLiveEventsStillMissesNothingAndEmitsNothingFinalTwice(EmitMode mode) {
        int fresher = 0;
        for (int seed = 1; seed <= 300; seed++) {
            Random rnd = new Random(1000 + seed);
            List<Seg> segs = meeting(rnd, 20 + rnd.nextInt(40));
            double length = segs.get(segs.size() - 1).start() + 1;
            boolean all = rnd.nextBoolean();
            List<double[]> gaps = randomGaps(rnd, length, all);
            List<Emission> out = play(mode, segs, gaps, all, true, rnd);
            String why = "seed " + (1000 + seed) + ", gaps " + Arrays.deepToString(gaps.toArray()) + ", all " + all;
            Map<Seg, String> lastText = new HashMap<>();
            Map<Seg, Integer> finals = new HashMap<>();
            for (Emission e : out) {
                Seg s = segmentOf(e, segs);
                lastText.put(s, e.event().text());
                if (e.last() && !e.correction()) {
                    finals.merge(s, 1, Integer::sum);
                }
            }
            for (Seg s : segs) {
                assertThat(lastText.get(s)).as(why + ": last text of " + s.i()).isEqualTo(s.finalText());
                if (mode == EmitMode.FINAL) {
                    assertThat(finals.get(s)).as(why + ": final once, " + s.i()).isEqualTo(1);
                }
            }
            fresher += out.stream().anyMatch(e -> !e.backfill() && e.event().chunkId().startsWith("live-")) ? 1 : 0;
        }
        assertThat(fresher).isEqualTo(300);
    }
}
