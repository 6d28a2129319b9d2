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

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BodyLimitTest {

    /** Counts what was read; serves {@code length} bytes (or forever when negative), at most {@code perRead} a call. */
    static final class CountingStream extends InputStream {
        private final long length;
        private final int perRead;
        long served;

        CountingStream(long length, int perRead) {
            this.length = length;
            this.perRead = perRead;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long left = length < 0 ? Long.MAX_VALUE : length - served;
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, perRead), left);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ('a' + (served + i) % 26);
            }
            served += n;
            return n;
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    @Test
    void defaultIsOneMebibyte() throws Exception {
        BodyLimit limit = new BodyLimit();
        assertThat(limit.limit()).isEqualTo(1_048_576);
        assertThat(limit.read(new CountingStream(1_048_576, 65536), 1_048_576)).hasSize(1_048_576);
        assertThatThrownBy(() -> limit.read(new CountingStream(1_048_577, 65536), -1))
                .isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void exactlyTheLimitIsRead() throws Exception {
        BodyLimit limit = new BodyLimit(10_000);
        assertThat(limit.read(new ByteArrayInputStream(bytes(10_000)), 10_000)).isEqualTo(bytes(10_000));
        assertThat(limit.read(new ByteArrayInputStream(bytes(10_000)))).isEqualTo(bytes(10_000));
        assertThat(limit.read(new CountingStream(10_000, 7), -1)).as("in small pieces").isEqualTo(bytes(10_000));
        assertThat(limit.read(new ByteArrayInputStream(new byte[0]), 0)).isEmpty();
    }

    @Test
    void oneByteOverIsRefusedAfterReadingOnlyOnePastTheLimit() {
        BodyLimit limit = new BodyLimit(10_000);
        CountingStream in = new CountingStream(10_001, 4096);
        assertThatThrownBy(() -> limit.read(in, -1)).isInstanceOf(BodyTooLargeException.class)
                .hasMessage("Request body is over the limit of 10000 bytes")
                .satisfies(e -> assertThat(((BodyTooLargeException) e).declaredLength()).isEqualTo(-1));
        assertThat(in.served).isEqualTo(10_001);
    }

    @Test
    void endlessBodyStopsAtTheLimit() {
        BodyLimit limit = new BodyLimit(50_000);
        CountingStream in = new CountingStream(-1, 8192);
        assertThatThrownBy(() -> limit.read(in)).isInstanceOf(BodyTooLargeException.class);
        assertThat(in.served).isEqualTo(50_001);
    }

    @Test
    void declaredLengthOverTheLimitIsRefusedBeforeReading() {
        BodyLimit limit = new BodyLimit(1000);
        CountingStream in = new CountingStream(5, 5);
        assertThatThrownBy(() -> limit.read(in, 1001)).isInstanceOf(BodyTooLargeException.class)
                .hasMessage("Request body of 1001 bytes is over the limit of 1000 bytes")
                .satisfies(e -> {
                    assertThat(((BodyTooLargeException) e).declaredLength()).isEqualTo(1001);
                    assertThat(((BodyTooLargeException) e).limit()).isEqualTo(1000);
                });
        assertThat(in.served).as("nothing read").isZero();
        assertThatThrownBy(() -> limit.checkDeclared(Long.MAX_VALUE)).isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void lyingContentLengthDoesNotFoolIt() throws Exception {
        BodyLimit limit = new BodyLimit(1000);
        // says 10, sends 5,000: refused at 1,001 bytes
        CountingStream longer = new CountingStream(5000, 8192);
        assertThatThrownBy(() -> limit.read(longer, 10)).isInstanceOf(BodyTooLargeException.class);
        assertThat(longer.served).isEqualTo(1001);
        // says 1,000, sends 20: the 20 bytes, and no 1,000-byte buffer to fill
        assertThat(limit.read(new ByteArrayInputStream(bytes(20)), 1000)).isEqualTo(bytes(20));
        // says 10, sends 500 (within the limit): the 500 bytes; the HTTP layer owns framing, this only bounds memory
        assertThat(limit.read(new ByteArrayInputStream(bytes(500)), 10)).isEqualTo(bytes(500));
    }

    @Test
    void zeroLimitTakesOnlyEmptyBodies() throws Exception {
        BodyLimit limit = new BodyLimit(0);
        assertThat(limit.read(new ByteArrayInputStream(new byte[0]))).isEmpty();
        assertThatThrownBy(() -> limit.read(new ByteArrayInputStream(new byte[1]))).isInstanceOf(BodyTooLargeException.class);
        assertThatThrownBy(() -> new BodyLimit(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readFailuresPassThrough() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> new BodyLimit(10).read(broken)).isInstanceOf(IOException.class)
                .isNotInstanceOf(BodyTooLargeException.class).hasMessage("connection reset");
    }

    @Test
    void contentLengthHeader() {
        assertThat(BodyLimit.parseContentLength(null)).isEqualTo(-1);
        assertThat(BodyLimit.parseContentLength(" ")).isEqualTo(-1);
        assertThat(BodyLimit.parseContentLength("0")).isZero();
        assertThat(BodyLimit.parseContentLength(" 1048576 ")).isEqualTo(1_048_576);
        for (String garbled : Arrays.asList("-1", "12a", "1e6", "+5", "99999999999999999999", "9999999999999999999")) {
            assertThat(BodyLimit.parseContentLength(garbled)).as(garbled).isEqualTo(Long.MAX_VALUE);
        }
    }
}
