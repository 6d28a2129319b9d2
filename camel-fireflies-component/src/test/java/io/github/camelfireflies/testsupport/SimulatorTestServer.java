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
import io.github.camelfireflies.simulator.FirefliesSimulator;
import io.github.camelfireflies.simulator.Shape;

/**
 * The Java simulator behind the conformance suite's {@link FirefliesTestServer} interface. Emit methods wait up to
 * {@code awaitSubscriber} for a subscriber and throw {@link IllegalStateException} when none came.
 */
public final class SimulatorTestServer implements FirefliesTestServer {

    private final FirefliesSimulator sim;

    /** Wraps a started simulator; {@link #close()} closes it. */
    public SimulatorTestServer(FirefliesSimulator sim) {
        if (!sim.isRunning()) {
            throw new IllegalArgumentException("The simulator must be started");
        }
        this.sim = sim;
    }

    /** A simulator on 127.0.0.1, a free port, a random API key and the default timings. */
    public static SimulatorTestServer start() {
        return new SimulatorTestServer(FirefliesSimulator.builder().start());
    }

    /** A simulator configured by {@code builder} (host, timings, scripts...), started. */
    public static SimulatorTestServer start(FirefliesSimulator.Builder builder) {
        return new SimulatorTestServer(builder.start());
    }

    /** The simulator, for what the interface does not cover. */
    public FirefliesSimulator simulator() {
        return sim;
    }

    @Override
    public String url() {
        return sim.url();
    }

    @Override
    public String path() {
        return sim.path();
    }

    @Override
    public String apiKey() {
        return sim.apiKey();
    }

    @Override
    public int emitTranscription(String transcriptId, List<JsonNode> events, Shape shape, Duration awaitSubscriber) {
        awaitSubscriber(transcriptId, awaitSubscriber);
        return sim.emitTranscriptions(transcriptId, events, shape);
    }

    @Override
    public int emitEvent(String transcriptId, String eventName, List<JsonNode> args, Duration awaitSubscriber) {
        awaitSubscriber(transcriptId, awaitSubscriber);
        return sim.emitEvent(transcriptId, eventName, args);
    }

    @Override
    public int emitRawFrame(String transcriptId, String frame, Duration awaitSubscriber) {
        awaitSubscriber(transcriptId, awaitSubscriber);
        return sim.emitRawFrame(transcriptId, frame);
    }

    @Override
    public int emitBinaryEvent(String transcriptId, String eventName, byte[] attachment, Duration awaitSubscriber) {
        awaitSubscriber(transcriptId, awaitSubscriber);
        return sim.emitBinaryEvent(transcriptId, eventName, attachment);
    }

    @Override
    public void disconnect(String transcriptId) {
        sim.disconnect(transcriptId);
    }

    @Override
    public int connectAttempts(String transcriptId) {
        return sim.connectAttempts(transcriptId);
    }

    @Override
    public int subscribers(String transcriptId) {
        return sim.subscribers(transcriptId);
    }

    @Override
    public void close() {
        sim.close();
    }

    private void awaitSubscriber(String transcriptId, Duration timeout) {
        if (!sim.awaitSubscribers(transcriptId, 1, timeout)) {
            throw new IllegalStateException("No subscriber for transcript '" + transcriptId + "' within " + timeout);
        }
    }

    @Override
    public String toString() {
        return "SimulatorTestServer[" + sim.url() + sim.path() + "]";
    }
}
