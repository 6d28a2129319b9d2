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
package io.github.camelfireflies.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The live rule without a key: the simulator plays the planning meeting, the two final segments that say "action
 * item" become live action items through the simulator's GraphQL engine, and the meeting's list holds both.
 */
class ActionItemRuleExampleTest {

    @Test
    void eachActionItemSegmentBecomesALiveActionItem() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> ActionItemRuleExample.run(null, null,
                getClass().getClassLoader().getResource("meetings/planning.jsonl"), out));

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines().filter(l -> l.startsWith("Rule: "))).containsExactly(
                "Rule: Bob said \"Action item: Bob updates the release notes by Friday\"",
                "Rule: Alice said \"Another action item for me: book the review room\"");
        assertThat(printed.lines().filter(l -> l.contains("live action item created: true"))).hasSize(2);
        assertThat(printed).contains("live action items of " + MeetingSource.SIMULATOR_TRANSCRIPT
                                     + ": [Action item: Bob updates the release notes by Friday,"
                                     + " Another action item for me: book the review room]");
        assertThat(printed).doesNotContain("demo went well", MeetingSource.SIMULATOR_KEY);
    }
}
