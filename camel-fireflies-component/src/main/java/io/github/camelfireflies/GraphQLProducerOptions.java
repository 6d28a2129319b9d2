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
package io.github.camelfireflies;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The options of {@code fireflies:graphql} beyond {@code operation}: selection, paging, the meeting id. */
@UriParams
public class GraphQLProducerOptions implements Cloneable {

    @UriParam(label = "producer",
              description = "With `graphql` and an operation of the API: the fields to select, e.g. `id title"
                            + " sentences { text }` (names and nested braces; outer braces optional), checked against"
                            + " the API's types before the request. Empty: the operation's default selection (see the"
                            + " table of operations). The `CamelFirefliesGraphQLFields` header overrides it.")
    private String fields;

    @UriParam(label = "producer", defaultValue = "false",
              description = "With `graphql` and a paged operation (`transcripts`, `bites`: offset; `rule_executions_by_meeting`:"
                            + " cursor): gather every page into one result (a List, or for the cursor one response"
                            + " with all meetings), each page one call. See also `maxResults`.")
    private boolean allPages;

    @UriParam(label = "producer", defaultValue = "0",
              description = "With `graphql` and a paged operation: gather pages until this many items (meetings for"
                            + " the cursor); 0: no limit (with `allPages`). Set alone, it gathers too. The"
                            + " `CamelFirefliesMaxResults` header overrides it.")
    private int maxResults;

    @UriParam(label = "producer",
              description = "With `graphql`: the meeting id for the operations that take one (`meeting_id` of"
                            + " `live_action_items`, `updateMeetingState`, `createLiveActionItem`,"
                            + " `createLiveSoundbite`, `shareMeeting`, `revokeSharedMeetingAccess`, `confirmUpload`),"
                            + " unless the arguments name it. The `CamelFirefliesMeetingId` header overrides it.")
    private String meetingId;

    public String getFields() {
        return fields;
    }

    public void setFields(String fields) {
        this.fields = fields;
    }

    public boolean isAllPages() {
        return allPages;
    }

    public void setAllPages(boolean allPages) {
        this.allPages = allPages;
    }

    public int getMaxResults() {
        return maxResults;
    }

    public void setMaxResults(int maxResults) {
        this.maxResults = maxResults;
    }

    public String getMeetingId() {
        return meetingId;
    }

    public void setMeetingId(String meetingId) {
        this.meetingId = meetingId;
    }

    public GraphQLProducerOptions copy() {
        try {
            return (GraphQLProducerOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
