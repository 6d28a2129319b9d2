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
import io.github.camelfireflies.internal.backfill.SentenceMatching;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which segment of which meeting a final segment is, as a key that every instance computes alike whether the segment
 * came from the socket (with a Fireflies {@code chunk_id}) or from a backfill (a GraphQL sentence, without one): what an
 * idempotent repository records once a segment was emitted final, so that a later owner of the meeting (another
 * instance, or the same one restarted) does not emit it again.
 * <p>
 * The two sources share only the speaker and the start time (the chunk id of a backfilled segment is not the socket's),
 * so the key is made of those:
 *
 * <pre>fireflies:&lt;transcript&gt;:&lt;speaker&gt;:&lt;quarter second&gt;</pre>
 *
 * <ul>
 * <li><b>transcript</b>: the transcript id as it is when it has 1 to {@value #MAX_PLAIN_ID} characters among
 * {@code A-Z a-z 0-9 _ -}; otherwise {@code ~} and the first 128 bits of its SHA-256 (UTF-8), base64url without
 * padding (22 characters).</li>
 * <li><b>speaker</b>: the speaker's name in lower case, every run of other characters than letters and digits as one
 * {@code _}, at most 24 characters (the rule of the backfill chunk ids); {@code -} when there is no name.</li>
 * <li><b>quarter second</b>: the start time in the socket's clock (a backfilled segment's start is the sentence's minus
 * the clock offset the backfill estimated), rounded to the millisecond, then divided by
 * {@value #BUCKET_MILLIS} ms and rounded down: {@code 41} for a start of 10.25 s to 10.499 s.</li>
 * </ul>
 * A segment without a (finite, plausible) start time, which only the socket can send, is keyed by its chunk id instead:
 * {@code fireflies:<transcript>:<speaker>:c<chunk id>} (the chunk id hashed like a long transcript id when it is not
 * plain or longer than {@value #MAX_PLAIN_CHUNK} characters). A key is never longer than {@value #MAX_LENGTH}
 * characters, which is what camel-sql's JDBC repository holds.
 * <p>
 * <b>Matching.</b> The backfill takes a sentence and a segment of the same speaker for one when their starts are within
 * {@link #TOLERANCE_SECONDS} s (after the offset). A start within that tolerance of another falls into the same quarter
 * second or one of the two next to it, so a segment counts as emitted when its own key ({@link #key()}) or one of its
 * {@link #neighbours()} was recorded. What follows, and which the caller weighs: two segments of one speaker that start
 * within the same quarter second share a key, and two that start in neighbouring quarter seconds (less than 0.5 s
 * apart) may be taken for one.
 *
 * @param key        what the segment is recorded under
 * @param neighbours the keys of the two quarter seconds next to it, earlier first; empty for a chunk-id key
 */
public record SegmentKey(String key, List<String> neighbours) {

    /** Every key starts with this. */
    public static final String PREFIX = "fireflies:";
    /** The width of a start-time bucket, milliseconds. */
    public static final long BUCKET_MILLIS = 250;
    /** The backfill's matching tolerance, seconds (the same as {@code SentenceMerge}'s). */
    public static final double TOLERANCE_SECONDS = SentenceMatching.TOLERANCE;
    /** The longest key. */
    public static final int MAX_LENGTH = 100;

    static final int MAX_PLAIN_ID = 40;
    static final int MAX_PLAIN_CHUNK = 20;
    /** Starts beyond this (seconds, about 115 days) are not taken for a start time. */
    static final double MAX_START_SECONDS = 1.0e7;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");
    private static final String NO_SPEAKER = "-";

    public SegmentKey {
        Objects.requireNonNull(key, "key");
        neighbours = List.copyOf(neighbours);
    }

    /**
     * The key of a segment of a meeting.
     *
     * @param transcriptId the meeting
     * @param segment      the segment as emitted (its speaker, start time and chunk id)
     */
    public static SegmentKey of(String transcriptId, TranscriptionEvent segment) {
        Objects.requireNonNull(transcriptId, "transcriptId");
        Objects.requireNonNull(segment, "segment");
        String speaker = SentenceMatching.nameSlug(segment.speakerName());
        String head = PREFIX + part(transcriptId, MAX_PLAIN_ID) + ":" + (speaker == null ? NO_SPEAKER : speaker) + ":";
        Double start = segment.startTime();
        if (start == null || !Double.isFinite(start) || Math.abs(start) > MAX_START_SECONDS) {
            return new SegmentKey(head + "c" + part(segment.chunkId(), MAX_PLAIN_CHUNK), List.of());
        }
        long bucket = bucket(start);
        return new SegmentKey(head + bucket, List.of(head + (bucket - 1), head + (bucket + 1)));
    }

    /**
     * The key under which the owner of a meeting records that it emitted the meeting's last segment:
     * {@code fireflies:done:<transcript>} (the transcript part as in a segment key). It has three parts where a segment
     * key has four, so the two never meet.
     */
    public static String completionKey(String transcriptId) {
        Objects.requireNonNull(transcriptId, "transcriptId");
        return PREFIX + "done:" + part(transcriptId, MAX_PLAIN_ID);
    }

    /** The quarter second a start time (seconds) falls in. */
    static long bucket(double startSeconds) {
        return Math.floorDiv(Math.round(startSeconds * 1000.0), BUCKET_MILLIS);
    }

    /** A transcript or chunk id as a key part: as it is when plain and short, else hashed. */
    static String part(String id, int maxPlain) {
        if (!id.isEmpty() && id.length() <= maxPlain && PLAIN.matcher(id).matches()) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "~" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e); // every JVM has it
        }
    }
}
