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
import io.github.camelfireflies.internal.backfill.Continuations;
import io.github.camelfireflies.internal.backfill.SentenceMerge;
import java.util.ArrayList;
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
 * <h2>Backfill</h2>
 * {@link #acceptBackfill} merges the sentences of GraphQL {@code transcript(id)} into the same bookkeeping: the merge
 * itself (offset, matching, what a sentence changes) is {@link SentenceMerge}'s, which sees the chunks only through
 * {@link SentenceMerge.Segments}; this class applies its decisions in the emit mode. A segment the socket received in
 * part gets the sentence's text as a revision from the backfill (in {@code final}: while open, its new text; once
 * emitted, a correction); a segment the socket missed is emitted once (outside {@code final}) or, in {@code final},
 * takes its place among the open ones by start time, quiet since its end measured back from the latest end among the
 * sentences, so the finality rule applies to it as to any segment. A live chunk id that continues a backfilled segment
 * keeps that segment's chunk id ({@link Continuations}).
 */
public final class ChunkTracker {

    /** How many finished (or, outside {@code final}, seen) chunks are remembered by default. */
    public static final int DEFAULT_MAX_TRACKED = 1000;

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

    private final EmitMode mode;
    private final long finalizeAfterMillis;
    private final int maxTracked;
    /** final mode: chunks not yet emitted final, in first-seen order. */
    private final LinkedHashMap<String, TrackedChunk> open = new LinkedHashMap<>();
    /** Chunks emitted final (final mode) or seen (other modes), oldest first; at most maxTracked. */
    private final LinkedHashMap<String, TrackedChunk> done = new LinkedHashMap<>();
    /** Live chunk ids that continue a backfilled segment. */
    private final Continuations continuations;
    private final SentenceMerge merge = new SentenceMerge();
    private long lastSeq;
    /** The chunk that got lastSeq (the newest), or null. */
    private TrackedChunk newest;
    /** Socket clock: sentences starting at or before it (within the tolerance) belong to forgotten segments. */
    private double horizon = Double.NEGATIVE_INFINITY;
    private Double firstLiveStart;
    private long corrections;
    private long forcedFinal;

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
        this.continuations = new Continuations(maxTracked);
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
        if (!continuations.isEmpty()) {
            String key = continuations.resolve(event, open.containsKey(id) || done.containsKey(id));
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
            TrackedChunk c = done.get(id);
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
        TrackedChunk c = open.get(id);
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
                Iterator<Map.Entry<String, TrackedChunk>> it = open.entrySet().iterator();
                Map.Entry<String, TrackedChunk> eldest = it.next();
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
        Iterator<Map.Entry<String, TrackedChunk>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, TrackedChunk> e = it.next();
            it.remove();
            out.add(finish(e.getKey(), e.getValue()));
        }
        return out;
    }

    private List<Emission> sweep(long now) {
        List<Emission> out = null;
        Iterator<Map.Entry<String, TrackedChunk>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, TrackedChunk> e = it.next();
            TrackedChunk c = e.getValue();
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

    private TrackedChunk newChunk(String id, TranscriptionEvent event, long now) {
        TrackedChunk c = new TrackedChunk(id, ++lastSeq, event, now);
        newest = c;
        return c;
    }

    private Emission finish(String id, TrackedChunk c) {
        remember(id, c);
        return new Emission(c.event, c.revisions, true, false, c.fromBackfill);
    }

    private void remember(String id, TrackedChunk c) {
        done.put(id, c);
        if (done.size() > maxTracked) {
            Iterator<TrackedChunk> it = done.values().iterator();
            TrackedChunk forgotten = it.next();
            it.remove();
            if (forgotten.start() != null) {
                horizon = Math.max(horizon, forgotten.start());
            }
            continuations.forgotten(forgotten.key);
        }
    }

    /**
     * Merges sentences fetched from GraphQL (see {@link SentenceMerge}): emits the segments the socket missed, and the
     * later text of segments received only in part. In {@code final} mode, also emits what became final.
     *
     * @return what to route, in order
     */
    public List<Emission> acceptBackfill(SentenceMerge.Backfill backfill, long now) {
        List<Emission> out = new ArrayList<>();
        List<TrackedChunk> created = new ArrayList<>();
        if (!merge.merge(backfill, now, new MergeTarget(out, created))) {
            return List.of();
        }
        if (mode == EmitMode.FINAL) {
            place(created, out);
            out.addAll(sweep(now));
        }
        return out;
    }

    /** The chunks as the merge sees them, and where its decisions land. */
    private final class MergeTarget implements SentenceMerge.Segments {
        private final List<Emission> out;
        private final List<TrackedChunk> created;

        MergeTarget(List<Emission> out, List<TrackedChunk> created) {
            this.out = out;
            this.created = created;
        }

        @Override
        public List<TrackedChunk> remembered() {
            List<TrackedChunk> all = new ArrayList<>(open.size() + done.size());
            all.addAll(open.values());
            all.addAll(done.values());
            return all;
        }

        @Override
        public boolean knows(String chunkId) {
            return continuations.aliased(chunkId) || open.containsKey(chunkId) || done.containsKey(chunkId);
        }

        @Override
        public double horizon() {
            return horizon;
        }

        @Override
        public void revise(SentenceMerge.Segment segment, TranscriptionEvent text, long quietSince) {
            update((TrackedChunk) segment, text, quietSince, out);
        }

        @Override
        public void missed(TranscriptionEvent segment, long quietSince) {
            created.add(create(segment, quietSince, out));
        }
    }

    /** A segment received in part gets the sentence's text, as a revision from the backfill. */
    private void update(TrackedChunk c, TranscriptionEvent e, long quietSince, List<Emission> out) {
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
    private TrackedChunk create(TranscriptionEvent e, long quietSince, List<Emission> out) {
        TrackedChunk c = new TrackedChunk(e.chunkId(), 0, e, quietSince);
        c.fromBackfill = true;
        continuations.backfilled(c);
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
    private void place(List<TrackedChunk> created, List<Emission> out) {
        if (created.isEmpty()) {
            return;
        }
        TrackedChunk last = created.get(created.size() - 1);
        boolean newer = newest == null || newest.start() == null || last.start() > newest.start();
        for (TrackedChunk c : created) {
            c.seq = newer ? ++lastSeq : lastSeq - 1;
        }
        if (newer) {
            newest = last;
        }
        List<TrackedChunk> existing = new ArrayList<>(open.values());
        List<TrackedChunk> merged = new ArrayList<>(existing.size() + created.size());
        int i = 0;
        for (TrackedChunk c : created) {
            while (i < existing.size() && !(existing.get(i).start() != null && existing.get(i).start() > c.start())) {
                merged.add(existing.get(i++));
            }
            merged.add(c);
        }
        while (i < existing.size()) {
            merged.add(existing.get(i++));
        }
        open.clear();
        for (TrackedChunk c : merged) {
            open.put(c.key, c);
        }
        while (open.size() > maxTracked) {
            Iterator<Map.Entry<String, TrackedChunk>> it = open.entrySet().iterator();
            Map.Entry<String, TrackedChunk> eldest = it.next();
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
        return merge.offset();
    }

    /** Live chunk ids taken as the continuation of a backfilled segment so far. */
    public long adoptions() {
        return continuations.adoptions();
    }
}
