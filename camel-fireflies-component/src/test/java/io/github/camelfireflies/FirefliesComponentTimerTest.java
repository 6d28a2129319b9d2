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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The component's timer holds one heartbeat per live connection (and connect timeouts, reconnects, finality ticks,
 * polls): it must take more pending tasks than Camel's default thread pool profile lets a scheduled pool queue. With
 * that default, the 1,001st pending task was refused and the subscriptions beyond it never connected (found by the
 * 1,000-subscription benchmark).
 */
class FirefliesComponentTimerTest {

    @Test
    void theTimerTakesMoreTasksThanCamelsDefaultQueueLimit() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            int camelLimit = context.getExecutorServiceManager().getDefaultThreadPoolProfile().getMaxQueueSize();
            assertThat(camelLimit).as("Camel's default queue limit").isPositive();

            ScheduledExecutorService timer = context.getComponent("fireflies", FirefliesComponent.class).timer();
            List<ScheduledFuture<?>> pending = new ArrayList<>();
            for (int i = 0; i < 2 * camelLimit + 1; i++) {
                pending.add(timer.schedule(() -> {
                }, 1, TimeUnit.HOURS));
            }
            assertThat(pending).hasSize(2 * camelLimit + 1).noneMatch(ScheduledFuture::isDone);

            context.stop();
            assertThat(timer.isShutdown()).as("the timer ends with the component").isTrue();
        }
    }
}
