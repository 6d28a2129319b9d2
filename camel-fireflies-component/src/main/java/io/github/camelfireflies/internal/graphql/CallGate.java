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

import io.github.camelfireflies.api.GraphQLException;

/**
 * Asked by {@link GraphQLTransport} before each call to the GraphQL API: where a rate budget decides whether the call
 * may go now, later (by blocking) or not at all (by throwing). The default lets every call through.
 */
@FunctionalInterface
public interface CallGate {

    /** Lets every call through. */
    CallGate NONE = operation -> {
    };

    /**
     * Called on the calling thread before each GraphQL request (one per page of a paged operation).
     *
     * @param  operation        the schema's field name of the operation ({@code transcripts}, {@code addToLiveMeeting},
     *                          ...), or {@code query} for a document of the user's
     * @throws GraphQLException to refuse the call (e.g. a {@link GraphQLException.RateLimitedException} when the
     *                          budget is spent); nothing is sent then. A gate that waits and is interrupted
     *                          restores the thread's interrupt flag and throws.
     */
    void acquire(String operation) throws GraphQLException;
}
