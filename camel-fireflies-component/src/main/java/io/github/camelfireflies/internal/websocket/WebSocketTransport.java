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
package io.github.camelfireflies.internal.websocket;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The small piece of WebSocket the session needs. {@link JakartaWebSocketTransport} implements it on JSR 356; tests
 * may implement it in memory.
 */
public interface WebSocketTransport {

    /**
     * Opens a WebSocket connection. Blocks until the upgrade is done or fails: call it off the I/O thread.
     *
     * @param uri      the {@code ws://} or {@code wss://} URI
     * @param headers  extra handshake headers (may be empty)
     * @param listener receives frames and the close; called on the transport's I/O thread
     */
    Connection connect(URI uri, Map<String, String> headers, Listener listener) throws IOException;

    /** One open WebSocket connection. */
    interface Connection {

        /** Sends one text frame. Thread-safe; may block briefly while the frame is written. */
        void sendText(String text) throws IOException;

        /** Closes the connection, quietly. Idempotent. */
        void close(int code, String reason);

        boolean isOpen();
    }

    /** Callbacks of one connection, on the transport's I/O thread. They must not block. */
    interface Listener {

        void onText(String frame);

        void onBinary(ByteBuffer frame);

        void onClose(int code, String reason);

        void onError(Throwable cause);
    }
}
