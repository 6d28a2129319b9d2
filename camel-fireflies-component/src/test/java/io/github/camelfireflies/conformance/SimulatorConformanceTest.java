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
package io.github.camelfireflies.conformance;

import io.github.camelfireflies.testsupport.FirefliesTestServer;
import io.github.camelfireflies.testsupport.SimulatorTestServer;

/**
 * The same conformance suite the consumer passes against the genuine socket.io server, run against our simulator: the
 * simulator cannot drift from what the real protocol does without this failing.
 */
class SimulatorConformanceTest extends AbstractConformanceTest {

    @Override
    protected FirefliesTestServer startServer() {
        return SimulatorTestServer.start();
    }
}
