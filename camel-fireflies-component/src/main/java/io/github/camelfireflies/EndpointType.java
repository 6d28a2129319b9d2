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

import java.util.Arrays;

/** The kinds of {@code fireflies:} endpoint, the path of its URI ({@code fireflies:live}, ...). */
public enum EndpointType {
    /** A live subscription to one meeting's transcript. */
    live,
    /** Discovery: a live subscription to every meeting in progress, opened and closed as meetings come and go. */
    meetings,
    /** A producer that runs GraphQL queries against the Fireflies API. */
    graphql,
    /** Fireflies webhook deliveries, verified, one exchange each (through {@code webhook:fireflies:events}). */
    events,
    /** Finished transcripts, each once, by polling GraphQL {@code transcripts}. */
    transcripts;

    static EndpointType parse(String remaining) {
        String name = remaining == null ? "" : remaining.trim();
        for (EndpointType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("Unknown fireflies endpoint type '" + name + "': valid types are "
                                           + Arrays.toString(values()));
    }
}
