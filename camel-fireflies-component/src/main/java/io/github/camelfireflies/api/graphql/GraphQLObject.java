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
package io.github.camelfireflies.api.graphql;

import java.util.Map;

/**
 * A value of one of the Fireflies GraphQL API's object types (the records of this package, named as the schema names
 * the types). Each converts to a {@code Map} and to JSON with the API's field names, leaving out the fields that are
 * null (not selected, or null in the answer); Camel uses these conversions for {@code convertBodyTo(Map.class)},
 * {@code convertBodyTo(String.class)} and {@code ${body[field]}}.
 */
public interface GraphQLObject {

    /** This value as plain Java (Map, List, String, Number, Boolean) with the API's field names. */
    default Map<String, Object> toMap() {
        return GraphQLJson.toMap(this);
    }

    /** This value as JSON with the API's field names. */
    default String toJson() {
        return GraphQLJson.toJson(this);
    }
}
