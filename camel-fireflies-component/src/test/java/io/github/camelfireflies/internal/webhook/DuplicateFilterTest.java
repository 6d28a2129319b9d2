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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DuplicateFilterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private static byte[] body(int i) {
        return ("{\"event\":\"meeting.transcribed\",\"meeting_id\":\"m" + i + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void sameBytesWithinTheWindowAreADuplicate() {
        DuplicateFilter f = new DuplicateFilter(Duration.ofMinutes(5), 100, now::get);
        assertThat(f.firstSeen(body(1))).isTrue();
        assertThat(f.firstSeen(body(1))).isFalse();
        assertThat(f.firstSeen(body(1).clone())).as("a copy of the same bytes").isFalse();
        assertThat(f.firstSeen(body(2))).isTrue();
        byte[] oneByteOff = body(1);
        oneByteOff[oneByteOff.length - 1] = ' ';
        assertThat(f.firstSeen(oneByteOff)).isTrue();
        assertThat(f.size()).isEqualTo(3);
    }

    @Test
    void expiresAfterTheWindowCountedFromTheFirstSighting() {
        DuplicateFilter f = new DuplicateFilter(Duration.ofMinutes(5), 100, now::get);
        assertThat(f.firstSeen(body(1))).isTrue();
        advance(Duration.ofMinutes(3));
        assertThat(f.firstSeen(body(2))).isTrue();
        assertThat(f.firstSeen(body(1))).as("a repeat at 3 min").isFalse();
        advance(Duration.ofMinutes(2).minusNanos(1));
        assertThat(f.firstSeen(body(1))).as("one nanosecond before 5 min").isFalse();
        advance(Duration.ofNanos(1));
        assertThat(f.size()).as("body 1 expired, body 2 not yet").isEqualTo(1);
        assertThat(f.firstSeen(body(1))).as("at 5 min: new again, the repeat did not extend it").isTrue();
        assertThat(f.firstSeen(body(2))).as("body 2 is 2 min old").isFalse();
        advance(Duration.ofMinutes(10));
        assertThat(f.size()).isZero();
    }

    @Test
    void boundedTheOldestGoesFirst() {
        DuplicateFilter f = new DuplicateFilter(Duration.ofHours(1), 3, now::get);
        for (int i = 1; i <= 3; i++) {
            assertThat(f.firstSeen(body(i))).isTrue();
            advance(Duration.ofSeconds(1));
        }
        assertThat(f.firstSeen(body(4))).isTrue();
        assertThat(f.size()).isEqualTo(3);
        assertThat(f.firstSeen(body(2))).as("still remembered").isFalse();
        assertThat(f.firstSeen(body(3))).isFalse();
        assertThat(f.firstSeen(body(4))).isFalse();
        assertThat(f.firstSeen(body(1))).as("evicted: it looks new").isTrue();
        assertThat(f.firstSeen(body(2))).as("evicted by body 1 in turn").isTrue();
        assertThat(f.size()).isEqualTo(3);
    }

    @Test
    void forgetLetsTheRetryThrough() {
        DuplicateFilter f = new DuplicateFilter(Duration.ofHours(1), 10, now::get);
        assertThat(f.firstSeen(body(1))).isTrue();
        f.forget(body(1));
        assertThat(f.firstSeen(body(1))).isTrue();
        assertThat(f.firstSeen(body(1))).isFalse();
        f.forget(body(9)); // never seen: nothing happens
        assertThat(f.size()).isEqualTo(1);
    }

    @Test
    void keyIsTheSha256OfTheBody() {
        // printf '%s' '<V2 body>' | sha256sum
        assertThat(DuplicateFilter.key(WebhookSignatureTest.V2_BODY))
                .isEqualTo("ad67a3e34da6f84f795ff65c86bb3a93fd7b116214c2c64c592a84d62723e6c2");
        assertThat(DuplicateFilter.key(null)).isEqualTo(DuplicateFilter.key(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> new DuplicateFilter(Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DuplicateFilter(Duration.ofSeconds(-1), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DuplicateFilter(Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
        DuplicateFilter forever = new DuplicateFilter(Duration.ofSeconds(Long.MAX_VALUE), 1, now::get);
        assertThat(forever.firstSeen(body(1))).isTrue();
        advance(Duration.ofDays(365 * 100));
        assertThat(forever.firstSeen(body(1))).isFalse();
    }

    @Test
    void concurrentDeliveriesAreTakenOnceEach() throws Exception {
        DuplicateFilter f = new DuplicateFilter(Duration.ofHours(1), 10_000);
        int threads = 4;
        int bodies = 500;
        AtomicInteger firsts = new AtomicInteger();
        int[] perBody = new int[bodies];
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int i = 0; i < bodies; i++) {
                        if (f.firstSeen(body(i))) {
                            firsts.incrementAndGet();
                            synchronized (perBody) {
                                perBody[i]++;
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> d : done) {
                d.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(firsts).hasValue(bodies);
        assertThat(perBody).containsOnly(1);
        assertThat(f.size()).isEqualTo(bodies);
    }

    @Test
    void toStringSaysItsSettings() {
        assertThat(new DuplicateFilter(Duration.ofMinutes(10), 5)).hasToString("DuplicateFilter[window=PT10M, maxEntries=5]");
    }
}
