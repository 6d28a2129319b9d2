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

package io.github.camelfireflies.internal.backfill;

import io.github.camelfireflies.api.TranscriptSentence;
import io.github.camelfireflies.api.TranscriptionEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sentence merge: {@link #merge} merges the sentences of GraphQL {@code transcript(id)} (during a live meeting:
 * one sentence per segment heard so far, at its latest text, without {@code chunk_id}) into the bookkeeping of an emit
 * mode's tracker (through {@link Segments}), so that every mode stays truthful whichever source a segment came from. Times are compared in the socket's clock: a sentence's
 * times minus the <em>offset</em> below; the tolerance is {@value SentenceMatching#TOLERANCE} s.
 * <ol>
 * <li><b>Offset.</b> The median of {@code sentence.start - segment.start} over the sentences whose text (or raw text)
 * equals, whitespace aside, the text received for a segment of a compatible speaker starting within
 * {@value SentenceMatching#MAX_OFFSET} s, counting only texts of {@value SentenceMatching#MIN_ANCHOR_CHARS} characters
 * or more; without any such pair, the previous estimate (0 at first). It absorbs a constant clock skew.</li>
 * <li><b>Speakers.</b> Compatible when both names are equal ignoring case and whitespace, or when either has no
 * name.</li>
 * <li><b>Matching.</b> A sentence whose backfill chunk id (below) is a known segment's is that segment. Otherwise each
 * sentence is paired with the known segment of a compatible speaker whose start is nearest, within the tolerance,
 * nearest pairs first, each segment and each sentence at most once. Start times decide, not end times: a segment's end
 * grows while it is revised, a sentence has the latest one. Known segments are those remembered (open or emitted) plus
 * the {@code upcoming} live events that wait behind the backfill.</li>
 * <li><b>A matched sentence</b> changes nothing when it pairs with an upcoming event (the socket brings it), when its
 * text equals the segment's, when the segment was received in full (no arrival since {@code settledBefore}: quiet for
 * {@code finalizeAfter} before the connection was lost), when the segment was revised live after the fetch was sent
 * ({@code requestedAt}: the socket is newer), or when the pairing is not one to one (the sentence spans the start of
 * another known segment of a compatible speaker: a merge; or the segment spans the start of another sentence: a
 * split). Otherwise the segment was received only in part: its text becomes the sentence's, as a revision from the
 * backfill (in {@code final}: while open, its new text; once emitted, a correction).</li>
 * <li><b>An unmatched sentence</b> is not emitted when it starts before {@code notBefore} (the part before the first
 * subscription, unless it was asked for), when it lies in the range of segments forgotten by the bounded memory, or
 * when it is covered by a known segment of a compatible speaker (it starts and ends within that segment's times: a
 * segment the API split in two). Otherwise it is a segment the socket missed: it is emitted once, at the API's text,
 * under the chunk id {@code backfill-<start in ms>-<speaker>} (see {@link SentenceMatching#backfillId}).</li>
 * <li><b>Continued live.</b> A chunk id first seen after a backfill whose start is within the tolerance of a
 * backfilled segment of a compatible speaker that no live chunk continued yet (started at most
 * {@value Continuations#ADOPT_WINDOW} s before it) continues that segment: its events keep the backfill chunk id
 * (see {@link Continuations}).</li>
 * <li><b>In {@code final}</b>, backfilled segments take their place among the open ones by start time; each counts as
 * quiet since its end, measured back from the latest end among the sentences, so the finality rule applies to them as
 * to any segment, and the last one waits for a newer segment like the newest live one does.</li>
 * </ol>
 * <p>
 * The merge decides; the emit mode's state machine (the tracker that owns the segments) applies: it sees the segments
 * only through {@link Segments}, and learns of each decision through {@link Segments#revise} and
 * {@link Segments#missed}. One merge belongs to one tracker (it keeps the offset estimate between backfills); not
 * thread-safe, like the tracker.
 */
public final class SentenceMerge {

    /**
     * Sentences fetched from GraphQL {@code transcript(id)}, to merge.
     *
     * @param transcriptId  the meeting, for the events of backfilled segments
     * @param sentences     the live sentences, in any order
     * @param upcoming      live events received but not accepted yet (they wait behind the backfill): a sentence that
     *                      matches one of them is left to them
     * @param notBefore     socket-clock seconds: an unmatched sentence that starts earlier is not emitted;
     *                      {@code Double.NEGATIVE_INFINITY} for none
     * @param settledBefore tracker time: a segment with no arrival since then was received in full and is never changed
     * @param requestedAt   tracker time the fetch was sent: a segment revised since then is newer than the sentences
     */
    public record Backfill(String transcriptId, List<TranscriptSentence> sentences, List<TranscriptionEvent> upcoming,
                           double notBefore, long settledBefore, long requestedAt) {
        public Backfill {
            sentences = List.copyOf(sentences);
            upcoming = List.copyOf(upcoming);
        }
    }

    /** A segment the tracker remembers; read live (a revision during the merge is seen by the rest of it). */
    public interface Segment {

        /** Its chunk id. */
        String key();

        /** Its latest text, in the socket's clock. */
        TranscriptionEvent event();

        /** Tracker time of its latest arrival (or of the quiet time a backfill gave it). */
        long lastArrival();

        /** Whether its latest text came from a backfill (its times are then no evidence of the socket's clock). */
        boolean fromBackfill();
    }

    /** What the merge needs of the tracker that owns the segments. */
    public interface Segments {

        /** The segments remembered: the open ones in first-seen order, then the emitted (or seen) ones, oldest first. */
        List<? extends Segment> remembered();

        /** Whether a live chunk id is known already: remembered, or continuing a backfilled segment. */
        boolean knows(String chunkId);

        /**
         * Socket clock: sentences starting at or before it (within the tolerance) lie among forgotten segments. Read
         * after each {@link #missed}, which may make the tracker forget one.
         */
        double horizon();

        /** A segment received only in part: {@code text} (same chunk id) is its revision from the backfill. */
        void revise(Segment segment, TranscriptionEvent text, long quietSince);

        /** A segment the socket missed, under its backfill chunk id; the merge calls these in start order. */
        void missed(TranscriptionEvent segment, long quietSince);
    }

    /** A sentence being merged, with its times in the socket's clock. */
    private static final class Sent {
        final TranscriptSentence s;
        final int order;
        String id;
        double start;
        double end;
        Known match;

        Sent(TranscriptSentence s, int order) {
            this.s = s;
            this.order = order;
        }
    }

    /** A segment the backfill compares with: a remembered one, or an upcoming live event. */
    private static final class Known {
        final Segment segment;
        final TranscriptionEvent upcoming;
        final int order;
        boolean claimed;

        Known(Segment segment, TranscriptionEvent upcoming, int order) {
            this.segment = segment;
            this.upcoming = upcoming;
            this.order = order;
        }

        TranscriptionEvent event() {
            return segment != null ? segment.event() : upcoming;
        }

        double start() {
            return event().startTime();
        }

        double end() {
            TranscriptionEvent e = event();
            return e.endTime() != null ? e.endTime() : e.startTime();
        }

        String speaker() {
            return event().speakerName();
        }
    }

    private record Pair(double delta, Known known, Sent sent) {
    }

    /** Sentence clock minus socket clock, seconds. */
    private double offset;

    /** The last estimate of the sentences' clock minus the socket's (seconds); 0 until a backfill found anchors. */
    public double offset() {
        return offset;
    }

    /**
     * Merges sentences: tells {@code segments} of the segments the socket missed, and of the later text of segments
     * received only in part.
     *
     * @return false when no sentence could be placed in time (nothing was looked at)
     */
    public boolean merge(Backfill backfill, long now, Segments segments) {
        Objects.requireNonNull(backfill, "backfill");
        Objects.requireNonNull(segments, "segments");
        // the sentences that can be placed in time, by start
        List<Sent> sents = new ArrayList<>();
        for (TranscriptSentence s : backfill.sentences()) {
            if (s != null && s.startTime() != null && Double.isFinite(s.startTime())
                    && !SentenceMatching.normalize(s.text()).isEmpty()) {
                sents.add(new Sent(s, sents.size()));
            }
        }
        if (sents.isEmpty()) {
            return false;
        }
        sents.sort(Comparator.comparingDouble((Sent x) -> x.s.startTime()).thenComparingInt(x -> x.order));
        Map<String, Integer> ids = new HashMap<>();
        for (Sent x : sents) {
            String base = SentenceMatching.backfillId(x.s);
            int n = ids.merge(base, 1, Integer::sum);
            x.id = n == 1 ? base : base + "-" + n;
        }

        // what is known: remembered segments, then the live events waiting behind this backfill
        List<Known> known = new ArrayList<>();
        for (Segment c : segments.remembered()) {
            if (c.event().startTime() != null) {
                known.add(new Known(c, null, known.size()));
            }
        }
        Map<String, TranscriptionEvent> upcoming = new LinkedHashMap<>();
        for (TranscriptionEvent e : backfill.upcoming()) {
            if (!segments.knows(e.chunkId())) {
                upcoming.put(e.chunkId(), e);
            }
        }
        for (TranscriptionEvent e : upcoming.values()) {
            if (e.startTime() != null) {
                known.add(new Known(null, e, known.size()));
            }
        }

        offset = estimateOffset(sents, known);
        double latestEnd = Double.NEGATIVE_INFINITY;
        for (Sent x : sents) {
            x.start = x.s.startTime() - offset;
            x.end = x.s.endTime() != null && x.s.endTime() >= x.s.startTime() ? x.s.endTime() - offset : x.start;
            latestEnd = Math.max(latestEnd, x.end);
        }
        match(sents, known);

        for (Sent x : sents) {
            Known k = x.match;
            if (k != null) {
                Segment c = k.segment;
                if (c == null || SentenceMatching.sameText(x.s, c.event().text())
                        || c.lastArrival() < backfill.settledBefore() || c.lastArrival() >= backfill.requestedAt()
                        || notOneToOne(x, k, sents, known)) {
                    continue;
                }
                TranscriptionEvent old = c.event();
                segments.revise(c, new TranscriptionEvent(old.transcriptId(), c.key(), x.s.text(),
                        old.speakerName() != null ? old.speakerName() : x.s.speakerName(), old.startTime(),
                        Math.max(x.end, old.startTime())), quietSince(now, latestEnd, x.end));
            } else if (x.start >= backfill.notBefore() - SentenceMatching.TOLERANCE
                       && x.start > segments.horizon() + SentenceMatching.TOLERANCE && !covered(x, known)) {
                segments.missed(new TranscriptionEvent(backfill.transcriptId(), x.id, x.s.text(), x.s.speakerName(),
                        x.start, x.s.endTime() != null ? x.end : null), quietSince(now, latestEnd, x.end));
            }
        }
        return true;
    }

    /** The median start difference of sentences and live segments with the same text (see "Offset" above). */
    private double estimateOffset(List<Sent> sents, List<Known> known) {
        Map<String, List<Known>> byText = new HashMap<>();
        for (Known k : known) {
            if (k.segment != null && k.segment.fromBackfill()) {
                continue; // its times came from an earlier backfill: no evidence of the socket's clock
            }
            String t = SentenceMatching.normalize(k.event().text());
            if (SentenceMatching.anchorText(t)) {
                byText.computeIfAbsent(t, x -> new ArrayList<>()).add(k);
            }
        }
        if (byText.isEmpty()) {
            return offset;
        }
        List<SentenceMatching.Anchor> anchors = new ArrayList<>();
        for (Sent x : sents) {
            Known best = null;
            for (String t : new String[] { SentenceMatching.normalize(x.s.text()), SentenceMatching.normalize(x.s.rawText()) }) {
                List<Known> same = t == null ? null : byText.get(t);
                if (same == null) {
                    continue;
                }
                for (Known k : same) {
                    double d = x.s.startTime() - k.start();
                    if (Math.abs(d) <= SentenceMatching.MAX_OFFSET
                            && SentenceMatching.compatibleSpeakers(x.s.speakerName(), k.speaker())
                            && (best == null || Math.abs(d) < Math.abs(x.s.startTime() - best.start()))) {
                        best = k;
                    }
                }
            }
            if (best != null) {
                anchors.add(new SentenceMatching.Anchor(x.s.startTime(), best.start()));
            }
        }
        return SentenceMatching.medianOffset(anchors, offset);
    }

    /** Pairs sentences with known segments: by backfill chunk id, then nearest start within the tolerance. */
    private static void match(List<Sent> sents, List<Known> known) {
        Map<String, Known> byKey = new HashMap<>();
        for (Known k : known) {
            if (k.segment != null && k.segment.key().startsWith(SentenceMatching.ID_PREFIX)) {
                byKey.put(k.segment.key(), k);
            }
        }
        for (Sent x : sents) {
            Known k = byKey.get(x.id);
            if (k != null && !k.claimed) {
                k.claimed = true;
                x.match = k;
            }
        }
        List<Known> byStart = new ArrayList<>(known);
        byStart.sort(Comparator.comparingDouble(Known::start).thenComparingInt(k -> k.order));
        double[] starts = new double[byStart.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = byStart.get(i).start();
        }
        List<Pair> pairs = new ArrayList<>();
        for (Sent x : sents) {
            if (x.match != null) {
                continue;
            }
            double to = x.start + SentenceMatching.TOLERANCE;
            for (int i = lowerBound(starts, x.start - SentenceMatching.TOLERANCE); i < starts.length && starts[i] <= to; i++) {
                Known k = byStart.get(i);
                if (!k.claimed && SentenceMatching.compatibleSpeakers(x.s.speakerName(), k.speaker())) {
                    pairs.add(new Pair(Math.abs(k.start() - x.start), k, x));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::delta).thenComparingInt(p -> p.known().order)
                .thenComparingInt(p -> p.sent().order));
        for (Pair p : pairs) {
            if (!p.known().claimed && p.sent().match == null) {
                p.known().claimed = true;
                p.sent().match = p.known();
            }
        }
    }

    private static int lowerBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** A merge (the sentence spans another segment's start) or a split (the segment spans another sentence's start). */
    private static boolean notOneToOne(Sent x, Known k, List<Sent> sents, List<Known> known) {
        double tol = SentenceMatching.TOLERANCE;
        for (Known other : known) {
            if (other != k && other.start() > x.start + tol && other.start() < x.end - tol
                    && SentenceMatching.compatibleSpeakers(x.s.speakerName(), other.speaker())) {
                return true;
            }
        }
        for (Sent other : sents) {
            if (other != x && other.start > k.start() + tol && other.start < k.end() - tol
                    && SentenceMatching.compatibleSpeakers(other.s.speakerName(), k.speaker())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a known segment of a compatible speaker spans the sentence (a segment the API split). */
    private static boolean covered(Sent x, List<Known> known) {
        double tol = SentenceMatching.TOLERANCE;
        for (Known k : known) {
            if (k.start() - tol <= x.start && x.end <= k.end() + tol
                    && SentenceMatching.compatibleSpeakers(x.s.speakerName(), k.speaker())) {
                return true;
            }
        }
        return false;
    }

    /** The tracker time a sentence has been quiet since: its end, measured back from the latest end. */
    private static long quietSince(long now, double latestEnd, double end) {
        return now - (long) Math.max(0, Math.min((latestEnd - end) * 1000.0, Long.MAX_VALUE / 4.0));
    }
}
