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
package io.github.camelfireflies.internal.graphql;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import io.github.camelfireflies.api.GraphQLException;
import io.github.camelfireflies.api.graphql.GraphQLObject;
import io.github.camelfireflies.internal.auth.ApiKey;
import io.github.camelfireflies.simulator.FirefliesSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the catalogue, as the component sends it, against the simulator's GraphQL engine (graphql-java
 * over the API's schema): the document is valid there, executed, and the answer reads as the operation's typed record;
 * or, for an id the simulator does not know, the API's own {@code object_not_found}, never a validation error.
 */
class SimulatorOperationsTest {

    private static final String KEY = "sk-simulator-ops-0123456789";

    /** Values the API checks beyond their type (the simulator as the API does): a meeting URL, a recording URL. */
    private static final Map<String, Map<String, Object>> MEANINGFUL = Map.of(
            "addToLiveMeeting", Map.of("meeting_link", "https://meet.google.com/abc-defg-hij"),
            "uploadAudio", Map.of("input", Map.of("url", "https://recordings.example.org/standup.mp3", "title",
                    "Stand-up")));

    private static FirefliesSimulator sim;
    private static FirefliesOperations ops;

    @BeforeAll
    static void start() {
        sim = FirefliesSimulator.builder().apiKey(KEY).start();
        GraphQLTransport transport = new GraphQLTransport(URI.create(sim.graphqlUrl()), ApiKey.of(KEY),
                Duration.ofSeconds(5), Duration.ofSeconds(30));
        ops = new FirefliesOperations(transport);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static Stream<String> operations() {
        return Catalogue.operations().stream().map(OperationSpec::name).sorted();
    }

    @ParameterizedTest
    @MethodSource("operations")
    void theSimulatorAnswersEveryOperationTheComponentSends(String operation) throws Exception {
        Map<String, Object> args = new java.util.LinkedHashMap<>(SampleArguments.of(operation, false));
        args.putAll(MEANINGFUL.getOrDefault(operation, Map.of()));
        try {
            Object result = ops.call(operation, args, null);
            assertThat(result).as(operation).isNotNull();
            if (result instanceof Iterable<?> list) {
                assertThat(list).allSatisfy(item -> assertThat(item).isInstanceOf(GraphQLObject.class));
            } else {
                assertThat(result).isInstanceOf(GraphQLObject.class);
            }
        } catch (GraphQLException e) {
            // the document was valid and executed: only the id was unknown to the simulator
            assertThat(e.getCode()).as("%s: %s", operation, e.getMessage()).isEqualTo("object_not_found");
        }
        assertThat(sim.graphqlRequests(operation)).as(operation).isGreaterThanOrEqualTo(1);
    }
}
