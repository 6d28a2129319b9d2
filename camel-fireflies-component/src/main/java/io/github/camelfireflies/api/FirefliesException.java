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

/**
 * A failure of a live Fireflies subscription. Messages name the transcript id and the server's words, never the API
 * key.
 */
public class FirefliesException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String transcriptId;

    public FirefliesException(String transcriptId, String message, Throwable cause) {
        super(message, cause);
        this.transcriptId = transcriptId;
    }

    public String getTranscriptId() {
        return transcriptId;
    }

    /** The server refused our credentials ({@code auth.failed}) or the connection (CONNECT_ERROR). Final. */
    public static class AuthenticationException extends FirefliesException {
        private static final long serialVersionUID = 1L;

        public AuthenticationException(String transcriptId, String message) {
            super(transcriptId, message, null);
        }
    }

    /** An event that could not be turned into an exchange; it was skipped, the stream goes on. */
    public static class MalformedEventException extends FirefliesException {
        private static final long serialVersionUID = 1L;

        public MalformedEventException(String transcriptId, String message, Throwable cause) {
            super(transcriptId, message, cause);
        }
    }

    /** The connection could not be kept and will not be retried (attempts ran out, or the server ended it). */
    public static class ConnectionException extends FirefliesException {
        private static final long serialVersionUID = 1L;

        public ConnectionException(String transcriptId, String message, Throwable cause) {
            super(transcriptId, message, cause);
        }
    }

    /** Events were dropped because the route could not keep up and the buffer was full. */
    public static class BufferOverflowException extends FirefliesException {
        private static final long serialVersionUID = 1L;

        public BufferOverflowException(String transcriptId, String message) {
            super(transcriptId, message, null);
        }
    }

    /**
     * With {@code overflowPolicy=BLOCK}: the route kept the socket's reader waiting for room in the queue longer than
     * the stall limit (half the server's {@code pingTimeout}: 10 s against Fireflies). The event that waited was kept;
     * the connection was let go before the server drops it for a missed heartbeat, and a reconnect follows (with
     * {@code backfill=gaps} or {@code all}, what was said meanwhile is fetched).
     */
    public static class RouteStalledException extends FirefliesException {
        private static final long serialVersionUID = 1L;

        public RouteStalledException(String transcriptId, String message) {
            super(transcriptId, message, null);
        }
    }

    /**
     * A backfill (GraphQL {@code transcript(id)} after a reconnect or on the first subscription) did not heal what the
     * socket missed: the meeting is no longer live, the API refused the key or kept rate limiting, or the call failed.
     * Reported once per gap (once per stream for {@link Reason#NOT_LIVE} and {@link Reason#REFUSED}, after which the
     * stream fetches no more); live events go on.
     */
    public static class BackfillException extends FirefliesException {
        private static final long serialVersionUID = 1L;

        /** Why the backfill did not happen. */
        public enum Reason {
            /** {@code is_live} was false (or missing): the sentences are no longer the live captions. */
            NOT_LIVE,
            /** The GraphQL API refused the key (HTTP 401/403). */
            REFUSED,
            /** Still rate limited after waiting for the server's Retry-After once. */
            RATE_LIMITED,
            /** Any other failure: HTTP error, GraphQL error, no answer. */
            FAILED
        }

        private final Reason reason;

        public BackfillException(String transcriptId, Reason reason, String message, Throwable cause) {
            super(transcriptId, message, cause);
            this.reason = reason;
        }

        public Reason getReason() {
            return reason;
        }
    }
}
