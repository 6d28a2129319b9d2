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
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The small matching rules, as pure functions. */
class SentenceMatchingTest {

    private static TranscriptSentence named(String speaker, Integer speakerId, double start) {
        return new TranscriptSentence(0, "x", null, speaker, speakerId, start, start + 1);
    }

    @Test
    void backfillIdsAreStableAndNameTheSpeaker() {
        assertThat(SentenceMatching.backfillId(named("Chen  Wei", 3, 1.2345))).isEqualTo("backfill-1235-chen_wei");
        assertThat(SentenceMatching.backfillId(named(" ", 7, 0.0))).isEqualTo("backfill-0-speaker7");
        assertThat(SentenceMatching.backfillId(named(null, null, 61.0))).isEqualTo("backfill-61000-unknown");
        assertThat(SentenceMatching.backfillId(named("José Núñez (guest)", null, 2.0)))
                .isEqualTo("backfill-2000-josé_núñez_guest");
        assertThat(SentenceMatching.backfillId(named("A very long speaker name indeed here", null, 2.0)))
                .isEqualTo("backfill-2000-a_very_long_speaker_name");
    }

    @Test
    void speakersAreCompatibleWhenNamedAlikeOrWhenOneHasNoName() {
        assertThat(SentenceMatching.compatibleSpeakers(" alice ", "ALICE")).isTrue();
        assertThat(SentenceMatching.compatibleSpeakers(null, "Bob")).isTrue();
        assertThat(SentenceMatching.compatibleSpeakers("Alice", " ")).isTrue();
        assertThat(SentenceMatching.compatibleSpeakers("Alice", "Bob")).isFalse();
    }

    @Test
    void aSentenceSaysWhatASegmentSaysByTextOrRawTextWhitespaceAside() {
        TranscriptSentence s = new TranscriptSentence(0, "Hello, world.", "hello world", "Ann", 1, 0.0, 1.0);
        assertThat(SentenceMatching.sameText(s, "  Hello,\tworld. ")).isTrue();
        assertThat(SentenceMatching.sameText(s, "hello  world")).isTrue();
        assertThat(SentenceMatching.sameText(s, "Hello world")).isFalse();
    }

    @Test
    void theOffsetIsTheMedianOfTheAnchorsOrTheFallback() {
        assertThat(SentenceMatching.medianOffset(List.of(), 1.5)).isEqualTo(1.5);
        assertThat(SentenceMatching.medianOffset(List.of(new SentenceMatching.Anchor(10, 7),
                new SentenceMatching.Anchor(20, 18), new SentenceMatching.Anchor(30, 20)), 0)).isEqualTo(3.0);
        assertThat(SentenceMatching.medianOffset(List.of(new SentenceMatching.Anchor(10, 8),
                new SentenceMatching.Anchor(20, 16)), 0)).isEqualTo(3.0);
        assertThat(SentenceMatching.anchorText("Yes.")).isFalse();
        assertThat(SentenceMatching.anchorText(SentenceMatching.normalize("so the plan is this"))).isTrue();
    }
}
