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

import java.nio.ByteBuffer;

/**
 * What a {@link SocketIoSession} tells its owner. {@link #onEvent} runs on the transport's I/O thread and must hand the
 * event off without blocking; the other callbacks are rare and may run on the I/O thread or on the session's
 * scheduler. All methods have empty defaults.
 */
public interface SessionListener {

    /**
     * The Socket.IO namespace is connected (CONNECT ack received).
     *
     * @param reconnected {@code true} when an earlier connection of this session was lost before
     * @param gapMillis   how long the session had no connection (0 on the first connect)
     */
    default void onConnected(String sid, boolean reconnected, long gapMillis) {
    }

    /** An EVENT packet. On the I/O thread: do not block. */
    default void onEvent(Packet.Event event) {
    }

    /**
     * Events the owner reads itself, straight from their frames (see {@link EventReader}), or null. Asked
     * once, when the session is made; only used in the root namespace.
     */
    default EventReader<?> eventReader() {
        return null;
    }

    /**
     * An event read by {@link #eventReader()}: its name and the argument as the reader made it. On the I/O thread: do
     * not block. A frame the reader declined arrives through {@link #onEvent} as usual.
     */
    default void onEventRead(String name, Object argument) {
    }

    /** A frame that could not be decoded, or a packet this client does not support; it was skipped. */
    default void onProtocolError(SocketIoProtocolException error) {
    }

    /** A binary frame that belongs to no packet (or an attachment of a skipped binary event). */
    default void onBinaryFrame(ByteBuffer frame, boolean attachment) {
    }

    /** The connection was lost or could not be made; a reconnect is scheduled in {@code delayMillis}. */
    default void onConnectionLost(String reason, Throwable cause, int attempt, long delayMillis) {
    }

    /** The server sent a Socket.IO DISCONNECT: it ended the session on purpose. */
    default void onServerDisconnect() {
    }

    /** The session stopped for good without being asked to: a fatal error, or no reconnect attempts left. */
    default void onFailed(String reason, Throwable cause) {
    }

    /** The session's state changed. */
    default void onStateChanged(SocketIoSession.State from, SocketIoSession.State to) {
    }
}
