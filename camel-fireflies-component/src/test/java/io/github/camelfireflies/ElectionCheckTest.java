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

import io.github.camelfireflies.ElectionCheck.Participation;
import io.github.camelfireflies.MeetingRosterTest.SilentCluster;
import io.github.camelfireflies.MeetingRosterTest.SilentView;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a view shows of this member's place in its election, for the shapes of camel-zookeeper and camel-file. */
class ElectionCheckTest {

    private final SilentCluster cluster = new SilentCluster();
    private SilentView view;

    @BeforeEach
    void join() throws Exception {
        cluster.setCamelContext(new DefaultCamelContext());
        cluster.start();
        view = (SilentView) cluster.getView(MeetingRoster.VIEW_PREFIX + "e-1");
    }

    @AfterEach
    void leave() {
        cluster.stop();
    }

    @Test
    void aLeaderIsIn() {
        view.local.leader = true;
        view.inElection = false; // what the list says does not matter then
        assertThat(ElectionCheck.of(view)).isEqualTo(Participation.IN);
    }

    @Test
    void listedAmongTheMembersIsIn() {
        assertThat(ElectionCheck.of(view)).isEqualTo(Participation.IN);
    }

    @Test
    void membersListedWithoutThisOneIsOut() {
        view.inElection = false; // camel-zookeeper: Curator cancelled this member's entry; another member leads
        assertThat(ElectionCheck.of(view)).isEqualTo(Participation.OUT);
    }

    @Test
    void nobodyListedAndAPlaceholderLeaderIsOut() {
        view.placeholderLeader = true; // camel-zookeeper when nobody is in the election
        assertThat(ElectionCheck.of(view)).isEqualTo(Participation.OUT);
    }

    @Test
    void aViewThatListsNoMemberAndShowsNoLeaderCannotTell() {
        view.listsMembers = false; // camel-file: no list, and no leader visible in another process
        view.leaderKnown = false;
        assertThat(ElectionCheck.of(view)).isEqualTo(Participation.UNKNOWN);
        view.leaderKnown = true; // another member shown as leader
        assertThat(ElectionCheck.of(view)).isEqualTo(Participation.IN);
    }

    @Test
    void aViewThatFailsToAnswerCannotTell() {
        view.failure = new IllegalStateException("ZooKeeper is away (test)");
        assertThat(ElectionCheck.of(view)).isEqualTo(Participation.UNKNOWN);
    }

    @Test
    void aStoppedViewIsOut() throws Exception {
        cluster.releaseView(view); // its last reference: stopped
        assertThat(ElectionCheck.of(view)).isEqualTo(Participation.OUT);
    }
}
