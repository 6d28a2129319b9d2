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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The merge's decisions as they reach its narrow interface, without an emit mode: a fake {@link SentenceMerge.Segments}
 * records what it is told. (How each mode applies them: ChunkTrackerBackfillTest.)
 */
class SentenceMergeTest {

    private static final double ALL = Double.NEGATIVE_INFINITY;

    private record Seg(String key, TranscriptionEvent event, long lastArrival, boolean fromBackfill)
            implements SentenceMerge.Segment {
    }

    private static final class Fake implements SentenceMerge.Segments {
        final List<Seg> remembered = new ArrayList<>();
        final List<String> told = new ArrayList<>();

        @Override
        public List<Seg> remembered() {
            return remembered;
        }

        @Override
        public boolean knows(String chunkId) {
            return remembered.stream().anyMatch(s -> s.key().equals(chunkId));
        }

        @Override
        public double horizon() {
            return Double.NEGATIVE_INFINITY;
        }

        @Override
        public void revise(SentenceMerge.Segment segment, TranscriptionEvent text, long quietSince) {
            told.add("revise " + segment.key() + ":" + text.text() + " [" + text.startTime() + "," + text.endTime()
                     + "] quiet since " + quietSince);
        }

        @Override
        public void missed(TranscriptionEvent segment, long quietSince) {
            told.add("missed " + segment.chunkId() + ":" + segment.text() + " quiet since " + quietSince);
        }
    }

    private static TranscriptSentence sent(String text, String speaker, double start, double end) {
        return new TranscriptSentence(null, text, text, speaker, null, start, end);
    }

    private static SentenceMerge.Backfill bf(TranscriptSentence... sentences) {
        return new SentenceMerge.Backfill("t", List.of(sentences), List.of(), ALL, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Test
    void aSegmentReceivedInPartIsRevisedAndAMissedOneIsReportedQuietSinceItsEnd() {
        Fake fake = new Fake();
        fake.remembered.add(new Seg("a", new TranscriptionEvent("t", "a", "so the", "Alice", 0.0, 1.0), 100, false));
        SentenceMerge merge = new SentenceMerge();

        assertThat(merge.merge(bf(sent("so the plan is", "Alice", 0.1, 2.0), sent("missed", "Bob", 3.0, 4.0)), 10_000,
                fake)).isTrue();

        // the latest end is 4.0 s: the first sentence ended 2 s before it, the second at it
        assertThat(fake.told).containsExactly("revise a:so the plan is [0.0,2.0] quiet since 8000",
                "missed backfill-3000-bob:missed quiet since 10000");
        assertThat(merge.offset()).isZero();
    }

    @Test
    void aSentenceThatSaysWhatTheSegmentSaysChangesNothing() {
        Fake fake = new Fake();
        fake.remembered.add(new Seg("a", new TranscriptionEvent("t", "a", "all good", "Alice", 0.0, 1.0), 100, false));
        assertThat(new SentenceMerge().merge(bf(sent(" all  good", "Alice", 0.0, 1.0)), 10, fake)).isTrue();
        assertThat(fake.told).isEmpty();
    }

    @Test
    void withoutASentenceThatCanBePlacedNothingIsLookedAt() {
        Fake fake = new Fake();
        assertThat(new SentenceMerge().merge(bf(new TranscriptSentence(0, "no time", null, "Ann", null, null, null),
                sent("  ", "Ann", 1, 2)), 0, fake)).isFalse();
        assertThat(fake.told).isEmpty();
    }

    /** The one direction: the stream uses the backfill, the backfill knows only cf.api and what it owns. */
    @Test
    void theBackfillPackageImportsNothingAboveIt() throws IOException {
        Path dir = Path.of("src/main/java/io/github/camelfireflies/internal/backfill");
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("import ") && (line.contains("org.apache.camel")
                            || line.startsWith("import io.github.camelfireflies.")
                               && !line.startsWith("import io.github.camelfireflies.api.")
                               && !line.startsWith("import io.github.camelfireflies.internal.backfill."))) {
                        offending.add(f.getFileName() + ": " + line);
                    }
                }
            }
        }
        assertThat(dir).isDirectory();
        assertThat(offending).isEmpty();
    }
}
