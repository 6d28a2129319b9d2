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

/** What {@code to("fireflies:graphql")} runs. */
public enum GraphQLOperation {
    /** The GraphQL document in the body, with variables from the {@code CamelFirefliesGraphQLVariables} header. */
    query,
    /** The meetings in progress ({@code active_meetings}). */
    activeMeetings,
    /** One transcript with its sentences ({@code transcript(id)}). */
    transcript
}
