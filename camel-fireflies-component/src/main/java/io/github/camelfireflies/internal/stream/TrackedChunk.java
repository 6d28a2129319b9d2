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

import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.internal.backfill.SentenceMerge;

/** One chunk id's bookkeeping in a {@link ChunkTracker}; the tracker's lane is its only thread. */
final class TrackedChunk implements SentenceMerge.Segment {
    final String key;
    long seq;
    /** The latest text, always in the socket's clock; its chunk id is {@link #key}. */
    TranscriptionEvent event;
    int revisions;
    long lastArrival;
    /** The latest text came from a backfill. */
    boolean fromBackfill;

    TrackedChunk(String key, long seq, TranscriptionEvent event, long now) {
        this.key = key;
        this.seq = seq;
        this.event = event;
        this.revisions = 1;
        this.lastArrival = now;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public TranscriptionEvent event() {
        return event;
    }

    @Override
    public long lastArrival() {
        return lastArrival;
    }

    @Override
    public boolean fromBackfill() {
        return fromBackfill;
    }

    Double start() {
        return event.startTime();
    }

    double end() {
        return event.endTime() != null ? event.endTime() : event.startTime();
    }
}
