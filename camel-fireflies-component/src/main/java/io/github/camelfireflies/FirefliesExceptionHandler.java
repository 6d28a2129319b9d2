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

import java.io.IOException;

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.FirefliesException;
import io.github.camelfireflies.api.FirefliesException.BackfillException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.support.LoggingExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exception handler every {@code fireflies} consumer starts with, in place of Camel's
 * {@link LoggingExceptionHandler}: the one place that knows which failures are expected in operation (a rejected key,
 * attempts exhausted, a rate limit, a backfill that finds the meeting no longer live, a full queue, a skipped event)
 * and logs each of them as one line, naming the meeting and what to do, with the stack trace at DEBUG. Anything else
 * (a failed exchange, a bug) is logged as Camel does: WARN with the stack trace.
 * <p>
 * It is only the default: an {@code exceptionHandler} of the user's, or {@code bridgeErrorHandler=true}, replaces it
 * (Camel's {@code configureConsumer}), and then every failure goes to that handler and is not logged here.
 */
public class FirefliesExceptionHandler extends LoggingExceptionHandler {

    /** How an expected failure is logged: its level and what to do about it (may be empty). */
    record Expected(LoggingLevel level, String hint) {
    }

    private final Logger log;

    public FirefliesExceptionHandler(CamelContext camelContext, Class<?> ownerType) {
        super(camelContext, ownerType);
        this.log = LoggerFactory.getLogger(ownerType);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        Expected expected = exchange == null ? classify(exception) : null;
        if (expected == null) {
            super.handleException(message, exchange, exception);
            return;
        }
        String line = message == null || message.isBlank() ? String.valueOf(exception.getMessage()) : message;
        if (!expected.hint().isEmpty() && !line.contains(expected.hint())) {
            line = line + ". " + expected.hint();
        }
        switch (expected.level()) {
            case ERROR -> log.error(line);
            case WARN -> log.warn(line);
            case INFO -> log.info(line);
            default -> log.debug(line);
        }
        if (log.isDebugEnabled()) {
            log.debug("Stack trace of: {}", line, exception);
        }
    }

    /** Whether a failure reported by a consumer is expected in operation, and how to log it; null when it is not. */
    static Expected classify(Throwable e) {
        if (e instanceof FirefliesException.AuthenticationException) {
            return new Expected(LoggingLevel.WARN,
                    "Set a valid apiKey (camel.component.fireflies.api-key) and restart the route");
        }
        if (e instanceof BackfillException b) {
            return switch (b.getReason()) {
                case NOT_LIVE -> new Expected(LoggingLevel.INFO,
                        "The meeting is over or no longer live: nothing to do, this stream fetches no more");
                case REFUSED -> new Expected(LoggingLevel.WARN,
                        "The GraphQL API refused the apiKey: check it (or set backfill=none); live events go on");
                case RATE_LIMITED -> new Expected(LoggingLevel.WARN,
                        "The GraphQL API's rate limit: wait, use a plan with a higher limit, or set backfill=none");
                case FAILED -> b.getCause() == null || b.getCause() instanceof GraphQLException
                               || b.getCause() instanceof IOException
                        ? new Expected(LoggingLevel.WARN, "Check graphqlUrl and the network; live events go on")
                        : null;
            };
        }
        if (e instanceof FirefliesException.ConnectionException) {
            return new Expected(LoggingLevel.WARN,
                    "Not reconnecting any more: restart the route once the server is reachable (or raise reconnectAttempts)");
        }
        if (e instanceof FirefliesException.BufferOverflowException) {
            return new Expected(LoggingLevel.WARN,
                    "Make the route faster (more workerPoolSize, a seda/async step) or raise queueSize");
        }
        if (e instanceof FirefliesException.RouteStalledException) {
            return new Expected(LoggingLevel.WARN,
                    "Make the route faster or hand off with a seda/async step; backfill=gaps heals the reconnect's gap");
        }
        if (e instanceof FirefliesException.MalformedEventException) {
            return new Expected(LoggingLevel.WARN, "The event was skipped and the stream goes on");
        }
        if (e instanceof FirefliesException f && f.getClass() == FirefliesException.class) {
            // the server's connection.error: the consumer reconnects, and the realtime client already logged that
            // (with the reason and the next attempt) as one WARN line
            return new Expected(LoggingLevel.DEBUG, "");
        }
        if (e instanceof GraphQLException.AuthenticationException) {
            return new Expected(LoggingLevel.WARN,
                    "Set a valid apiKey (camel.component.fireflies.api-key) and restart the route");
        }
        if (e instanceof GraphQLException.RateLimitedException) {
            return new Expected(LoggingLevel.WARN,
                    "The GraphQL API's rate limit (Free: 50 requests a day, Pro: 500 a day, Business: 60 a minute):"
                                                   + " raise the poll's delay");
        }
        if (e instanceof GraphQLException g && (g.getCause() == null || g.getCause() instanceof IOException)) {
            return new Expected(LoggingLevel.WARN, "The next poll tries again");
        }
        return null;
    }
}
