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

import java.util.concurrent.TimeUnit;

import org.apache.camel.Consumer;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule of the polling consumers ({@code fireflies:meetings}, {@code fireflies:transcripts}): the endpoint's
 * ScheduledPollEndpoint options ({@code delay}, {@code initialDelay}, {@code backoffMultiplier}, {@code scheduler},
 * ...), with this component's defaults where {@code delay} or {@code initialDelay} are not set, and the deprecated
 * {@code pollInterval} mapped onto {@code delay} ({@code delay} wins when both are set).
 * <p>
 * Defaults: {@code meetings} polls every 60 s from the start; in webhook mode the poll is a safety net every hour, off
 * with {@code startScheduler=false} (or the deprecated {@code pollInterval=0}); {@code transcripts} polls every 5
 * minutes, the first poll after 1 s.
 */
final class PollSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(PollSchedule.class);

    private PollSchedule() {
    }

    /**
     * How often the meetings consumer polls, in milliseconds; 0 when it does not (webhook mode only).
     *
     * @param webhooks whether webhooks drive it ({@code webhookPath} or {@code webhook:fireflies:meetings})
     */
    @SuppressWarnings("deprecation")
    static long meetingsInterval(FirefliesEndpoint endpoint, boolean webhooks) {
        FirefliesConfiguration c = endpoint.getConfiguration();
        long interval;
        if (endpoint.getDelay() >= 0) {
            interval = endpoint.getTimeUnit().toMillis(endpoint.getDelay());
            if (c.isPollIntervalSet() && c.getPollInterval() != interval) {
                LOG.warn("fireflies:meetings has both delay ({} ms) and the deprecated pollInterval ({} ms): delay wins",
                        interval, c.getPollInterval());
            }
            if (interval <= 0) {
                throw new IllegalArgumentException("fireflies:meetings: delay must be positive, was "
                                                   + endpoint.getDelay() + " (startScheduler=false turns the safety-net"
                                                   + " poll of the webhook mode off)");
            }
        } else if (c.isPollIntervalSet()) {
            interval = c.getPollInterval();
            if (interval <= 0 && !webhooks) {
                throw new IllegalArgumentException("fireflies:meetings polls: pollInterval must be positive, was "
                                                   + interval + " (0 turns polling off only with webhooks: webhookPath,"
                                                   + " or webhook:fireflies:meetings, which meeting.bot_joined drives)");
            }
        } else {
            interval = webhooks ? FirefliesConfiguration.WEBHOOK_POLL_INTERVAL
                    : FirefliesConfiguration.DEFAULT_POLL_INTERVAL;
        }
        return webhooks && !endpoint.isStartScheduler() ? 0 : Math.max(0, interval);
    }

    /**
     * After ScheduledPollEndpoint configured the consumer: this component's defaults where the options are not set, in
     * milliseconds.
     */
    static void apply(FirefliesEndpoint endpoint, Consumer consumer) {
        if (consumer instanceof MeetingsConsumer m) {
            if (m.isGreedy() || m.isSendEmptyMessageWhenIdle()) {
                // a poll routes no exchange of its own, and a greedy one would spend the rate limit at once
                throw new IllegalArgumentException("fireflies:meetings does not support greedy or"
                                                   + " sendEmptyMessageWhenIdle: its exchanges come from the meetings'"
                                                   + " streams, not from the poll");
            }
            long interval = m.settings().pollInterval();
            m.setTimeUnit(TimeUnit.MILLISECONDS);
            m.setDelay(Math.max(1, interval));
            m.setInitialDelay(millis(endpoint, endpoint.getInitialDelay(), 0));
            if (!m.settings().polling()) {
                m.setStartScheduler(false); // webhooks only: no poll ever runs
            }
        } else if (consumer instanceof TranscriptsConsumer t) {
            schedule(endpoint, t, TranscriptsConfiguration.DEFAULT_DELAY, 1000);
        }
    }

    private static void schedule(FirefliesEndpoint endpoint, ScheduledPollConsumer c, long delay, long initialDelay) {
        long d = millis(endpoint, endpoint.getDelay(), delay);
        if (d <= 0) {
            throw new IllegalArgumentException("delay must be positive, was " + endpoint.getDelay());
        }
        c.setTimeUnit(TimeUnit.MILLISECONDS);
        c.setDelay(d);
        c.setInitialDelay(millis(endpoint, endpoint.getInitialDelay(), initialDelay));
    }

    private static long millis(FirefliesEndpoint endpoint, long value, long ifNotSet) {
        return value < 0 ? ifNotSet : endpoint.getTimeUnit().toMillis(value);
    }
}
