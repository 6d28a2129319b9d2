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
package io.github.camelfireflies.internal.graphql;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Where the next poll of {@code transcripts} starts ({@code fromDate}), so that no finished transcript is missed while
 * few are listed twice. Camel-free; used by one poller at a time.
 * <p>
 * The rule: {@code fromDate = min(max(floor, newest − overlap), oldest open)}, where
 * <ul>
 * <li>{@code floor} is where listing started: the consumer's start minus {@code lookback} (so transcripts that
 * finished while the application was down, up to {@code lookback} back, are listed after a restart);</li>
 * <li>{@code newest} is the newest meeting date among the transcripts handled (emitted now or before) in a poll that
 * listed every page, and {@code overlap} is how long after its date a transcript may first be listed (the meeting's
 * length, then its processing): a transcript listed late is still within the window;</li>
 * <li>{@code oldest open} is the oldest date of a transcript listed but not finished yet, or whose exchange failed:
 * the window never moves past one until it is handled or no longer listed.</li>
 * </ul>
 * Repeats that the window lists again are not emitted twice: that is the idempotent repository's part.
 */
public final class TranscriptWatermark {

    /** How many open transcripts are remembered at most (the oldest are dropped past it). */
    static final int MAX_OPEN = 10_000;

    private final long floor;
    private final long overlapMillis;
    private long newest = Long.MIN_VALUE;
    private final Map<String, Long> open = new HashMap<>();

    /**
     * @param floor         the earliest date listed, epoch milliseconds
     * @param overlapMillis how far behind the newest handled date each poll lists again
     */
    public TranscriptWatermark(long floor, long overlapMillis) {
        if (overlapMillis < 0) {
            throw new IllegalArgumentException("overlap must not be negative, was " + overlapMillis);
        }
        this.floor = floor;
        this.overlapMillis = overlapMillis;
    }

    /** The {@code fromDate} of the next poll, epoch milliseconds. */
    public long fromDate() {
        long from = newest == Long.MIN_VALUE ? floor : Math.max(floor, newest - overlapMillis);
        for (long d : open.values()) {
            from = Math.min(from, d);
        }
        return from;
    }

    /**
     * The outcome of a poll.
     *
     * @param complete     whether every page was listed (else only the open ones learned are kept; the window stays)
     * @param listed       the ids of every transcript listed
     * @param handled      the dates of the transcripts handled (emitted, or emitted before); null dates left out
     * @param stillOpen    id → date of the transcripts listed but not finished, or whose exchange failed
     * @param listedFrom   the {@code fromDate} the poll used
     */
    public void polled(boolean complete, Set<String> listed, Collection<Long> handled, Map<String, Long> stillOpen,
                       long listedFrom) {
        if (complete) {
            // an open one that a complete listing from before its date no longer shows was deleted: let it go
            for (Iterator<Map.Entry<String, Long>> it = open.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, Long> e = it.next();
                if (e.getValue() >= listedFrom && !listed.contains(e.getKey())) {
                    it.remove();
                }
            }
            for (Long d : handled) {
                if (d != null && d > newest) {
                    newest = d;
                }
            }
        }
        for (String id : listed) {
            if (!stillOpen.containsKey(id)) {
                open.remove(id);
            }
        }
        open.putAll(stillOpen);
        while (open.size() > MAX_OPEN) {
            String oldest = null;
            long date = Long.MAX_VALUE;
            for (Map.Entry<String, Long> e : open.entrySet()) {
                if (e.getValue() < date) {
                    date = e.getValue();
                    oldest = e.getKey();
                }
            }
            open.remove(oldest);
        }
    }

    /** The newest date handled, or null before any. */
    public Long newest() {
        return newest == Long.MIN_VALUE ? null : newest;
    }

    /** How many transcripts hold the window back now. */
    public int openCount() {
        return open.size();
    }
}
