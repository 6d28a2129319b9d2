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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.camelfireflies.api.ActiveMeeting;
import io.github.camelfireflies.api.FirefliesEvents;
import io.github.camelfireflies.api.LiveTranscript;
import io.github.camelfireflies.api.TranscriptSentence;
import io.github.camelfireflies.internal.stream.ChunkTracker;
import io.github.camelfireflies.internal.stream.RealtimeEvent;
import io.github.camelfireflies.internal.stream.SegmentKey;
import io.github.camelfireflies.testsupport.CapturingExceptionHandler;
import io.github.camelfireflies.testsupport.LogCapture;
import io.github.camelfireflies.testsupport.ManualScheduler;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MeetingCompletion} on a manual clock and scheduler (no started CamelContext, no real time): a taker whose
 * {@code transcript(id)} fails and then answers completes the meeting once; one whose calls keep failing gives up after
 * {@link MeetingRoster#COMPLETION_TIMEOUT_MILLIS} with one WARN line, counted, and records nothing.
 */
class MeetingCompletionTest {

    private static final ActiveMeeting MEETING = new ActiveMeeting("mc-1", "Weekly", null, null, null, null, null,
            null);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final MemoryIdempotentRepository repository = new MemoryIdempotentRepository();
    private final EmittedSegments emitted = new EmittedSegments(repository, "test");
    private final CapturingExceptionHandler errors = new CapturingExceptionHandler();
    private final DefaultConsumer consumer = new RunningConsumer(errors);
    /** "segment text" of every segment routed, and "ended" for meeting.ended. */
    private final List<String> routed = new CopyOnWriteArrayList<>();
    private final AtomicInteger done = new AtomicInteger();

    private static TranscriptSentence sentence(int i) {
        return new TranscriptSentence(i, "Sentence " + i, "Sentence " + i, "Speaker " + (i % 2), i % 2, i * 2.0,
                i * 2.0 + 1.5);
    }

    private static LiveTranscript finished() {
        return new LiveTranscript(MEETING.id(), false, 0L, List.of(sentence(0), sentence(1), sentence(2)));
    }

    /** Routes as the consumer does: a segment recorded before is skipped, a routed one is recorded. */
    private final MeetingRoster.Router router = new MeetingRoster.Router() {
        @Override
        public boolean route(ActiveMeeting meeting, RealtimeEvent event, ChunkTracker.Emission emission,
                             Runnable whenDone) {
            String key = SegmentKey.of(meeting.id(), emission.event()).key();
            if (!repository.contains(key)) {
                routed.add(emission.event().text());
                repository.add(key);
            }
            return true;
        }

        @Override
        public boolean routeLifecycle(String name, ActiveMeeting meeting, Runnable whenDone) {
            if (FirefliesEvents.MEETING_ENDED.equals(name)) {
                routed.add("ended");
            }
            return true;
        }

        @Override
        public void report(String message, Throwable error) {
            errors.handleException(message, error);
        }
    };

    private MeetingCompletion completion(Function<String, CompletableFuture<LiveTranscript>> fetcher) {
        return new MeetingCompletion(consumer, emitted, router, fetcher, true, scheduler, scheduler,
                scheduler::nanoTime);
    }

    @Test
    void aFetchThatFailsIsTriedAgainAfterItsWaitAndTheMeetingIsCompletedOnce() {
        AtomicInteger calls = new AtomicInteger();
        MeetingCompletion completion = completion(id -> calls.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new IllegalStateException("HTTP 503"))
                : CompletableFuture.completedFuture(finished()));

        completion.takeOver(MEETING, done::incrementAndGet);
        scheduler.runDue();
        assertThat(calls).hasValue(1);
        assertThat(routed).isEmpty();
        assertThat(done).hasValue(0);

        scheduler.advance(MeetingCompletion.FIRST_RETRY_MILLIS - 1, TimeUnit.MILLISECONDS);
        assertThat(calls).as("not tried again before its wait").hasValue(1);
        scheduler.advance(1, TimeUnit.MILLISECONDS);
        assertThat(calls).hasValue(2);
        assertThat(routed).containsExactly("Sentence 0", "Sentence 1", "Sentence 2", "ended");
        assertThat(repository.contains(SegmentKey.completionKey(MEETING.id()))).isTrue();
        assertThat(done).hasValue(1);
        assertThat(completion.recorded()).isEqualTo(1);
        assertThat(completion.takenOver()).isEqualTo(1);
        assertThat(completion.calls()).isEqualTo(2);
        assertThat(completion.gaveUp()).isZero();

        // another member that leads the view later finds the record: no call, nothing routed again
        completion.takeOver(MEETING, done::incrementAndGet);
        scheduler.advance(MeetingRoster.COMPLETION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(calls).hasValue(2);
        assertThat(routed).containsExactly("Sentence 0", "Sentence 1", "Sentence 2", "ended");
        assertThat(done).hasValue(2);
        assertThat(completion.recorded()).isEqualTo(1);
        assertThat(scheduler.pending()).isZero();
        assertThat(errors.errors()).isEmpty();
    }

    @Test
    void aFetchThatKeepsFailingGivesUpAfterTheBoundWithOneWarnLineCountedAndNothingRecorded() {
        AtomicInteger calls = new AtomicInteger();
        MeetingCompletion completion = completion(id -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("HTTP 502"));
        });
        List<String> warnings;
        try (LogCapture log = LogCapture.start()) {
            completion.takeOver(MEETING, done::incrementAndGet);
            scheduler.advance(MeetingRoster.COMPLETION_TIMEOUT_MILLIS - 1, TimeUnit.MILLISECONDS);
            assertThat(completion.gaveUp()).as("not before the bound").isZero();
            assertThat(done).hasValue(0);
            scheduler.advance(MeetingCompletion.MAX_RETRY_MILLIS + 1, TimeUnit.MILLISECONDS);
            // nothing more is scheduled after the give-up, however long the clock runs
            scheduler.advance(10 * MeetingRoster.COMPLETION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            warnings = new ArrayList<>(log.linesContaining(" WARN ").stream()
                    .filter(l -> l.contains(MeetingCompletion.class.getName())).toList());
        }
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains(MEETING.id()).contains("giving up");
        assertThat(completion.gaveUp()).isEqualTo(1);
        assertThat(completion.recorded()).isZero();
        assertThat(completion.takenOver()).isZero();
        assertThat(repository.contains(SegmentKey.completionKey(MEETING.id()))).isFalse();
        assertThat(routed).isEmpty();
        assertThat(done).hasValue(1);
        assertThat(scheduler.pending()).isZero();
        // 1 s doubling up to 30 s within 5 minutes: a bounded number of calls
        assertThat(calls.get()).isBetween(2, 20);
        assertThat(completion.calls()).isEqualTo(calls.get());
    }

    /** A consumer that counts as running, on an endpoint that does nothing. */
    private static final class RunningConsumer extends DefaultConsumer {

        RunningConsumer(CapturingExceptionHandler handler) {
            super(new NoEndpoint(), exchange -> {
            });
            setExceptionHandler(handler);
        }

        @Override
        public boolean isRunAllowed() {
            return true;
        }
    }

    /** DefaultConsumer asks its endpoint for a context: one that is never started. */
    private static final class NoEndpoint extends DefaultEndpoint {

        NoEndpoint() {
            setCamelContext(new DefaultCamelContext());
        }

        @Override
        protected String createEndpointUri() {
            return "fireflies:meetings";
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException();
        }
    }
}
