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

import io.github.camelfireflies.api.OverflowPolicy;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, ordered hand-off from an I/O thread to a shared worker pool: items offered in order are handled one at a
 * time, in that order, on whichever pool thread is free. Many lanes share one pool, so a thousand meetings need no
 * thousand threads. {@link #offer} never blocks: when the lane is full the {@link OverflowPolicy} decides what is
 * dropped, and every drop is counted. With {@link OverflowPolicy#BLOCK} nothing is dropped: {@link #put} waits, bounded,
 * for room (backpressure for the thread that reads the socket), and {@link #offer} admits an item over the capacity.
 * <p>
 * A {@link Handler} may finish an item later, on another thread (an asynchronous route): the lane then holds its turn,
 * handles nothing else, and goes on, on a pool thread, once the handler calls the resume callback it was given.
 * <p>
 * Long because its three ways in ({@link #offer}, {@link #put} and {@link #putOrHandle}, which may handle an item on
 * the caller's thread) share one turn, taken and given back without a lock: they are read and checked together.
 *
 * @param <T> the item type
 */
public final class OrderedLane<T> {

    /** What a full lane does with a new item. */
    /** Handles one item, now or later. */
    @FunctionalInterface
    public interface Handler<T> {

        /**
         * @param  item   the item
         * @param  resume to call exactly once when the item was finished asynchronously; never when this returns true
         * @return        true when the item was finished before returning; false when {@code resume} will be called
         */
        boolean handle(T item, Runnable resume);
    }

    private static final Logger LOG = LoggerFactory.getLogger(OrderedLane.class);

    /** How many items one turn on a pool thread handles before it yields the thread to other lanes. */
    static final int BATCH = 256;

    /** {@link #putOrHandle}: an item handled in place for longer than this sends the next ones to the pool a while. */
    public static final long QUICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** {@link #putOrHandle}: how many quick items in a row on the pool come before the first one handled in place. */
    public static final int QUICK_STREAK = 64;
    static final long FIRST_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long MAX_PAUSE_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong inlineHandled = new AtomicLong();
    private final AtomicLong slowInline = new AtomicLong();
    /** {@link #putOrHandle}: until when items go to the pool after a slow one (System.nanoTime). */
    private volatile long inlineAgainAt = System.nanoTime();
    /** When the item being handled in place by {@link #putOrHandle} started (System.nanoTime), or 0. */
    private volatile long inlineSince;
    /** Quick items handled in a row, up to {@link #QUICK_STREAK}; written by the turn's holder only. */
    private volatile int quickStreak;
    /** The current pause after a slow item handled in place; written by the turn's holder only. */
    private long inlinePause;
    private final Executor executor;
    private final int capacity;
    /** A producer waiting for room in {@link #put} goes on once no more than this many wait. */
    private final int resumeAt;
    private final OverflowPolicy policy;
    private final Handler<T> handler;
    private final Consumer<T> onDrop;
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();
    private final Condition room = idleLock.newCondition();
    // how many producers wait in put(): the handler signals room only when someone waits
    private final AtomicInteger waiting = new AtomicInteger();
    // the thread handling this lane's items now, which must never wait for room in its own lane
    private volatile Thread drainer;
    private volatile boolean closed;

    /**
     * @param executor the shared pool the items are handled on
     * @param capacity how many items may wait
     * @param policy   what to drop when full
     * @param handler  handles one item, synchronously; must not throw (exceptions are caught and lost otherwise)
     * @param onDrop   told of each dropped item, on the offering thread; must not block
     */
    public OrderedLane(Executor executor, int capacity, OverflowPolicy policy, Consumer<T> handler, Consumer<T> onDrop) {
        this(executor, capacity, policy, (Handler<T>) (item, resume) -> {
            handler.accept(item);
            return true;
        }, onDrop);
    }

    /**
     * A lane whose handler may finish an item later (see {@link Handler}).
     *
     * @param executor the shared pool the items are handled on
     * @param capacity how many items may wait
     * @param policy   what to drop when full
     * @param handler  handles one item, now or later; must not throw (exceptions are caught and lost otherwise)
     * @param onDrop   told of each dropped item, on the offering thread; must not block
     */
    public static <T> OrderedLane<T> async(Executor executor, int capacity, OverflowPolicy policy, Handler<T> handler,
                                           Consumer<T> onDrop) {
        return new OrderedLane<>(executor, capacity, policy, handler, onDrop);
    }

    private OrderedLane(Executor executor, int capacity, OverflowPolicy policy, Handler<T> handler, Consumer<T> onDrop) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.executor = Objects.requireNonNull(executor, "executor");
        this.capacity = capacity;
        this.resumeAt = capacity - Math.max(1, capacity / 4);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.onDrop = Objects.requireNonNull(onDrop, "onDrop");
    }

    /**
     * Adds an item without blocking.
     *
     * @return false when the item (or an older one) was dropped because the lane was full, or the lane is closed
     */
    public boolean offer(T item) {
        if (closed) {
            return false;
        }
        boolean accepted = true;
        if (size.incrementAndGet() > capacity && policy != OverflowPolicy.BLOCK) {
            if (policy == OverflowPolicy.DROP_NEWEST) {
                size.decrementAndGet();
                dropped.incrementAndGet();
                onDrop.accept(item);
                return false;
            }
            T oldest = queue.poll();
            if (oldest != null) {
                size.decrementAndGet();
                dropped.incrementAndGet();
                onDrop.accept(oldest);
                accepted = false;
            }
        }
        queue.add(item);
        schedule();
        return accepted;
    }

    /**
     * Adds an item, waiting while the lane is full ({@link OverflowPolicy#BLOCK}); with a dropping policy the same as
     * {@link #offer}. The wait is bounded: when the timeout passes the item is added anyway, over the capacity, and
     * false tells the caller to stop producing (for a socket reader: to let its connection go). Never waits on the
     * thread that is handling this lane's items. A wait for room lasts until a quarter of the capacity has drained (at
     * least one item), so that a producer faster than the handler is woken once per quarter, not once per item.
     *
     * @return true when the item was added within the capacity; false when the timeout passed, or the lane is closed
     */
    public boolean put(T item, long timeoutNanos) throws InterruptedException {
        if (policy != OverflowPolicy.BLOCK) {
            return offer(item);
        }
        if (closed) {
            return false;
        }
        boolean inTime = size.get() < capacity || Thread.currentThread() == drainer || awaitRoom(timeoutNanos);
        return offer(item) && inTime;
    }

    /**
     * Handles the item on the calling thread, now, when nothing waits in the lane, no item is being handled, and the
     * handler has proven quick: the last {@link #QUICK_STREAK} items took at most {@link #QUICK_NANOS} each; otherwise
     * the same as {@link #put}. Order holds either way: an item is only handled here when it is the next one. So a
     * handler that is slow from the start (it calls out, it blocks) never runs here; one that turns slow keeps the
     * calling thread for that one item, after which the next items go to the pool until {@link #QUICK_STREAK} of them
     * were quick again, and for a pause at least (1 s, doubling up to 5 min while the item tried after a pause is slow
     * too). An item finished asynchronously holds the lane as in {@link #drain}; what arrives meanwhile waits and goes
     * to the pool.
     *
     * @return as {@link #put}
     */
    public boolean putOrHandle(T item, long timeoutNanos) throws InterruptedException {
        if (closed) {
            return false;
        }
        if (quickStreak < QUICK_STREAK || System.nanoTime() - inlineAgainAt < 0 || !queue.isEmpty()
            || !scheduled.compareAndSet(false, true)) {
            return put(item, timeoutNanos);
        }
        if (!queue.isEmpty()) { // offered by another thread just now: it goes first, on the pool
            size.incrementAndGet();
            queue.add(item);
            endTurn();
            return true;
        }
        Thread previous = drainer;
        drainer = Thread.currentThread();
        long started = System.nanoTime();
        inlineSince = started;
        boolean sync;
        Completion completion = new Completion();
        try {
            sync = handler.handle(item, completion);
        } catch (RuntimeException e) {
            sync = true; // the handler reports its own errors
        } finally {
            inlineSince = 0;
            drainer = previous;
        }
        handled.incrementAndGet();
        inlineHandled.incrementAndGet();
        long took = System.nanoTime() - started;
        if (took > QUICK_NANOS) {
            inlinePause = inlinePause == 0 ? FIRST_PAUSE_NANOS : Math.min(MAX_PAUSE_NANOS, inlinePause * 2);
            inlineAgainAt = System.nanoTime() + inlinePause;
            quickStreak = 0;
            slowInline.incrementAndGet();
        } else {
            inlinePause = 0; // quick again (a pause, a garbage collection or a compilation made the last one slow)
        }
        if (sync || completion.returned()) {
            endTurn();
        }
        return true;
    }

    private boolean awaitRoom(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        idleLock.lock();
        try {
            waiting.incrementAndGet();
            // the handler reads waiting after it took an item; this reads size after waiting was raised: no lost signal.
            // Once full, it waits until a quarter has drained: one wake-up per quarter, not one per item taken
            while (size.get() > resumeAt && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                room.awaitNanos(left);
            }
            return true;
        } finally {
            waiting.decrementAndGet();
            idleLock.unlock();
        }
    }

    private void signalRoom() {
        if (waiting.get() > 0) {
            idleLock.lock();
            try {
                room.signalAll();
            } finally {
                idleLock.unlock();
            }
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                if (executor instanceof ExecutorService pool && !pool.isShutdown()) {
                    // a running pool that refuses (a bounded queue): what waits stays queued, the next offer tries again
                    long n = refusals.incrementAndGet();
                    if (n == 1 || n % 1000 == 0) {
                        LOG.warn("The worker pool refused to run a lane ({} times so far: {}); its events wait until it"
                                 + " accepts one. Give it a queue that is not bounded.", n, e.getMessage());
                    }
                    return;
                }
                // pool shut down: what waits is lost with it
                closed = true;
                signalIdle();
                signalRoom();
            }
        }
    }

    private void drain() {
        boolean pending = false;
        drainer = Thread.currentThread();
        try {
            for (int n = 0; n < BATCH; n++) {
                T item = queue.poll();
                if (item == null) {
                    break;
                }
                if (size.decrementAndGet() <= resumeAt) {
                    signalRoom();
                }
                boolean sync;
                Completion completion = new Completion();
                long started = System.nanoTime();
                try {
                    sync = handler.handle(item, completion);
                } catch (RuntimeException e) {
                    sync = true; // the handler reports its own errors; never let one kill the lane
                }
                timed(System.nanoTime() - started);
                handled.incrementAndGet();
                if (!sync && !completion.returned()) {
                    pending = true; // the turn stays ours until resume()
                    return;
                }
            }
        } finally {
            drainer = null;
            if (!pending) {
                endTurn();
            }
        }
    }

    /**
     * The resume callback of one item. Camel's routing engine reports most routes as finished asynchronously even when
     * they ran to their end on the calling thread, within the call: it calls back before {@code process} returns false.
     * Such an item is finished when its handler returns, and this turn goes on with the next item on the same thread,
     * instead of handing the lane to another pool thread (a wake-up and a thread switch per item). Only the thread that
     * called the handler, while the handler runs, can mark it so; a call from any other thread, or later, resumes.
     */
    private final class Completion implements Runnable {

        private final Thread caller = Thread.currentThread();
        /** Written and read by {@link #caller} only. */
        private boolean handling = true;
        private boolean returnedWithin;

        @Override
        public void run() {
            if (Thread.currentThread() == caller && handling) {
                returnedWithin = true;
            } else {
                resume();
            }
        }

        /** Called once by {@link #caller} after the handler returned false: whether it had already called back. */
        boolean returned() {
            handling = false;
            return returnedWithin;
        }
    }

    /** Counts the quick items handled on the pool in a row (for {@link #putOrHandle}); on the turn's holder. */
    private void timed(long tookNanos) {
        int streak = quickStreak;
        if (tookNanos > QUICK_NANOS) {
            quickStreak = 0;
        } else if (streak < QUICK_STREAK) {
            quickStreak = streak + 1;
        }
    }

    /** An item finished asynchronously: go on with the next ones on a pool thread. */
    private void resume() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // no pool thread: end the turn here; the next offer (or nothing, when shut down) goes on
            endTurn();
        }
    }

    private void endTurn() {
        scheduled.set(false);
        if (!queue.isEmpty()) {
            schedule();
        } else {
            signalIdle();
        }
    }

    private void signalIdle() {
        idleLock.lock();
        try {
            idle.signalAll();
        } finally {
            idleLock.unlock();
        }
    }

    /**
     * Waits until every item offered so far has been handled, or the timeout passes.
     *
     * @return true when the lane is empty and idle
     */
    public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        idleLock.lock();
        try {
            while (!isIdle()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } finally {
            idleLock.unlock();
        }
    }

    private boolean isIdle() {
        return (queue.isEmpty() && !scheduled.get()) || (closed && !scheduled.get());
    }

    /** Refuses further items; what waits is still handled unless {@link #clear()} is called. */
    public void close() {
        closed = true;
        signalRoom();
    }

    /** Drops what waits, counting it as dropped. */
    public int clear() {
        int n = 0;
        while (queue.poll() != null) {
            size.decrementAndGet();
            n++;
        }
        dropped.addAndGet(n);
        signalIdle();
        signalRoom();
        return n;
    }

    public boolean isClosed() {
        return closed;
    }

    public int size() {
        return Math.max(0, size.get());
    }

    public int capacity() {
        return capacity;
    }

    public long dropped() {
        return dropped.get();
    }

    public long handled() {
        return handled.get();
    }

    /** When the item being handled in place by {@link #putOrHandle} started ({@link System#nanoTime}), or 0. */
    public long inlineSince() {
        return inlineSince;
    }

    /** Items handled on the offering thread by {@link #putOrHandle}. */
    public long inlineHandled() {
        return inlineHandled.get();
    }

    /** Items handled by {@link #putOrHandle} that took longer than {@link #QUICK_NANOS}. */
    public long slowInline() {
        return slowInline.get();
    }

    /** How many times a running pool refused to run this lane. */
    public long refusals() {
        return refusals.get();
    }
}
