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

import io.github.camelfireflies.api.TranscriptionEvent;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Which live chunk ids continue a segment first known from a backfill (see "Continued live" in {@link SentenceMerge}):
 * a chunk id first seen after a backfill whose start is within {@value SentenceMatching#TOLERANCE} s of a backfilled
 * segment of a compatible speaker that no live chunk continued yet, started at most {@value #ADOPT_WINDOW} s before
 * it, continues that segment, and its events keep the backfill chunk id.
 * <p>
 * Bounded: at most {@code maxTracked} aliases and {@code maxTracked} segments waiting to be continued, the oldest
 * forgotten first. Not thread-safe: it belongs to one tracker.
 */
public final class Continuations {

    /** A live chunk may continue a backfilled segment that started at most this many seconds before it. */
    public static final double ADOPT_WINDOW = 120.0;

    private final int maxTracked;
    /** Live chunk ids that continue a backfilled segment, to that segment's key. */
    private final LinkedHashMap<String, String> aliases = new LinkedHashMap<>();
    /** Backfilled segments no live chunk continued yet, by key, in start order per backfill. */
    private final LinkedHashMap<String, SentenceMerge.Segment> unadopted = new LinkedHashMap<>();
    private long adoptions;

    public Continuations(int maxTracked) {
        if (maxTracked <= 0) {
            throw new IllegalArgumentException("maxTracked must be positive, was " + maxTracked);
        }
        this.maxTracked = maxTracked;
    }

    /** Whether there is nothing to resolve: no alias, no segment waiting to be continued. */
    public boolean isEmpty() {
        return aliases.isEmpty() && unadopted.isEmpty();
    }

    /** Whether a live chunk id was taken as the continuation of a backfilled segment. */
    public boolean aliased(String chunkId) {
        return aliases.containsKey(chunkId);
    }

    /** A segment the backfill created (read live: its start and speaker when a live chunk arrives). */
    public void backfilled(SentenceMerge.Segment segment) {
        unadopted.put(segment.key(), segment);
        if (unadopted.size() > maxTracked) {
            Iterator<String> it = unadopted.keySet().iterator();
            it.next();
            it.remove();
        }
    }

    /** The tracker forgot a segment: it can no longer be continued. */
    public void forgotten(String key) {
        if (!unadopted.isEmpty()) { // the usual case after the first minutes: nothing waits, and the key stays untouched
            unadopted.remove(key);
        }
    }

    /**
     * The key a live event belongs to: its chunk id, the backfilled segment it continues, or a new adoption.
     *
     * @param known whether the event's chunk id is a segment of its own already (never adopted then)
     */
    public String resolve(TranscriptionEvent event, boolean known) {
        String id = event.chunkId();
        String alias = aliases.get(id);
        if (alias != null) {
            return alias;
        }
        if (unadopted.isEmpty() || event.startTime() == null || known) {
            return id;
        }
        double at = event.startTime();
        SentenceMerge.Segment best = null;
        double bestDelta = Double.MAX_VALUE;
        Iterator<SentenceMerge.Segment> it = unadopted.values().iterator();
        while (it.hasNext()) {
            SentenceMerge.Segment k = it.next();
            double ks = k.event().startTime();
            if (ks < at - ADOPT_WINDOW) {
                it.remove(); // too old to be continued by anything still to come
                continue;
            }
            double d = Math.abs(ks - at);
            if (d <= SentenceMatching.TOLERANCE && d < bestDelta
                    && SentenceMatching.compatibleSpeakers(event.speakerName(), k.event().speakerName())) {
                best = k;
                bestDelta = d;
            }
        }
        if (best == null) {
            return id;
        }
        unadopted.remove(best.key());
        aliases.put(id, best.key());
        if (aliases.size() > maxTracked) {
            Iterator<String> a = aliases.keySet().iterator();
            a.next();
            a.remove();
        }
        adoptions++;
        return best.key();
    }

    /** Live chunk ids taken as the continuation of a backfilled segment so far. */
    public long adoptions() {
        return adoptions;
    }
}
