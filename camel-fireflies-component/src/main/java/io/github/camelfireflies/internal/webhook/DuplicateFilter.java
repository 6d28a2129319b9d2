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
package io.github.camelfireflies.internal.webhook;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Remembers the deliveries of the last {@code window} so that an exact repeat (the same bytes, as a sender's retry is)
 * is recognised. Only the SHA-256 of each body is kept, never the body, and at most {@code maxEntries} of them: past
 * that the oldest is forgotten first, even inside its window. A delivery counts from the first time it was seen; a
 * repeat does not extend its window. Thread-safe.
 * <p>
 * Its time is read from a monotonic nanosecond clock ({@link System#nanoTime} unless a test passes its own).
 */
public final class DuplicateFilter {

    /** The window used when none is given. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    /** The bound used when none is given: 10,000 digests, under 2 MB. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private final long windowNanos;
    private final int maxEntries;
    private final LongSupplier nanoClock;
    /** Digest to the nano time it was first seen; in insertion order, which is time order. Guarded by this. */
    private final LinkedHashMap<ByteBuffer, Long> seen = new LinkedHashMap<>();

    public DuplicateFilter() {
        this(DEFAULT_WINDOW, DEFAULT_MAX_ENTRIES);
    }

    public DuplicateFilter(Duration window, int maxEntries) {
        this(window, maxEntries, System::nanoTime);
    }

    /**
     * @param window     how long a delivery is remembered; positive
     * @param maxEntries how many deliveries are remembered at most; positive
     * @param nanoClock  a monotonic clock in nanoseconds, like {@link System#nanoTime}
     */
    public DuplicateFilter(Duration window, int maxEntries, LongSupplier nanoClock) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("The duplicate window must be positive, not " + window);
        }
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("The duplicate filter must hold at least one entry, not " + maxEntries);
        }
        this.windowNanos = saturatedNanos(window);
        this.maxEntries = maxEntries;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Records this delivery and says whether it is new.
     *
     * @return true the first time these bytes are seen within the window; false for a repeat
     */
    public boolean firstSeen(byte[] body) {
        ByteBuffer key = ByteBuffer.wrap(sha256(body));
        synchronized (this) {
            long now = nanoClock.getAsLong();
            expire(now);
            if (seen.containsKey(key)) {
                return false;
            }
            seen.put(key, now);
            if (seen.size() > maxEntries) {
                Iterator<?> eldest = seen.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            return true;
        }
    }

    /**
     * Forgets this delivery, so that the next identical one is new again: for a caller that could not process it and
     * wants the sender's retry to be taken.
     */
    public void forget(byte[] body) {
        ByteBuffer key = ByteBuffer.wrap(sha256(body));
        synchronized (this) {
            seen.remove(key);
        }
    }

    /** How many deliveries are remembered now (after expiring the old ones). */
    public synchronized int size() {
        expire(nanoClock.getAsLong());
        return seen.size();
    }

    private void expire(long now) {
        for (Iterator<Map.Entry<ByteBuffer, Long>> it = seen.entrySet().iterator(); it.hasNext();) {
            if (now - it.next().getValue() < windowNanos) {
                return; // the rest are younger
            }
            it.remove();
        }
    }

    /**
     * The key of a delivery: the SHA-256 of its bytes in lower-case hex. The same key this filter uses, for callers that
     * keep deliveries elsewhere (a shared idempotent repository, say).
     */
    public static String key(byte[] body) {
        return HexFormat.of().formatHex(sha256(body));
    }

    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE; // about 292 years: as good as forever
        }
    }

    @Override
    public String toString() {
        return "DuplicateFilter[window=" + Duration.ofNanos(windowNanos) + ", maxEntries=" + maxEntries + "]";
    }
}
