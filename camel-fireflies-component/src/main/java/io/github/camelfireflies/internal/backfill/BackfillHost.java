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

import io.github.camelfireflies.api.FirefliesException;
import io.github.camelfireflies.api.TranscriptionEvent;

/** What a {@link Backfiller} needs from its stream; called on the lane, except {@link #offer}. */
public interface BackfillHost {

    /** Offers an item into the stream's lane (any thread); false when it was refused. */
    boolean offer(Object item);

    /** Handles an item that waited behind the fetch, as if it arrived now. */
    void process(Object item);

    /** The live transcription an item carries, or null: those of the held items are the merge's upcoming. */
    TranscriptionEvent transcription(Object item);

    /** The start time of the first live segment accepted (socket clock, seconds), or null. */
    Double firstLiveStart();

    /**
     * Merges fetched sentences into the stream's segments ({@link SentenceMerge}, through the emit mode) and
     * routes what that emitted; when it emitted anything and {@code gapMillis >= 0}, the first emission of the
     * healed gap carries the gap (CamelFirefliesReconnected) and no later event carries it again.
     *
     * @return how many of the emitted events took their text from the sentences
     */
    long merge(SentenceMerge.Backfill backfill, long gapMillis);

    /** The connection is gone again: a gap marked by {@link #merge} no longer stands for the next reconnect. */
    void gapOpened();

    /** A failure the stream survives. */
    void report(FirefliesException error);
}
