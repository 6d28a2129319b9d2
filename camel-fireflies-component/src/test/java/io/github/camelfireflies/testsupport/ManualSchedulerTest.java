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
package io.github.camelfireflies.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ManualSchedulerTest {

    private final ManualScheduler s = new ManualScheduler();
    private final List<String> ran = new ArrayList<>();

    @Test
    void tasksRunWhenTheClockPassesTheirTimeInTimeOrder() {
        s.schedule(() -> ran.add("b@20"), 20, TimeUnit.MILLISECONDS);
        s.schedule(() -> ran.add("a@10"), 10, TimeUnit.MILLISECONDS);
        s.schedule(() -> ran.add("c@20"), 20, TimeUnit.MILLISECONDS);
        s.advance(9, TimeUnit.MILLISECONDS);
        assertThat(ran).isEmpty();
        s.advance(11, TimeUnit.MILLISECONDS);
        assertThat(ran).containsExactly("a@10", "b@20", "c@20");
        assertThat(s.millis()).isEqualTo(20);
        assertThat(s.pending()).isZero();
    }

    @Test
    void aTaskScheduledByATaskRunsInTheSameAdvanceAtItsOwnTime() {
        s.schedule(() -> {
            ran.add("first@" + s.millis());
            s.schedule(() -> ran.add("second@" + s.millis()), 5, TimeUnit.MILLISECONDS);
        }, 10, TimeUnit.MILLISECONDS);
        s.advance(100, TimeUnit.MILLISECONDS);
        assertThat(ran).containsExactly("first@10", "second@15");
    }

    @Test
    void cancelledAndPeriodicTasks() {
        ScheduledFuture<?> cancelled = s.schedule(() -> ran.add("never"), 10, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> tick = s.scheduleAtFixedRate(() -> ran.add("tick@" + s.millis()), 0, 30, TimeUnit.MILLISECONDS);
        assertThat(s.nextDelayMillis()).isZero();
        assertThat(cancelled.cancel(false)).isTrue();
        s.advance(70, TimeUnit.MILLISECONDS);
        tick.cancel(false);
        s.advance(100, TimeUnit.MILLISECONDS);
        assertThat(ran).containsExactly("tick@0", "tick@30", "tick@60");
        assertThat(s.nextDelayMillis()).isEqualTo(-1);
    }
}
