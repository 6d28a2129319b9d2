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

/**
 * What a {@link SocketIoSession} shows of itself to whoever observes it (health checks, JMX): read-only, safe from
 * any thread, and free of secrets.
 */
public interface SessionStats {

    /** Where the session is now. */
    SocketIoSession.State state();

    /** Failed connect attempts in a row since the last established connection. */
    int failedAttempts();

    /** The last failure, as a message without secrets, or null. */
    String lastError();

    /** Frames received since the session started. */
    long framesReceived();

    /** Socket.IO EVENT packets received since the session started. */
    long eventsReceived();

    /** Successful reconnects (connects after a lost connection). */
    long reconnects();

    /** Wall-clock time of the last frame received, or 0. */
    long lastFrameMillis();
}
