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
package io.github.camelfireflies.metrics;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import io.github.camelfireflies.internal.stream.StreamStats;

/**
 * Counts over a changing set of streams that never go down: a stream that closes (a meeting that ended) or starts
 * again from zero (a meeting followed again) keeps what it had counted. Read whenever a meter is read; thread-safe.
 */
final class StreamTotals {

    /** The counts of one stream, or of all. */
    record Counts(long received, long delivered, long dropped, long backfilled, long reconnects) {

        static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

        static Counts of(StreamStats s) {
            return new Counts(s.eventsReceived(), s.delivered(), s.dropped(), s.backfilled(), s.reconnects());
        }

        Counts plus(Counts o) {
            return new Counts(received + o.received, delivered + o.delivered, dropped + o.dropped,
                    backfilled + o.backfilled, reconnects + o.reconnects);
        }

        boolean below(Counts o) {
            return received < o.received || delivered < o.delivered || dropped < o.dropped || backfilled < o.backfilled
                   || reconnects < o.reconnects;
        }
    }

    private final Map<String, Counts> lastSeen = new HashMap<>();
    private Counts retired = Counts.ZERO;

    /** The totals, given the streams now. */
    synchronized Counts update(Collection<StreamStats> streams) {
        Map<String, Counts> now = new HashMap<>();
        for (StreamStats s : streams) {
            now.merge(s.transcriptId(), Counts.of(s), Counts::plus);
        }
        for (Iterator<Map.Entry<String, Counts>> it = lastSeen.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Counts> e = it.next();
            Counts current = now.get(e.getKey());
            if (current == null || current.below(e.getValue())) {
                retired = retired.plus(e.getValue()); // closed, or started again from zero
                if (current == null) {
                    it.remove();
                }
            }
        }
        lastSeen.putAll(now);
        Counts total = retired;
        for (Counts c : lastSeen.values()) {
            total = total.plus(c);
        }
        return total;
    }
}
