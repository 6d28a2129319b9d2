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

import io.github.camelfireflies.realtime.FirefliesException;
import io.github.camelfireflies.realtime.FirefliesRealtimeClient;
import io.github.camelfireflies.socketio.SocketIoSession;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of one live consumer: UP while connected; DOWN while connecting or waiting to reconnect (with the
 * attempt number and the last error), and DOWN for good after an authentication failure or when the server ended the
 * session. Never shows the API key.
 */
public class FirefliesConsumerHealthCheck extends FirefliesReadinessCheck {

    private final FirefliesConsumer consumer;

    public FirefliesConsumerHealthCheck(FirefliesConsumer consumer, String routeId) {
        super("fireflies-consumer", routeId);
        this.consumer = consumer;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        FirefliesRealtimeClient client = consumer.client();
        SocketIoSession.State state = client == null ? SocketIoSession.State.NEW : client.session().state();
        builder.detail("transcript.id", consumer.getTranscriptId());
        builder.detail("state", state.name());
        builder.detail("events.received", consumer.getEventsReceived());
        builder.detail("events.delivered", consumer.getEventsDelivered());
        builder.detail("events.dropped", consumer.getEventsDropped());
        builder.detail("reconnects", consumer.getReconnects());
        long last = consumer.lastEventMillis();
        if (last > 0) {
            builder.detail("last.event.age.ms", System.currentTimeMillis() - last);
        }
        if (routeId != null) {
            builder.detail("route.id", routeId);
        }
        if (client != null) {
            builder.detail("url", client.options().uri().toString());
        }

        FirefliesException fatal = consumer.getFatalError();
        switch (state) {
            case CONNECTED:
                builder.up();
                return;
            case FAILED:
            case ENDED:
                builder.down();
                builder.message("Not receiving and not retrying: "
                                + (fatal != null ? fatal.getMessage() : consumer.getLastError()));
                builder.detail("final", true);
                return;
            default:
                builder.down();
                int attempts = consumer.getFailedAttempts();
                builder.message(attempts == 0
                        ? "Connecting to transcript " + consumer.getTranscriptId()
                        : "Reconnecting to transcript " + consumer.getTranscriptId() + " (attempt " + attempts
                          + "), last error: " + consumer.getLastError());
                builder.detail("failed.attempts", attempts);
                if (consumer.getLastError() != null) {
                    builder.detail("last.error", consumer.getLastError());
                }
        }
    }
}
