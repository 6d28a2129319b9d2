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
package io.github.camelfireflies.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How an event's argument is wrapped on the wire (the Fireflies API has been seen sending all three). */
public enum Shape {
    /** the documented flat object: {@code {"chunk_id":...}} */
    FLAT,
    /** {@code {"payload":{...}}} */
    PAYLOAD,
    /** {@code {"data":{...}}} */
    DATA;

    /** Wraps {@code value} in this shape ({@code FLAT} returns it as is). */
    public JsonNode wrap(JsonNode value) {
        if (this == FLAT) {
            return value;
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set(this == PAYLOAD ? "payload" : "data", value);
        return o;
    }

    /** Parses {@code "flat"}, {@code "payload"} or {@code "data"} (any case). */
    public static Shape of(String name) {
        for (Shape s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown shape '" + name + "' (expected flat, payload or data)");
    }
}
