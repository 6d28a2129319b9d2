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

import io.github.camelfireflies.internal.stream.StreamStats;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of one live consumer: UP while connected; DOWN while connecting or waiting to reconnect (with the
 * attempt number and the last error), and DOWN for good after an authentication failure or when the server ended the
 * session. Never shows the API key.
 */
final class LiveHealthCheck extends FirefliesReadinessCheck {

    private final Supplier<StreamStats> stats;

    LiveHealthCheck(String routeId, Supplier<StreamStats> stats) {
        super("fireflies-consumer", routeId);
        this.stats = stats;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        StreamStats s = stats.get();
        if (routeId != null) {
            builder.detail("route.id", routeId);
        }
        if (s == null) {
            builder.detail("state", "NEW");
            down(builder, "Not started", null, null);
            return;
        }
        builder.detail("transcript.id", s.transcriptId());
        builder.detail("url", s.url());
        builder.detail("state", s.state().name());
        builder.detail("events.received", s.eventsReceived());
        builder.detail("events.delivered", s.delivered());
        builder.detail("events.dropped", s.dropped());
        builder.detail("route.stalls", s.stalls());
        builder.detail("reconnects", s.reconnects());
        builder.detail("backfill.calls", s.backfillCalls());
        builder.detail("backfill.events", s.backfilled());
        budgetDetails(builder);
        if (s.lastEventMillis() > 0) {
            builder.detail("last.event.age.ms", System.currentTimeMillis() - s.lastEventMillis());
        }
        switch (s.state()) {
            case CONNECTED -> builder.up();
            case ENDED -> {
                builder.detail("final", true);
                down(builder, "Not receiving and not retrying: the server ended the session of transcript "
                              + s.transcriptId() + " (the meeting is probably over); restart the route, or set"
                              + " reconnectOnServerDisconnect=true, to subscribe again",
                        s.lastError() != null ? s.lastError() : "Server ended the session", s.fatal());
            }
            case FAILED -> {
                builder.detail("final", true);
                String error = s.lastError() != null ? s.lastError() : "failed";
                down(builder, "Not receiving and not retrying: " + error, error, s.fatal());
            }
            default -> {
                builder.detail("failed.attempts", s.failedAttempts());
                down(builder, s.failedAttempts() == 0
                        ? "Connecting to transcript " + s.transcriptId()
                        : "Reconnecting to transcript " + s.transcriptId() + " (attempt " + s.failedAttempts()
                          + "), last error: " + s.lastError(),
                        s.lastError(), null);
            }
        }
    }
}
