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
package io.github.camelfireflies.api;

import java.time.Duration;

/**
 * A failed call to the Fireflies GraphQL API: the server answered with {@code errors}, an HTTP error status, or could
 * not be reached. Messages carry the server's words and the HTTP status, never the API key.
 */
public class GraphQLException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public GraphQLException(String message, int status, String code, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, or 0 when no response was received. */
    public int getStatus() {
        return status;
    }

    /** The first error's code ({@code code} or {@code extensions.code}), or null. */
    public String getCode() {
        return code;
    }

    /** HTTP 401 / 403, or a GraphQL error saying the key is not accepted. Retrying with the same key will not help. */
    public static class AuthenticationException extends GraphQLException {
        private static final long serialVersionUID = 1L;

        public AuthenticationException(String message, int status, String code) {
            super(message, status, code, null);
        }
    }

    /** HTTP 429, or a GraphQL {@code too_many_requests} error. {@link #getRetryAfter()} says how long to wait, if known. */
    public static class RateLimitedException extends GraphQLException {
        private static final long serialVersionUID = 1L;

        private final Duration retryAfter;

        public RateLimitedException(String message, int status, String code, Duration retryAfter) {
            super(message, status, code, null);
            this.retryAfter = retryAfter;
        }

        /** The server's Retry-After, or null when it did not say. */
        public Duration getRetryAfter() {
            return retryAfter;
        }
    }
}
