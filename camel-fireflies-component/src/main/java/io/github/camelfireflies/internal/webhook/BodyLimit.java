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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads a request body up to a limit, and refuses it as soon as it is longer: a declared Content-Length over the limit
 * is refused before a byte is read, and a body longer than it declared (or than the limit, with no length declared)
 * after reading at most {@code limit + 1} bytes. What is left in the stream is not read; the caller closes it.
 */
public final class BodyLimit {

    /** 1 MiB: the limit used when none is given. Fireflies' deliveries are a few hundred bytes. */
    public static final int DEFAULT_LIMIT = 1024 * 1024;

    private static final int CHUNK = 8192;

    private final int limit;

    public BodyLimit() {
        this(DEFAULT_LIMIT);
    }

    /** @param limit the most bytes a body may have; 0 or more */
    public BodyLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("The body limit must not be negative, not " + limit);
        }
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /** Refuses a declared length over the limit, without reading anything; a negative length means "not declared". */
    public void checkDeclared(long declaredLength) throws BodyTooLargeException {
        if (declaredLength > limit) {
            throw new BodyTooLargeException(limit, declaredLength);
        }
    }

    /**
     * The whole body, when it is within the limit.
     *
     * @param  in                    the body
     * @param  declaredLength        the request's Content-Length, or a negative number when it has none (chunked)
     * @throws BodyTooLargeException when the declared length or the body is over the limit
     * @throws IOException           when reading fails
     */
    public byte[] read(InputStream in, long declaredLength) throws IOException {
        Objects.requireNonNull(in, "in");
        checkDeclared(declaredLength);
        // the declared length sizes the buffer only up to a chunk: a lying header cannot make us allocate
        int initial = (int) Math.min(Math.max(declaredLength, 0), CHUNK);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(initial, 32));
        byte[] buf = new byte[(int) Math.min(CHUNK, (long) limit + 1)];
        long total = 0;
        while (true) {
            // never ask for more than one byte past the limit
            int want = (int) Math.min(buf.length, (long) limit + 1 - total);
            int n = in.read(buf, 0, want);
            if (n < 0) {
                return out.toByteArray();
            }
            total += n;
            if (total > limit) {
                throw new BodyTooLargeException(limit, -1);
            }
            out.write(buf, 0, n);
        }
    }

    /** Same as {@link #read(InputStream, long)} with no declared length. */
    public byte[] read(InputStream in) throws IOException {
        return read(in, -1);
    }

    /**
     * A Content-Length header as a number: -1 when absent; a value that is not a non-negative decimal number counts as
     * over any limit (Long.MAX_VALUE), so that a request the HTTP layer let through with a garbled length is refused.
     */
    public static long parseContentLength(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        String s = header.strip();
        if (s.length() > 19) {
            return Long.MAX_VALUE;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return Long.MAX_VALUE;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // 19 digits beyond a long
        }
    }

    @Override
    public String toString() {
        return "BodyLimit[" + limit + " bytes]";
    }
}
