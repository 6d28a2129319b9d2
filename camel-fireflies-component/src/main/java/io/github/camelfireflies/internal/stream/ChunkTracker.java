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
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the revisions Fireflies sends for each {@code chunk_id} into what a route asked for: every revision, only the
 * ones that change the text, or one final event per segment. Knows nothing of Camel or of clocks: the caller passes
 * {@code now} (milliseconds, any monotonic origin).
 * <p>
 * Not thread-safe on purpose: one tracker belongs to one meeting and is used by one thread at a time (the consumer's
 * ordered lane), so it needs no lock.
 *
 * <h2>The rules</h2>
 * <ul>
 * <li><b>Revision numbers.</b> The n-th arrival of a {@code chunk_id} is revision n (1 for the first sighting), in
 * every mode; an exact repeat counts too, so in {@code changes} mode the numbers of what is emitted may skip. The wire
 * carries no revision number, so the last arrival is taken as the latest text.</li>
 * <li><b>{@code changes}.</b> An arrival whose text equals the last text seen for the same {@code chunk_id} is
 * skipped. The comparison is only ever within one {@code chunk_id}: the same words in another chunk are emitted.</li>
 * <li><b>{@code final}: when a chunk is final.</b> Fireflies never says that a segment is finished, so it is a
 * heuristic: a chunk is final once a newer chunk (a {@code chunk_id} first seen after it) has started <em>and</em> no
 * revision of it has arrived for {@code finalizeAfter} ms. Chunks are emitted final in the order they were first seen;
 * a chunk that qualifies waits for an older one that does not yet (so a late revision of an older chunk holds the
 * newer ones back by at most {@code finalizeAfter}). The newest chunk never qualifies by time: it is emitted when a
 * newer one has started and it has been quiet, or by {@link #flushAll()} (the session ended, the consumer stops).</li>
 * <li><b>Out of order.</b> A revision of a chunk that is not the newest one (a newer chunk already started) is an
 * out-of-order revision. In {@code revisions} and {@code changes} it is emitted like any other, with its number. In
 * {@code final}, while the chunk is open it replaces the chunk's text and restarts its quiet time; once the chunk was
 * emitted final, a revision with a different text is emitted at once as a <em>correction</em> (final and correction
 * both true), and one with the same text is dropped as a repeat.</li>
 * <li><b>Bounded memory.</b> At most {@code maxTracked} chunks are remembered after they were emitted final (or, in
 * {@code revisions} and {@code changes}, after they were first seen), the oldest forgotten first; and at most
 * {@code maxTracked} chunks are open at once: when one more starts, the oldest open chunk is emitted final at once.
 * A forgotten chunk that arrives again is taken for a new one (revision 1). So {@link #retainedSize()} never exceeds
 * {@code 2 * maxTracked} (plus, with a backfill, at most {@code maxTracked} chunk id aliases).</li>
 * </ul>
 *
 * <h2>Backfill: sentences merged with what the socket gave</h2>
 * {@link #acceptBackfill} merges the sentences of GraphQL {@code transcript(id)} (during a live meeting: one sentence
 * per segment heard so far, at its latest text, without {@code chunk_id}) into the same bookkeeping, so that every
 * mode stays truthful whichever source a segment came from. Times are compared in the socket's clock: a sentence's
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
 * {@value #ADOPT_WINDOW} s before it) continues that segment: its events keep the backfill chunk id.</li>
 * <li><b>In {@code final}</b>, backfilled segments take their place among the open ones by start time; each counts as
 * quiet since its end, measured back from the latest end among the sentences, so the finality rule applies to them as
 * to any segment, and the last one waits for a newer segment like the newest live one does.</li>
 * </ol>
 */
public final class ChunkTracker {

    /** How many finished (or, outside {@code final}, seen) chunks are remembered by default. */
    public static final int DEFAULT_MAX_TRACKED = 1000;

    /** A live chunk may continue a backfilled segment that started at most this many seconds before it. */
    static final double ADOPT_WINDOW = 120.0;

    /**
     * One event to route.
     *
     * @param event      the chunk's text as emitted (in {@code final}: its last revision)
     * @param revision   which arrival of the chunk id that text came with (1 = first sighting)
     * @param last       true when the chunk is final (only in {@code final} mode)
     * @param correction true when the chunk had already been emitted final and changed since
     * @param backfill   true when the text came from a backfill (GraphQL sentences), not from the socket
     */
    public record Emission(TranscriptionEvent event, int revision, boolean last, boolean correction, boolean backfill) {
        public Emission {
            Objects.requireNonNull(event, "event");
        }

        /** A socket emission. */
        public Emission(TranscriptionEvent event, int revision, boolean last, boolean correction) {
            this(event, revision, last, correction, false);
        }
    }

    /**
     * Sentences fetched from GraphQL {@code transcript(id)}, to merge (see "Backfill" above).
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

    private static final class Chunk {
        final String key;
        long seq;
        /** The latest text, always in the socket's clock; its chunk id is {@link #key}. */
        TranscriptionEvent event;
        int revisions;
        long lastArrival;
        /** The latest text came from a backfill. */
        boolean fromBackfill;

        Chunk(String key, long seq, TranscriptionEvent event, long now) {
            this.key = key;
            this.seq = seq;
            this.event = event;
            this.revisions = 1;
            this.lastArrival = now;
        }

        Double start() {
            return event.startTime();
        }

        double end() {
            return event.endTime() != null ? event.endTime() : event.startTime();
        }
    }

    private final EmitMode mode;
    private final long finalizeAfterMillis;
    private final int maxTracked;
    /** final mode: chunks not yet emitted final, in first-seen order. */
    private final LinkedHashMap<String, Chunk> open = new LinkedHashMap<>();
    /** Chunks emitted final (final mode) or seen (other modes), oldest first; at most maxTracked. */
    private final LinkedHashMap<String, Chunk> done = new LinkedHashMap<>();
    /** Live chunk ids that continue a backfilled segment, to that segment's key; at most maxTracked. */
    private final LinkedHashMap<String, String> aliases = new LinkedHashMap<>();
    /** Backfilled segments no live chunk continued yet, by key, in start order per backfill; at most maxTracked. */
    private final LinkedHashMap<String, Chunk> unadopted = new LinkedHashMap<>();
    private long lastSeq;
    /** The chunk that got lastSeq (the newest), or null. */
    private Chunk newest;
    /** Sentence clock minus socket clock, seconds. */
    private double offset;
    /** Socket clock: sentences starting at or before it (within the tolerance) belong to forgotten segments. */
    private double horizon = Double.NEGATIVE_INFINITY;
    private Double firstLiveStart;
    private long corrections;
    private long forcedFinal;
    private long adoptions;

    public ChunkTracker(EmitMode mode, long finalizeAfterMillis) {
        this(mode, finalizeAfterMillis, DEFAULT_MAX_TRACKED);
    }

    public ChunkTracker(EmitMode mode, long finalizeAfterMillis, int maxTracked) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (finalizeAfterMillis < 0) {
            throw new IllegalArgumentException("finalizeAfter must not be negative, was " + finalizeAfterMillis);
        }
        if (maxTracked <= 0) {
            throw new IllegalArgumentException("maxTracked must be positive, was " + maxTracked);
        }
        this.finalizeAfterMillis = finalizeAfterMillis;
        this.maxTracked = maxTracked;
    }

    /**
     * One arrival. In {@code final} mode, first emits the chunks that were final by {@code now} (as {@link #tick}
     * would), then handles the arrival, then emits the chunks that the arrival made final (a new chunk is the
     * "newer chunk" that older, quiet ones waited for).
     *
     * @return what to route, in order (often empty in {@code final} mode)
     */
    public List<Emission> accept(TranscriptionEvent event, long now) {
        Objects.requireNonNull(event, "event");
        String id = event.chunkId();
        if (!aliases.isEmpty() || !unadopted.isEmpty()) {
            String key = resolve(event);
            if (!key.equals(id)) {
                id = key;
                event = new TranscriptionEvent(event.transcriptId(), key, event.text(), event.speakerName(),
                        event.startTime(), event.endTime());
            }
        }
        if (firstLiveStart == null && event.startTime() != null) {
            firstLiveStart = event.startTime();
        }
        if (mode != EmitMode.FINAL) {
            Chunk c = done.get(id);
            if (c == null) {
                remember(id, newChunk(id, event, now));
                return List.of(new Emission(event, 1, false, false));
            }
            c.revisions++;
            c.lastArrival = now;
            boolean repeat = c.event.text().equals(event.text());
            c.event = event;
            c.fromBackfill = false;
            if (mode == EmitMode.CHANGES && repeat) {
                return List.of();
            }
            return List.of(new Emission(event, c.revisions, false, false));
        }

        List<Emission> out = new ArrayList<>(sweep(now));
        Chunk c = open.get(id);
        if (c != null) {
            c.revisions++;
            c.event = event;
            c.lastArrival = now;
            c.fromBackfill = false;
        } else if ((c = done.get(id)) != null) {
            c.revisions++;
            c.lastArrival = now;
            if (!c.event.text().equals(event.text())) {
                c.event = event;
                c.fromBackfill = false;
                corrections++;
                out.add(new Emission(event, c.revisions, true, true));
            }
        } else {
            open.put(id, newChunk(id, event, now));
            if (open.size() > maxTracked) {
                Iterator<Map.Entry<String, Chunk>> it = open.entrySet().iterator();
                Map.Entry<String, Chunk> eldest = it.next();
                it.remove();
                forcedFinal++;
                out.add(finish(eldest.getKey(), eldest.getValue()));
            }
        }
        // a new chunk may have made quiet older ones final at this very moment
        out.addAll(sweep(now));
        return out;
    }

    /** The chunks that are final by {@code now}, in first-seen order (always empty outside {@code final} mode). */
    public List<Emission> tick(long now) {
        return mode == EmitMode.FINAL ? sweep(now) : List.of();
    }

    /** Every open chunk, emitted final now, in first-seen order: the session ended or the consumer stops. */
    public List<Emission> flushAll() {
        if (open.isEmpty()) {
            return List.of();
        }
        List<Emission> out = new ArrayList<>(open.size());
        Iterator<Map.Entry<String, Chunk>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Chunk> e = it.next();
            it.remove();
            out.add(finish(e.getKey(), e.getValue()));
        }
        return out;
    }

    private List<Emission> sweep(long now) {
        List<Emission> out = null;
        Iterator<Map.Entry<String, Chunk>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Chunk> e = it.next();
            Chunk c = e.getValue();
            boolean newerStarted = c.seq < lastSeq;
            if (!newerStarted || now - c.lastArrival < finalizeAfterMillis) {
                break; // keep first-seen order: a younger chunk waits for this one
            }
            it.remove();
            if (out == null) {
                out = new ArrayList<>();
            }
            out.add(finish(e.getKey(), c));
        }
        return out == null ? List.of() : out;
    }

    private Chunk newChunk(String id, TranscriptionEvent event, long now) {
        Chunk c = new Chunk(id, ++lastSeq, event, now);
        newest = c;
        return c;
    }

    private Emission finish(String id, Chunk c) {
        remember(id, c);
        return new Emission(c.event, c.revisions, true, false, c.fromBackfill);
    }

    private void remember(String id, Chunk c) {
        done.put(id, c);
        if (done.size() > maxTracked) {
            Iterator<Chunk> it = done.values().iterator();
            Chunk forgotten = it.next();
            it.remove();
            if (forgotten.start() != null) {
                horizon = Math.max(horizon, forgotten.start());
            }
            unadopted.remove(forgotten.key);
        }
    }

    // ------------------------------------------------------------------------------------ backfill

    /** The key a live event belongs to: its chunk id, the backfilled segment it continues, or a new adoption. */
    private String resolve(TranscriptionEvent event) {
        String id = event.chunkId();
        String alias = aliases.get(id);
        if (alias != null) {
            return alias;
        }
        if (unadopted.isEmpty() || event.startTime() == null || open.containsKey(id) || done.containsKey(id)) {
            return id;
        }
        double at = event.startTime();
        Chunk best = null;
        double bestDelta = Double.MAX_VALUE;
        Iterator<Chunk> it = unadopted.values().iterator();
        while (it.hasNext()) {
            Chunk k = it.next();
            double ks = k.start();
            if (ks < at - ADOPT_WINDOW) {
                it.remove(); // too old to be continued by anything still to come
                continue;
            }
            double d = Math.abs(ks - at);
            if (d <= SentenceMatching.TOLERANCE && d < bestDelta
                    && SentenceMatching.compatibleSpeakers(event.speakerName(), k.event.speakerName())) {
                best = k;
                bestDelta = d;
            }
        }
        if (best == null) {
            return id;
        }
        unadopted.remove(best.key);
        aliases.put(id, best.key);
        if (aliases.size() > maxTracked) {
            Iterator<String> a = aliases.keySet().iterator();
            a.next();
            a.remove();
        }
        adoptions++;
        return best.key;
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

    /** A segment the backfill compares with: a remembered chunk, or an upcoming live event. */
    private static final class Known {
        final Chunk chunk;
        final TranscriptionEvent upcoming;
        final int order;
        boolean claimed;

        Known(Chunk chunk, TranscriptionEvent upcoming, int order) {
            this.chunk = chunk;
            this.upcoming = upcoming;
            this.order = order;
        }

        TranscriptionEvent event() {
            return chunk != null ? chunk.event : upcoming;
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

    /**
     * Merges sentences fetched from GraphQL (see "Backfill" above): emits the segments the socket missed, and the
     * later text of segments received only in part. In {@code final} mode, also emits what became final.
     *
     * @return what to route, in order
     */
    public List<Emission> acceptBackfill(Backfill backfill, long now) {
        Objects.requireNonNull(backfill, "backfill");
        // the sentences that can be placed in time, by start
        List<Sent> sents = new ArrayList<>();
        for (TranscriptSentence s : backfill.sentences()) {
            if (s != null && s.startTime() != null && Double.isFinite(s.startTime())
                    && !SentenceMatching.normalize(s.text()).isEmpty()) {
                sents.add(new Sent(s, sents.size()));
            }
        }
        if (sents.isEmpty()) {
            return List.of();
        }
        sents.sort(Comparator.comparingDouble((Sent x) -> x.s.startTime()).thenComparingInt(x -> x.order));
        Map<String, Integer> ids = new HashMap<>();
        for (Sent x : sents) {
            String base = SentenceMatching.backfillId(x.s);
            int n = ids.merge(base, 1, Integer::sum);
            x.id = n == 1 ? base : base + "-" + n;
        }

        // what is known: remembered chunks, then the live events waiting behind this backfill
        List<Known> known = new ArrayList<>();
        for (Chunk c : open.values()) {
            if (c.start() != null) {
                known.add(new Known(c, null, known.size()));
            }
        }
        for (Chunk c : done.values()) {
            if (c.start() != null) {
                known.add(new Known(c, null, known.size()));
            }
        }
        Map<String, TranscriptionEvent> upcoming = new LinkedHashMap<>();
        for (TranscriptionEvent e : backfill.upcoming()) {
            String id = e.chunkId();
            if (!aliases.containsKey(id) && !open.containsKey(id) && !done.containsKey(id)) {
                upcoming.put(id, e);
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

        List<Emission> out = new ArrayList<>();
        List<Chunk> created = new ArrayList<>();
        for (Sent x : sents) {
            Known k = x.match;
            if (k != null) {
                Chunk c = k.chunk;
                if (c == null || SentenceMatching.sameText(x.s, c.event.text())
                        || c.lastArrival < backfill.settledBefore() || c.lastArrival >= backfill.requestedAt()
                        || notOneToOne(x, k, sents, known)) {
                    continue;
                }
                update(c, x, quietSince(now, latestEnd, x.end), out);
            } else if (x.start >= backfill.notBefore() - SentenceMatching.TOLERANCE
                       && x.start > horizon + SentenceMatching.TOLERANCE && !covered(x, known)) {
                created.add(create(backfill.transcriptId(), x, quietSince(now, latestEnd, x.end), out));
            }
        }
        if (mode == EmitMode.FINAL) {
            place(created, out);
            out.addAll(sweep(now));
        }
        return out;
    }

    /** The median start difference of sentences and live segments with the same text (see "Offset" above). */
    private double estimateOffset(List<Sent> sents, List<Known> known) {
        Map<String, List<Known>> byText = new HashMap<>();
        for (Known k : known) {
            if (k.chunk != null && k.chunk.fromBackfill) {
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
            if (k.chunk != null && k.chunk.key.startsWith(SentenceMatching.ID_PREFIX)) {
                byKey.put(k.chunk.key, k);
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

    /** A segment received in part gets the sentence's text, as a revision from the backfill. */
    private void update(Chunk c, Sent x, long quietSince, List<Emission> out) {
        TranscriptionEvent old = c.event;
        TranscriptionEvent e = new TranscriptionEvent(old.transcriptId(), c.key, x.s.text(),
                old.speakerName() != null ? old.speakerName() : x.s.speakerName(), old.startTime(),
                Math.max(x.end, old.startTime()));
        c.revisions++;
        c.event = e;
        c.fromBackfill = true;
        c.lastArrival = quietSince;
        if (mode != EmitMode.FINAL) {
            out.add(new Emission(e, c.revisions, false, false, true));
        } else if (!open.containsKey(c.key)) {
            corrections++;
            out.add(new Emission(e, c.revisions, true, true, true));
        }
    }

    /** A segment the socket missed. */
    private Chunk create(String transcriptId, Sent x, long quietSince, List<Emission> out) {
        TranscriptionEvent e = new TranscriptionEvent(transcriptId, x.id, x.s.text(), x.s.speakerName(), x.start,
                x.s.endTime() != null ? x.end : null);
        Chunk c = new Chunk(x.id, 0, e, quietSince);
        c.fromBackfill = true;
        unadopted.put(c.key, c);
        if (unadopted.size() > maxTracked) {
            Iterator<String> it = unadopted.keySet().iterator();
            it.next();
            it.remove();
        }
        if (mode != EmitMode.FINAL) {
            c.seq = ++lastSeq;
            remember(c.key, c);
            out.add(new Emission(e, 1, false, false, true));
        }
        return c;
    }

    /**
     * {@code final}: the new segments join the open ones by start time. They are newer than the newest chunk when
     * the last of them starts after it (then that one is the newest), else all count as older than it.
     */
    private void place(List<Chunk> created, List<Emission> out) {
        if (created.isEmpty()) {
            return;
        }
        Chunk last = created.get(created.size() - 1);
        boolean newer = newest == null || newest.start() == null || last.start() > newest.start();
        for (Chunk c : created) {
            c.seq = newer ? ++lastSeq : lastSeq - 1;
        }
        if (newer) {
            newest = last;
        }
        List<Chunk> existing = new ArrayList<>(open.values());
        List<Chunk> merged = new ArrayList<>(existing.size() + created.size());
        int i = 0;
        for (Chunk c : created) {
            while (i < existing.size() && !(existing.get(i).start() != null && existing.get(i).start() > c.start())) {
                merged.add(existing.get(i++));
            }
            merged.add(c);
        }
        while (i < existing.size()) {
            merged.add(existing.get(i++));
        }
        open.clear();
        for (Chunk c : merged) {
            open.put(c.key, c);
        }
        while (open.size() > maxTracked) {
            Iterator<Map.Entry<String, Chunk>> it = open.entrySet().iterator();
            Map.Entry<String, Chunk> eldest = it.next();
            it.remove();
            forcedFinal++;
            out.add(finish(eldest.getKey(), eldest.getValue()));
        }
    }

    public EmitMode mode() {
        return mode;
    }

    public long finalizeAfterMillis() {
        return finalizeAfterMillis;
    }

    public int maxTracked() {
        return maxTracked;
    }

    /** Chunks not yet emitted final ({@code final} mode). */
    public int openChunks() {
        return open.size();
    }

    /** Chunks held in memory, open and remembered; never more than {@code 2 * maxTracked}. */
    public int retainedSize() {
        return open.size() + done.size();
    }

    /** Corrections emitted so far. */
    public long corrections() {
        return corrections;
    }

    /** Chunks emitted final early because more than {@code maxTracked} were open. */
    public long forcedFinal() {
        return forcedFinal;
    }

    /** The start time of the first live chunk accepted (socket clock, seconds), or null. */
    public Double firstLiveStart() {
        return firstLiveStart;
    }

    /** The last estimate of the sentences' clock minus the socket's (seconds); 0 until a backfill found anchors. */
    public double offset() {
        return offset;
    }

    /** Live chunk ids taken as the continuation of a backfilled segment so far. */
    public long adoptions() {
        return adoptions;
    }
}
