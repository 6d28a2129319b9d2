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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The small rules the backfill matches sentences with (see {@link SentenceMerge}): speaker compatibility, text equality,
 * the clock offset between the sentences and the socket's segments, and the stable chunk id of a backfilled segment.
 * Pure functions, no state.
 */
public final class SentenceMatching {

    /** How far apart (seconds, after the offset) a sentence's start and a segment's start may be to be the same. */
    public static final double TOLERANCE = 0.25;
    /** Anchors further apart than this (seconds) are not taken for the same segment when estimating the offset. */
    public static final double MAX_OFFSET = 10.0;
    /** An anchor's text has at least this many characters, so that "Yes." or "OK." anchor nothing. */
    public static final int MIN_ANCHOR_CHARS = 12;
    /** The prefix of the chunk id of a segment first known from a backfill. */
    public static final String ID_PREFIX = "backfill-";
    private static final int MAX_SPEAKER_CHARS = 24;

    private SentenceMatching() {
    }

    /** Trimmed, whitespace runs as one space; null stays null. */
    public static String normalize(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = sb.length() > 0;
            } else {
                if (space) {
                    sb.append(' ');
                    space = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A speaker name for comparison: normalized, lower case; null when blank. */
    public static String speakerKey(String name) {
        String n = normalize(name);
        return n == null || n.isEmpty() ? null : n.toLowerCase(Locale.ROOT);
    }

    /** Two speakers may be the same person: both named alike, or at least one without a name. */
    public static boolean compatibleSpeakers(String a, String b) {
        String ka = speakerKey(a);
        String kb = speakerKey(b);
        return ka == null || kb == null || ka.equals(kb);
    }

    /** Whether a sentence says what a segment says (its text or raw text equals the segment's, whitespace aside). */
    public static boolean sameText(TranscriptSentence s, String segmentText) {
        String t = normalize(segmentText);
        return t.equals(normalize(s.text())) || (s.rawText() != null && t.equals(normalize(s.rawText())));
    }

    /**
     * The chunk id of a segment first known from a backfill: {@code backfill-<start in ms>-<speaker>}, where speaker
     * is the name in lower case with every run of other characters than letters and digits as one {@code _} (at most
     * 24 characters), else {@code speaker<speaker_id>}, else {@code unknown}. Stable: the same sentence gives the same
     * id in every fetch. A second sentence with the same start and speaker in one fetch gets {@code -2}, and so on.
     */
    public static String backfillId(TranscriptSentence s) {
        long ms = Math.round(s.startTime() * 1000.0);
        return ID_PREFIX + ms + "-" + speakerPart(s);
    }

    public static String speakerPart(TranscriptSentence s) {
        String slug = nameSlug(s.speakerName());
        if (slug != null) {
            return slug;
        }
        if (s.speakerId() != null) {
            return "speaker" + s.speakerId();
        }
        return "unknown";
    }

    /**
     * A speaker name as a key part: in lower case, every run of other characters than letters and digits as one
     * {@code _}, at most {@value #MAX_SPEAKER_CHARS} characters; null when the name has no letter or digit.
     */
    public static String nameSlug(String name) {
        String key = speakerKey(name);
        if (key != null) {
            StringBuilder sb = new StringBuilder();
            boolean sep = false;
            for (int i = 0; i < key.length() && sb.length() < MAX_SPEAKER_CHARS; ) {
                int cp = key.codePointAt(i);
                i += Character.charCount(cp);
                if (Character.isLetterOrDigit(cp)) {
                    if (sep && sb.length() > 0) {
                        sb.append('_');
                    }
                    sep = false;
                    sb.appendCodePoint(cp);
                } else {
                    sep = true;
                }
            }
            if (sb.length() > 0) {
                return sb.toString();
            }
        }
        return null;
    }

    /** One candidate pair for the offset: a sentence start and a received segment start (seconds). */
    public record Anchor(double sentenceStart, double segmentStart) {
    }

    /**
     * The median of {@code sentenceStart - segmentStart} over the anchors, or {@code fallback} when there is none.
     */
    public static double medianOffset(List<Anchor> anchors, double fallback) {
        if (anchors.isEmpty()) {
            return fallback;
        }
        double[] d = new double[anchors.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = anchors.get(i).sentenceStart() - anchors.get(i).segmentStart();
        }
        Arrays.sort(d);
        int n = d.length;
        return n % 2 == 1 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2.0;
    }

    /** Whether a text is long enough to anchor the offset. */
    public static boolean anchorText(String normalized) {
        return normalized != null && normalized.length() >= MIN_ANCHOR_CHARS;
    }
}
