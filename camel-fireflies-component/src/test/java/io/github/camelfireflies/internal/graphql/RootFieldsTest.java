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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget's reading of a document: its root fields, through aliases, arguments, fragments and comments. */
class RootFieldsTest {

    @Test
    void readsTheRootFieldsOfQueriesAndMutations() {
        assertThat(RootFields.of("{ transcripts { id title } }")).containsExactly("transcripts");
        assertThat(RootFields.of("query Q($id: String!) { transcript(id: $id) { id sentences { text } } user { name } }"))
                .containsExactly("transcript", "user");
        assertThat(RootFields.of("mutation A($l: String!) { addToLiveMeeting(meeting_link: $l, duration: 60) { success } }"))
                .containsExactly("addToLiveMeeting");
        assertThat(RootFields.of("mutation { a: addToLiveMeeting(meeting_link: \"x\") { success }"
                                 + " b: addToLiveMeeting(meeting_link: \"y\") { success } }"))
                .containsExactly("addToLiveMeeting", "addToLiveMeeting");
    }

    @Test
    void skipsWhatIsNotARootField() {
        String doc = "# a comment { notAField }\n"
                     + "fragment F on Transcript { id title }\n"
                     + "query Q($in: Input = {a: \"{ b }\"}) @cached(ttl: 5) {\n"
                     + "  transcripts(title: \"}{\", limit: 50) @include(if: true) { ...F }\n"
                     + "  __typename\n"
                     + "  ... on Query { users { id } }\n"
                     + "  deleteTranscript(id: \"\"\"a } block\"\"\") { id }\n"
                     + "}";
        assertThat(RootFields.of(doc)).containsExactly("transcripts", "users", "deleteTranscript");
    }

    @Test
    void anUnreadableDocumentGivesWhatWasRead() {
        assertThat(RootFields.of(null)).isEmpty();
        assertThat(RootFields.of("")).isEmpty();
        assertThat(RootFields.of("{ transcripts(limit: ")).containsExactly("transcripts");
    }
}
