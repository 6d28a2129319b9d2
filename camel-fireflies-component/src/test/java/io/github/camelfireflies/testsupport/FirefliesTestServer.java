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
package io.github.camelfireflies.testsupport;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelfireflies.simulator.Shape;

/**
 * A Fireflies-like Socket.IO server that tests can steer: the genuine socket.io npm server
 * ({@link NodeSocketIoServer}) or our Java simulator. The conformance suite runs the same expectations against both.
 * <p>
 * Behaviour both must have, as the real API: a CONNECT whose auth token is {@code "Bearer " + apiKey()} gets
 * {@code auth.success} then {@code connection.established} and joins the room of its {@code transcriptId}; a wrong
 * token gets {@code auth.failed} then a server DISCONNECT ({@code 41}) and the socket is closed; the token
 * {@code "Bearer " + REJECT_KEY} is refused by a middleware (CONNECT_ERROR {@code 44}); a transcript id listed by
 * {@link #UNKNOWN_TRANSCRIPT} gets {@code auth.success}, {@code connection.error}, then {@code 41}.
 */
public interface FirefliesTestServer extends AutoCloseable {

    /** An API key that the middleware rejects with CONNECT_ERROR. */
    String REJECT_KEY = "reject-me";

    /** A transcript id the server does not know: auth.success, connection.error, then DISCONNECT. */
    String UNKNOWN_TRANSCRIPT = "unknown-transcript";

    /** Base URL, e.g. {@code ws://127.0.0.1:34567}. Always loopback. */
    String url();

    /** The Socket.IO path, e.g. {@code /ws/realtime}. */
    String path();

    /** The API key the server accepts (without {@code Bearer }). */
    String apiKey();

    /**
     * Sends {@code transcription.broadcast} with the given objects (each shaped by {@code shape}) to every socket
     * subscribed to {@code transcriptId}, in order. Waits up to {@code awaitSubscriber} for at least one subscriber
     * first and fails when there is none.
     *
     * @return how many sockets the events were sent to
     */
    int emitTranscription(String transcriptId, List<JsonNode> events, Shape shape, Duration awaitSubscriber);

    /**
     * Sends one event with any name and arguments ({@code args} may be empty: {@code 42["name"]}) to the subscribers
     * of {@code transcriptId}.
     */
    int emitEvent(String transcriptId, String eventName, List<JsonNode> args, Duration awaitSubscriber);

    /** Sends a raw WebSocket text frame (it may be malformed on purpose) to the subscribers of {@code transcriptId}. */
    int emitRawFrame(String transcriptId, String frame, Duration awaitSubscriber);

    /** Sends an event with one binary attachment (a BINARY_EVENT {@code 451-...} and one binary frame). */
    int emitBinaryEvent(String transcriptId, String eventName, byte[] attachment, Duration awaitSubscriber);

    /** Server-side Socket.IO DISCONNECT ({@code 41}) of the subscribers of {@code transcriptId}. */
    void disconnect(String transcriptId);

    /** How many Socket.IO CONNECT attempts (any auth outcome) have named {@code transcriptId} so far. */
    int connectAttempts(String transcriptId);

    /** How many sockets are subscribed to {@code transcriptId} right now (authenticated and connected). */
    int subscribers(String transcriptId);

    @Override
    void close();
}
