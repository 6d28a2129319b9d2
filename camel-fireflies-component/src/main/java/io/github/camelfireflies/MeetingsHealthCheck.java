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
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of one discovery ({@code fireflies:meetings}) consumer: UP when the last poll of the meetings in progress
 * succeeded; DOWN before the first poll, after a failed poll (with its error and the delay before the next one), and
 * DOWN for good after the GraphQL API refused the key (polling stops until the route is restarted). The meetings
 * themselves are not part of it: one meeting that cannot be streamed is reported through the exception handler. Never
 * shows the API key (the GraphQL client removes it from every message).
 */
final class MeetingsHealthCheck extends FirefliesReadinessCheck {

    private final Supplier<MeetingsStats> stats;

    MeetingsHealthCheck(String routeId, Supplier<MeetingsStats> stats) {
        super("fireflies-meetings-consumer", routeId);
        this.stats = stats;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        MeetingsStats s = stats.get();
        builder.detail("meetings.tracked", s.tracked());
        builder.detail("meetings.streaming", s.streaming());
        builder.detail("polls", s.polls());
        builder.detail("polls.failed", s.failedPolls());
        builder.detail("events.delivered", s.delivered());
        builder.detail("backfill.calls", s.backfillCalls());
        builder.detail("backfill.events", s.backfilled());
        budgetDetails(builder);
        if (!s.pollingStopped()) {
            builder.detail("next.poll.delay.ms", s.nextPollDelay());
        }
        if (routeId != null) {
            builder.detail("route.id", routeId);
        }
        String error = s.lastPollError();
        if (error != null) {
            builder.detail("last.poll.error", error);
        }
        builder.detail("meetings.unfinished", s.unfinished());
        builder.detail("meetings.given.up", s.givenUp());
        builder.detail("segments.held", s.segmentsHeld());
        if (s.repositoryError() != null) {
            builder.detail("idempotent.repository.error", s.repositoryError());
        }

        if (s.pollingStopped()) {
            builder.detail("final", true);
            down(builder, "Not polling the meetings in progress until the route is restarted: " + error, error,
                    s.lastPollFailure());
        } else if (error != null) {
            down(builder, "The last poll of the meetings in progress failed: " + error + "; next poll in "
                          + s.nextPollDelay() + " ms", error, s.lastPollFailure());
        } else if (s.repositoryError() != null) {
            down(builder, "The idempotent repository fails: " + s.repositoryError() + "; " + s.segmentsHeld()
                          + " segment(s) wait for it, tried again", s.repositoryError(), null);
        } else if (s.polls() == 0) {
            down(builder, "Waiting for the first poll of the meetings in progress", null, null);
        } else {
            builder.up();
        }
    }
}
