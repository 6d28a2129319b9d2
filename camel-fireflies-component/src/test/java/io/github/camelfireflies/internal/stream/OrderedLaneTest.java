package io.github.camelfireflies.internal.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.camelfireflies.api.OverflowPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class OrderedLaneTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void manyLanesOnASharedPoolKeepOrderAndNeverOverlap() throws Exception {
        int lanes = 50;
        int perLane = 2000;
        List<List<Integer>> seen = new ArrayList<>();
        List<OrderedLane<Integer>> all = new ArrayList<>();
        AtomicInteger overlaps = new AtomicInteger();
        for (int l = 0; l < lanes; l++) {
            List<Integer> out = new CopyOnWriteArrayList<>();
            AtomicBoolean busy = new AtomicBoolean();
            seen.add(out);
            all.add(new OrderedLane<>(pool, perLane, OverflowPolicy.DROP_NEWEST, i -> {
                if (!busy.compareAndSet(false, true)) {
                    overlaps.incrementAndGet();
                }
                out.add(i);
                busy.set(false);
            }, i -> {
            }));
        }
        // several producer threads, each owning some lanes (a lane has one producer: the I/O thread of its session)
        ExecutorService producers = Executors.newFixedThreadPool(5);
        try {
            for (int p = 0; p < 5; p++) {
                int first = p;
                producers.execute(() -> {
                    for (int i = 0; i < perLane; i++) {
                        for (int l = first; l < lanes; l += 5) {
                            all.get(l).offer(i);
                        }
                    }
                });
            }
            producers.shutdown();
            assertThat(producers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            producers.shutdownNow();
        }
        for (OrderedLane<Integer> lane : all) {
            assertThat(lane.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(overlaps).hasValue(0);
        for (int l = 0; l < lanes; l++) {
            assertThat(seen.get(l)).hasSize(perLane).isSorted();
            assertThat(all.get(l).handled()).isEqualTo(perLane);
            assertThat(all.get(l).dropped()).isZero();
        }
    }

    /** A lane whose handler blocks on item 0 until released. */
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Integer> handled = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> dropped = java.util.Collections.synchronizedList(new ArrayList<>());

    private OrderedLane<Integer> stuckLane(int capacity, OverflowPolicy policy) {
        OrderedLane<Integer> lane = new OrderedLane<>(pool, capacity, policy, i -> {
            if (i == 0) {
                started.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            handled.add(i);
        }, dropped::add);
        lane.offer(0);
        try {
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return lane;
    }

    @Test
    void dropOldest() throws Exception {
        OrderedLane<Integer> lane = stuckLane(3, OverflowPolicy.DROP_OLDEST);
        assertThat(lane.offer(1)).isTrue();
        assertThat(lane.offer(2)).isTrue();
        assertThat(lane.offer(3)).isTrue();
        assertThat(lane.size()).isEqualTo(3);
        assertThat(lane.offer(4)).isFalse();
        assertThat(lane.offer(5)).isFalse();
        assertThat(lane.size()).isEqualTo(3);
        assertThat(lane.dropped()).isEqualTo(2);
        assertThat(dropped).containsExactly(1, 2);
        release.countDown();
        assertThat(lane.awaitIdle(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).containsExactly(0, 3, 4, 5);
        assertThat(lane.handled()).isEqualTo(4);
    }

    @Test
    void dropNewest() throws Exception {
        OrderedLane<Integer> lane = stuckLane(3, OverflowPolicy.DROP_NEWEST);
        assertThat(lane.offer(1)).isTrue();
        assertThat(lane.offer(2)).isTrue();
        assertThat(lane.offer(3)).isTrue();
        assertThat(lane.offer(4)).isFalse();
        assertThat(lane.offer(5)).isFalse();
        assertThat(lane.dropped()).isEqualTo(2);
        assertThat(dropped).containsExactly(4, 5);
        release.countDown();
        assertThat(lane.awaitIdle(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).containsExactly(0, 1, 2, 3);
    }

    /** lane.put on a thread of its own, its outcome into {@code result}. */
    private static Thread putOnItsOwnThread(OrderedLane<Integer> lane, int item, long timeoutNanos,
                                            CompletableFuture<Boolean> result) {
        Thread t = new Thread(() -> {
            try {
                result.complete(lane.put(item, timeoutNanos));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-producer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Until the thread waits with a timeout (the lane's bounded put): what it does is seen, not a time that passed. */
    private static void awaitParked(Thread t) {
        await().atMost(Duration.ofSeconds(5)).until(() -> t.getState() == Thread.State.TIMED_WAITING);
    }

    @Test
    void blockWaitsForRoomAndDropsNothing() throws Exception {
        OrderedLane<Integer> lane = stuckLane(2, OverflowPolicy.BLOCK);
        assertThat(lane.put(1, TimeUnit.SECONDS.toNanos(1))).isTrue();
        assertThat(lane.put(2, TimeUnit.SECONDS.toNanos(1))).isTrue();
        CompletableFuture<Boolean> third = new CompletableFuture<>();
        Thread producer = putOnItsOwnThread(lane, 3, TimeUnit.SECONDS.toNanos(10), third);
        // the producer waits (parked on the lane) while the handler is stuck: the lane holds two, the third is not in it
        awaitParked(producer);
        assertThat(third).isNotDone();
        assertThat(lane.size()).isEqualTo(2);
        release.countDown();
        assertThat(third.get(5, TimeUnit.SECONDS)).as("added in time once there was room").isTrue();
        assertThat(lane.awaitIdle(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).containsExactly(0, 1, 2, 3);
        assertThat(lane.dropped()).isZero();
        assertThat(dropped).isEmpty();
    }

    @Test
    void blockWaitIsBoundedAndKeepsTheItem() throws Exception {
        OrderedLane<Integer> lane = stuckLane(1, OverflowPolicy.BLOCK);
        assertThat(lane.put(1, TimeUnit.MILLISECONDS.toNanos(50))).isTrue();
        long t0 = System.nanoTime();
        assertThat(lane.put(2, TimeUnit.MILLISECONDS.toNanos(100))).as("timed out").isFalse();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        // control items never wait and are never dropped under BLOCK
        assertThat(lane.offer(3)).isTrue();
        assertThat(lane.size()).isEqualTo(3);
        release.countDown();
        assertThat(lane.awaitIdle(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).containsExactly(0, 1, 2, 3);
        assertThat(lane.dropped()).isZero();
    }

    @Test
    void closeReleasesAWaitingProducer() throws Exception {
        OrderedLane<Integer> lane = stuckLane(1, OverflowPolicy.BLOCK);
        lane.offer(1);
        CompletableFuture<Boolean> waiting = new CompletableFuture<>();
        awaitParked(putOnItsOwnThread(lane, 2, TimeUnit.SECONDS.toNanos(30), waiting));
        assertThat(waiting).isNotDone();
        lane.close();
        // released by close long before its timeout, and refused: the lane takes nothing more
        assertThat(waiting.get(2, TimeUnit.SECONDS)).isFalse();
        release.countDown();
        assertThat(lane.awaitIdle(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBlockingProducerAgainstASlowHandlerLosesNothingAndKeepsOrder() throws Exception {
        List<Integer> out = new CopyOnWriteArrayList<>();
        OrderedLane<Integer> lane = new OrderedLane<>(pool, 8, OverflowPolicy.BLOCK, i -> {
            if (i % 1000 == 0) {
                Thread.yield();
            }
            out.add(i);
        }, dropped::add);
        int stalls = 0;
        for (int i = 0; i < 50_000; i++) {
            if (!lane.put(i, TimeUnit.SECONDS.toNanos(5))) {
                stalls++;
            }
            assertThat(lane.size()).isLessThanOrEqualTo(8);
        }
        assertThat(lane.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stalls).isZero();
        assertThat(out).hasSize(50_000).isSorted();
        assertThat(lane.dropped()).isZero();
    }

    @Test
    void offerNeverBlocksWhenTheHandlerIsStuck() throws Exception {
        OrderedLane<Integer> lane = stuckLane(100, OverflowPolicy.DROP_OLDEST);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (int i = 1; i <= 100_000; i++) {
                lane.offer(i);
            }
        });
        assertThat(lane.size()).isEqualTo(100);
        assertThat(lane.dropped()).isEqualTo(100_000 - 100);
        assertThat(lane.awaitIdle(100, TimeUnit.MILLISECONDS)).as("not idle while stuck").isFalse();
        release.countDown();
        assertThat(lane.awaitIdle(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).hasSize(101).startsWith(0, 99_901).endsWith(100_000);
    }

    @Test
    void awaitIdle() throws Exception {
        OrderedLane<Integer> lane = new OrderedLane<>(pool, 10, OverflowPolicy.DROP_NEWEST, handled::add, dropped::add);
        assertThat(lane.awaitIdle(1, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 10; i++) {
            lane.offer(i);
        }
        assertThat(lane.awaitIdle(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).hasSize(10);
        assertThat(lane.size()).isZero();
    }

    @Test
    void throwingHandlerDoesNotStopTheLane() throws Exception {
        OrderedLane<Integer> lane = new OrderedLane<>(pool, 1000, OverflowPolicy.DROP_NEWEST, i -> {
            if (i % 3 == 0) {
                throw new IllegalStateException("boom " + i);
            }
            handled.add(i);
        }, dropped::add);
        for (int i = 0; i < 600; i++) {
            lane.offer(i);
        }
        assertThat(lane.awaitIdle(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).hasSize(400).isSorted();
        assertThat(lane.handled()).isEqualTo(600);
        lane.offer(1000);
        await().atMost(Duration.ofSeconds(5)).until(() -> handled.contains(1000));
    }

    @Test
    void closeAndClear() throws Exception {
        OrderedLane<Integer> lane = stuckLane(10, OverflowPolicy.DROP_NEWEST);
        lane.offer(1);
        lane.offer(2);
        assertThat(lane.clear()).isEqualTo(2);
        assertThat(lane.dropped()).isEqualTo(2);
        lane.close();
        assertThat(lane.offer(3)).isFalse();
        release.countDown();
        assertThat(lane.awaitIdle(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handled).containsExactly(0);
    }

    @Test
    void shutDownPoolClosesTheLane() throws Exception {
        ExecutorService dead = Executors.newSingleThreadExecutor();
        dead.shutdown();
        OrderedLane<Integer> lane = new OrderedLane<>(dead, 10, OverflowPolicy.DROP_NEWEST, handled::add, dropped::add);
        lane.offer(1);
        assertThat(lane.offer(2)).isFalse();
        assertThat(lane.awaitIdle(1, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aRunningPoolThatRefusesLosesNothingAndDoesNotCloseTheLane() throws Exception {
        // like a pool with a bounded queue: it refuses the first two lane turns, then accepts
        AtomicInteger refuse = new AtomicInteger(2);
        ExecutorService bounded = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>()) {
            @Override
            public void execute(Runnable command) {
                if (refuse.getAndDecrement() > 0) {
                    throw new java.util.concurrent.RejectedExecutionException("queue full (test)");
                }
                super.execute(command);
            }
        };
        try {
            OrderedLane<Integer> lane = new OrderedLane<>(bounded, 10, OverflowPolicy.DROP_NEWEST, handled::add,
                    dropped::add);
            assertThat(lane.offer(1)).isTrue();
            assertThat(lane.offer(2)).isTrue();
            assertThat(lane.refusals()).isEqualTo(2);
            assertThat(lane.offer(3)).as("the lane stays open").isTrue();
            assertThat(lane.awaitIdle(5, TimeUnit.SECONDS)).isTrue();
            assertThat(handled).containsExactly(1, 2, 3);
            assertThat(dropped).isEmpty();
        } finally {
            bounded.shutdownNow();
        }
    }

    @Test
    void arguments() {
        assertThatThrownBy(() -> new OrderedLane<Integer>(pool, 0, OverflowPolicy.DROP_NEWEST, i -> {
        }, i -> {
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new OrderedLane<Integer>(null, 1, OverflowPolicy.DROP_NEWEST, i -> {
        }, i -> {
        })).isInstanceOf(NullPointerException.class);
    }
    @Test
    void anItemReportedAsynchronousButFinishedWithinTheCallGoesOnOnTheSameThread() {
        // Camel's routing engine calls back before process() returns false when the route ran to its end in the call
        java.util.ArrayDeque<Runnable> turns = new java.util.ArrayDeque<>();
        List<Integer> out = new ArrayList<>();
        OrderedLane<Integer> lane = OrderedLane.async(turns::add, 100, OverflowPolicy.BLOCK, (item, resume) -> {
            out.add(item);
            resume.run();
            return false;
        }, dropped::add);
        for (int i = 0; i < 10; i++) {
            lane.offer(i);
        }
        assertThat(turns).as("one turn scheduled for the ten items").hasSize(1);
        turns.poll().run();
        assertThat(out).as("all handled in that one turn").containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(turns).as("no turn handed to another thread").isEmpty();
        assertThat(lane.handled()).isEqualTo(10);
    }

    @Test
    void anItemFinishedLaterHoldsTheTurnUntilItsCallback() {
        java.util.ArrayDeque<Runnable> turns = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Runnable> callbacks = new java.util.ArrayDeque<>();
        List<Integer> out = new ArrayList<>();
        OrderedLane<Integer> lane = OrderedLane.async(turns::add, 100, OverflowPolicy.BLOCK, (item, resume) -> {
            out.add(item);
            callbacks.add(resume); // finished later, by whoever calls it
            return false;
        }, dropped::add);
        lane.offer(1);
        lane.offer(2);
        turns.poll().run();
        assertThat(out).as("the second waits for the first's callback").containsExactly(1);
        assertThat(turns).isEmpty();
        callbacks.poll().run(); // on the same thread as the turn, but after the handler returned: a later completion
        assertThat(turns).as("the lane goes on in a new turn").hasSize(1);
        turns.poll().run();
        assertThat(out).containsExactly(1, 2);
    }
    @Test
    void putOrHandleHandlesTheItemOnTheCallingThreadWhenTheLaneIsIdle() throws Exception {
        java.util.ArrayDeque<Runnable> turns = new java.util.ArrayDeque<>();
        List<Thread> threads = new ArrayList<>();
        OrderedLane<Integer> lane = OrderedLane.async(turns::add, 100, OverflowPolicy.BLOCK, (item, resume) -> {
            if (item > 0) {
                threads.add(Thread.currentThread());
            }
            return true;
        }, dropped::add);
        assertThat(lane.putOrHandle(1, TimeUnit.SECONDS.toNanos(1))).isTrue();
        assertThat(threads).as("not proven quick yet: on the pool").isEmpty();
        assertThat(turns).hasSize(1);
        turns.poll().run();
        threads.clear();
        proveQuick(lane, turns);
        assertThat(lane.putOrHandle(1, TimeUnit.SECONDS.toNanos(1))).isTrue();
        assertThat(lane.putOrHandle(2, TimeUnit.SECONDS.toNanos(1))).isTrue();
        assertThat(threads).containsExactly(Thread.currentThread(), Thread.currentThread());
        assertThat(turns).as("no pool thread involved").isEmpty();
        assertThat(lane.inlineHandled()).isEqualTo(2);
        assertThat(lane.awaitIdle(1, TimeUnit.SECONDS)).isTrue();
        assertThat(lane.handled()).isEqualTo(OrderedLane.QUICK_STREAK + 3);
    }

    @Test
    void putOrHandleNeverOvertakesWhatWaits() throws Exception {
        java.util.ArrayDeque<Runnable> turns = new java.util.ArrayDeque<>();
        List<Integer> out = new ArrayList<>();
        OrderedLane<Integer> lane = OrderedLane.async(turns::add, 100, OverflowPolicy.BLOCK, (item, resume) -> {
            if (item > 0) {
                out.add(item);
            }
            return true;
        }, dropped::add);
        proveQuick(lane, turns);
        lane.offer(1); // waits for a pool thread
        assertThat(lane.putOrHandle(2, TimeUnit.SECONDS.toNanos(1))).isTrue();
        assertThat(out).as("2 waits behind 1").isEmpty();
        turns.poll().run();
        assertThat(out).containsExactly(1, 2);
        assertThat(lane.inlineHandled()).isZero();
        assertThat(lane.putOrHandle(3, TimeUnit.SECONDS.toNanos(1))).isTrue();
        assertThat(out).as("idle again: handled in place").containsExactly(1, 2, 3);
        assertThat(lane.inlineHandled()).isEqualTo(1);
    }

    @Test
    void aSlowItemHandledInPlaceSendsTheNextOnesToThePool() throws Exception {
        java.util.ArrayDeque<Runnable> turns = new java.util.ArrayDeque<>();
        List<Integer> out = new ArrayList<>();
        CountDownLatch never = new CountDownLatch(1);
        OrderedLane<Integer> lane = OrderedLane.async(turns::add, 100, OverflowPolicy.BLOCK, (item, resume) -> {
            if (item == 1) {
                try {
                    // a route that blocks: longer than the quick limit, bounded
                    assertThat(never.await(TimeUnit.NANOSECONDS.toMillis(OrderedLane.QUICK_NANOS) + 5,
                            TimeUnit.MILLISECONDS)).isFalse();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (item > 0) {
                out.add(item);
            }
            return true;
        }, dropped::add);
        proveQuick(lane, turns);
        lane.putOrHandle(1, TimeUnit.SECONDS.toNanos(1));
        assertThat(lane.slowInline()).isEqualTo(1);
        lane.putOrHandle(2, TimeUnit.SECONDS.toNanos(1));
        assertThat(out).as("2 goes to the pool during the pause").containsExactly(1);
        assertThat(turns).hasSize(1);
        turns.poll().run();
        assertThat(out).containsExactly(1, 2);
        assertThat(lane.inlineHandled()).isEqualTo(1);
    }

    @Test
    void aHandlerSlowOnThePoolNeverRunsInPlace() throws Exception {
        java.util.ArrayDeque<Runnable> turns = new java.util.ArrayDeque<>();
        CountDownLatch never = new CountDownLatch(1);
        OrderedLane<Integer> lane = OrderedLane.async(turns::add, 100, OverflowPolicy.BLOCK, (item, resume) -> {
            if (item == -OrderedLane.QUICK_STREAK) { // the last of the proof is slow
                try {
                    assertThat(never.await(TimeUnit.NANOSECONDS.toMillis(OrderedLane.QUICK_NANOS) + 5,
                            TimeUnit.MILLISECONDS)).isFalse();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        }, dropped::add);
        proveQuick(lane, turns);
        lane.putOrHandle(1, TimeUnit.SECONDS.toNanos(1));
        assertThat(lane.inlineHandled()).as("one slow item on the pool breaks the streak").isZero();
        assertThat(turns).hasSize(1);
    }

    @Test
    void anItemHandledInPlaceThatFinishesLaterHoldsTheLane() throws Exception {
        java.util.ArrayDeque<Runnable> turns = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Runnable> callbacks = new java.util.ArrayDeque<>();
        List<Integer> out = new ArrayList<>();
        OrderedLane<Integer> lane = OrderedLane.async(turns::add, 100, OverflowPolicy.BLOCK, (item, resume) -> {
            if (item < 0) {
                return true;
            }
            out.add(item);
            callbacks.add(resume);
            return false;
        }, dropped::add);
        proveQuick(lane, turns);
        lane.putOrHandle(1, TimeUnit.SECONDS.toNanos(1));
        lane.putOrHandle(2, TimeUnit.SECONDS.toNanos(1));
        assertThat(out).as("2 waits until 1 is finished").containsExactly(1);
        assertThat(lane.awaitIdle(10, TimeUnit.MILLISECONDS)).isFalse();
        Thread other = new Thread(() -> callbacks.poll().run()); // finished by whoever completes the route
        other.start();
        other.join(5_000);
        assertThat(turns).hasSize(1);
        turns.poll().run();
        assertThat(out).containsExactly(1, 2);
    }
    /** Handles QUICK_STREAK items on the (manual) pool, so that the lane's handler has proven quick. */
    private static void proveQuick(OrderedLane<Integer> lane, java.util.ArrayDeque<Runnable> turns) {
        for (int i = 0; i < OrderedLane.QUICK_STREAK; i++) {
            lane.offer(-1 - i);
            turns.poll().run();
        }
        assertThat(turns).isEmpty();
    }
}
