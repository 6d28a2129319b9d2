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
package io.github.camelfireflies.it;

import java.util.List;

import io.github.camelfireflies.testsupport.NodeSocketIoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The end of an integration test: what it started is stopped in order, each step even when one before it failed. */
final class Teardown {

    private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

    private Teardown() {
    }

    /**
     * Stops the instance JVMs (by PID, bounded, SIGKILL as the last resort), ends the fixture's meetings, closes the
     * fixture, then the servers in the order given; the first failure is thrown once everything was tried.
     */
    static void stopAll(List<InstanceProcess> instances, List<String> meetings, NodeSocketIoServer fixture,
                        AutoCloseable... servers) throws Exception {
        Exception first = null;
        for (InstanceProcess i : instances) {
            first = close(first, i);
        }
        if (fixture != null) {
            for (String m : meetings) {
                try {
                    fixture.endMeeting(m);
                } catch (RuntimeException e) {
                    LOG.warn("Cannot end meeting {}: {}", m, e.toString());
                }
            }
        }
        first = close(first, fixture);
        for (AutoCloseable server : servers) {
            first = close(first, server);
        }
        if (first != null) {
            throw first;
        }
    }

    private static Exception close(Exception first, AutoCloseable c) {
        if (c == null) {
            return first;
        }
        try {
            c.close();
            return first;
        } catch (Exception e) {
            if (first == null) {
                return e;
            }
            first.addSuppressed(e);
            return first;
        }
    }
}
