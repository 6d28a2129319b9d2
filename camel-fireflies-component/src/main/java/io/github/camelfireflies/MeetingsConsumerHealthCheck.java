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

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of one discovery ({@code fireflies:meetings}) consumer: UP when the last poll of the meetings in progress
 * succeeded; DOWN before the first poll, after a failed poll (with its error and the delay before the next one), and
 * DOWN for good after the GraphQL API refused the key (polling stops until the route is restarted). The meetings
 * themselves are not part of it: one meeting that cannot be streamed is reported through the exception handler. Never
 * shows the API key (the GraphQL client removes it from every message).
 */
public class MeetingsConsumerHealthCheck extends FirefliesReadinessCheck {

    private final MeetingsConsumer consumer;

    public MeetingsConsumerHealthCheck(MeetingsConsumer consumer, String routeId) {
        super("fireflies-meetings-consumer", routeId);
        this.consumer = consumer;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("meetings.tracked", consumer.getMeetingsTracked());
        builder.detail("meetings.streaming", consumer.getMeetingsStreaming());
        builder.detail("polls", consumer.getPolls());
        builder.detail("polls.failed", consumer.getFailedPolls());
        builder.detail("events.delivered", consumer.getEventsDelivered());
        if (!consumer.isPollingStopped()) {
            builder.detail("next.poll.delay.ms", consumer.getNextPollDelay());
        }
        if (routeId != null) {
            builder.detail("route.id", routeId);
        }
        String error = consumer.getLastPollError();
        if (error != null) {
            builder.detail("last.poll.error", error);
        }

        if (consumer.isPollingStopped()) {
            builder.down();
            builder.detail("final", true);
            builder.message("Not polling the meetings in progress until the route is restarted: " + error);
        } else if (error != null) {
            builder.down();
            builder.message("The last poll of the meetings in progress failed: " + error + "; next poll in "
                            + consumer.getNextPollDelay() + " ms");
        } else if (consumer.getPolls() == 0) {
            builder.down();
            builder.message("Waiting for the first poll of the meetings in progress");
        } else {
            builder.up();
        }
    }
}
