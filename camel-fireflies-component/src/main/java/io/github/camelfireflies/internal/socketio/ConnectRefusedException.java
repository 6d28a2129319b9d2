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
package io.github.camelfireflies.internal.socketio;

import com.fasterxml.jackson.databind.JsonNode;

/** The server answered CONNECT with CONNECT_ERROR: it refused the namespace (e.g. in an auth middleware). Final. */
public class ConnectRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient JsonNode data;

    public ConnectRefusedException(String message, JsonNode data) {
        super(message);
        this.data = data;
    }

    /** The {@code data} the server attached to the error, or null. */
    public JsonNode getData() {
        return data;
    }
}
