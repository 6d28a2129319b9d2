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
package io.github.camelfireflies.bench.jmh;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.camelfireflies.api.OverflowPolicy;
import io.github.camelfireflies.internal.stream.OrderedLane;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One event through a meeting's lane when it finds the lane idle, as every event does at a meeting's pace: handed to a
 * pool thread and waited for ({@code handOff}: the worker's wake-up, the item, the producer's wake-up when the lane is
 * idle again), against handled on the producer's thread ({@code inPlace}: {@link OrderedLane#putOrHandle} once the
 * handler has proven quick, the {@code routeOnReader} path). The handler only adds the item to a sum.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LaneBenchmark {

    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private ExecutorService pool;
    private OrderedLane<Integer> lane;
    private long sum;

    @Setup
    public void setUp() throws Exception {
        pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "lane-bench-worker");
            t.setDaemon(true);
            return t;
        });
        lane = OrderedLane.async(pool, 10_000, OverflowPolicy.BLOCK, (item, resume) -> {
            sum += item;
            return true;
        }, item -> {
        });
        for (int i = 0; i < OrderedLane.QUICK_STREAK; i++) { // the handler proves quick on the pool first
            lane.put(i, WAIT_NANOS);
            lane.awaitIdle(1, TimeUnit.SECONDS);
        }
    }

    @TearDown
    public void tearDown() {
        pool.shutdownNow();
    }

    @Benchmark
    public long handOff() throws Exception {
        lane.put(1, WAIT_NANOS);
        lane.awaitIdle(1, TimeUnit.SECONDS);
        return sum;
    }

    @Benchmark
    public long inPlace() throws Exception {
        lane.putOrHandle(1, WAIT_NANOS);
        return sum;
    }
}
