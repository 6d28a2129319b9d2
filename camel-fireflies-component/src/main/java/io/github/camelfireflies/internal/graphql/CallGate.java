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
package io.github.camelfireflies.internal.graphql;

import java.time.Duration;
import java.util.List;

import io.github.camelfireflies.api.GraphQLException;

/**
 * Asked by {@link FirefliesGraphQLClient} at the one place where it sends a request: before each request
 * ({@link #acquire}) and when the server answered that the key is rate limited ({@link #rateLimited}). The rate
 * budget of an API key is one; {@link #OPEN} lets every call through and retries nothing.
 */
public interface CallGate {

    /** Lets every call through at once; a rate-limited call is not retried. */
    CallGate OPEN = new CallGate() {
        @Override
        public void acquire(List<String> operations) {
        }

        @Override
        public boolean rateLimited(Duration retryAfter, int attempt) {
            return false;
        }
    };

    /**
     * Called before each request (a retry too); returns when the request may be sent.
     *
     * @param  operations       the root fields of the document ({@code addToLiveMeeting}, {@code transcripts}, ...), in
     *                          order; empty when they could not be read
     * @throws GraphQLException when the request must not be sent (the budget is spent, or the wait was interrupted)
     */
    void acquire(List<String> operations) throws GraphQLException;

    /**
     * The server refused a request with HTTP 429 or {@code too_many_requests}.
     *
     * @param  retryAfter the server's Retry-After, or null when it gave none
     * @param  attempt    1 for the first refusal of this call, 2 for the refusal of its first retry, ...
     * @return            true to send it again ({@link #acquire} is asked again first, and waits as long as the gate
     *                    learned here), false to give up and throw the server's refusal
     */
    boolean rateLimited(Duration retryAfter, int attempt);
}
