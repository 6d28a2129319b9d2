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
package io.github.camelfireflies;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code CamelFireflies*} headers of one exchange, collected by slot and handed to
 * {@link org.apache.camel.Message#setHeaders} in one go.
 * <p>
 * Camel keeps headers in a case-insensitive {@link TreeMap}; putting the nine headers of a transcription exchange one
 * by one costs about twenty case-folding comparisons of keys that share their first 14 characters. This map is sorted
 * in the same order with the same comparator, so Camel's map copies it in one linear pass ({@code TreeMap.putAll} of
 * a {@link SortedMap} into an empty map compares no key). It is a one-shot view: slots are set, then it is copied.
 */
final class SortedHeaders extends AbstractMap<String, Object> implements SortedMap<String, Object> {

    private static final Comparator<String> ORDER = String.CASE_INSENSITIVE_ORDER;
    private static final String[] KEYS = sorted(FirefliesConstants.EVENT, FirefliesConstants.TRANSCRIPT_ID,
            FirefliesConstants.CHUNK_ID, FirefliesConstants.SPEAKER_NAME, FirefliesConstants.START_TIME,
            FirefliesConstants.END_TIME, FirefliesConstants.CHUNK_REVISION, FirefliesConstants.CHUNK_FINAL,
            FirefliesConstants.CORRECTION, FirefliesConstants.BACKFILL, FirefliesConstants.RECONNECTED,
            FirefliesConstants.GAP_MILLIS, FirefliesConstants.MEETING_TITLE, FirefliesConstants.ORGANIZER_EMAIL,
            FirefliesConstants.MEETING_STATE);

    static final int EVENT = slot(FirefliesConstants.EVENT);
    static final int TRANSCRIPT_ID = slot(FirefliesConstants.TRANSCRIPT_ID);
    static final int CHUNK_ID = slot(FirefliesConstants.CHUNK_ID);
    static final int SPEAKER_NAME = slot(FirefliesConstants.SPEAKER_NAME);
    static final int START_TIME = slot(FirefliesConstants.START_TIME);
    static final int END_TIME = slot(FirefliesConstants.END_TIME);
    static final int CHUNK_REVISION = slot(FirefliesConstants.CHUNK_REVISION);
    static final int CHUNK_FINAL = slot(FirefliesConstants.CHUNK_FINAL);
    static final int CORRECTION = slot(FirefliesConstants.CORRECTION);
    static final int BACKFILL = slot(FirefliesConstants.BACKFILL);
    static final int RECONNECTED = slot(FirefliesConstants.RECONNECTED);
    static final int GAP_MILLIS = slot(FirefliesConstants.GAP_MILLIS);
    static final int MEETING_TITLE = slot(FirefliesConstants.MEETING_TITLE);
    static final int ORGANIZER_EMAIL = slot(FirefliesConstants.ORGANIZER_EMAIL);
    static final int MEETING_STATE = slot(FirefliesConstants.MEETING_STATE);

    private final Object[] values = new Object[KEYS.length];
    /** Bit i set: slot i holds a header (whose value may be null, as with {@code Message.setHeader(name, null)}). */
    private int present;

    private static String[] sorted(String... keys) {
        String[] copy = keys.clone();
        Arrays.sort(copy, ORDER);
        for (int i = 1; i < copy.length; i++) {
            if (ORDER.compare(copy[i - 1], copy[i]) == 0) {
                throw new ExceptionInInitializerError("header name twice: " + copy[i]);
            }
        }
        return copy;
    }

    private static int slot(String key) {
        return Arrays.binarySearch(KEYS, key, ORDER);
    }

    /** Sets the header of {@code slot} (one of this class's constants). */
    void set(int slot, Object value) {
        values[slot] = value;
        present |= 1 << slot;
    }

    /** Sets the header of {@code slot} when {@code value} is not null. */
    void setIfNotNull(int slot, Object value) {
        if (value != null) {
            set(slot, value);
        }
    }

    @Override
    public Comparator<? super String> comparator() {
        return ORDER;
    }

    @Override
    public int size() {
        return Integer.bitCount(present);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next = Integer.numberOfTrailingZeros(present);

                    @Override
                    public boolean hasNext() {
                        return next < KEYS.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        int i = next;
                        int rest = present & -(1 << i << 1); // bits above i (none when i is the top bit)
                        next = rest == 0 ? KEYS.length : Integer.numberOfTrailingZeros(rest);
                        return new SimpleImmutableEntry<>(KEYS[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return SortedHeaders.this.size();
            }
        };
    }

    @Override
    public String firstKey() {
        if (present == 0) {
            throw new NoSuchElementException();
        }
        return KEYS[Integer.numberOfTrailingZeros(present)];
    }

    @Override
    public String lastKey() {
        if (present == 0) {
            throw new NoSuchElementException();
        }
        return KEYS[31 - Integer.numberOfLeadingZeros(present)];
    }

    // the views below are not on the hot path: a sorted copy gives them
    @Override
    public SortedMap<String, Object> subMap(String fromKey, String toKey) {
        return copy().subMap(fromKey, toKey);
    }

    @Override
    public SortedMap<String, Object> headMap(String toKey) {
        return copy().headMap(toKey);
    }

    @Override
    public SortedMap<String, Object> tailMap(String fromKey) {
        return copy().tailMap(fromKey);
    }

    private TreeMap<String, Object> copy() {
        TreeMap<String, Object> copy = new TreeMap<>(ORDER);
        copy.putAll(this);
        return copy;
    }
}
