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

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.camel.StatefulService;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;

/**
 * Whether this member takes part in the election of a cluster view, as the cluster service itself shows it. A view is
 * joined again only when the answer is {@link Participation#OUT}: guessing from a view without a visible leader would
 * fight the service's own acquisition. {@code FileLockClusterView.getLeader()} sees no leader in another process, and
 * its first lock attempt comes about a second after the view started; a member that left and joined such a view on
 * every poll never reached that attempt.
 * <ul>
 * <li>{@link Participation#IN}: this member leads; or the view lists its members and this member is among them
 * (camel-zookeeper lists Curator's participants); or, listing none, it names another member as leader.</li>
 * <li>{@link Participation#OUT}: the view is not running (stopped, failed); or it lists members and this member is
 * not among them; or it names a leader without an id (camel-zookeeper when nobody is in the election: Curator's
 * placeholder participant). camel-zookeeper after a lost connection: Curator cancels the election entry and nobody
 * re-queues it.</li>
 * <li>{@link Participation#UNKNOWN}: the view lists no members and names no leader (camel-file's
 * {@code FileLockClusterView}, whose own task tries the lock for as long as the view runs), or it cannot tell now
 * (its coordination service is away). Nothing is changed.</li>
 * </ul>
 * Asks the coordination service (camel-zookeeper reads the election's znodes), so it is called on polls only, and
 * only for views this member does not lead.
 */
final class ElectionCheck {

    /** What a view shows of this member. */
    enum Participation {
        IN,
        OUT,
        UNKNOWN
    }

    private ElectionCheck() {
    }

    /** What the view shows now; never throws. */
    static Participation of(CamelClusterView view) {
        Objects.requireNonNull(view, "view");
        try {
            CamelClusterMember local = view.getLocalMember();
            if (local.isLeader()) {
                return Participation.IN;
            }
            if (view instanceof StatefulService s && !s.isStarting() && !s.isStarted()) {
                return Participation.OUT;
            }
            List<CamelClusterMember> members = view.getMembers();
            String localId = local.getId();
            if (members != null && !members.isEmpty()) {
                for (CamelClusterMember m : members) {
                    if (m != null && Objects.equals(m.getId(), localId)) {
                        return Participation.IN;
                    }
                }
                return Participation.OUT; // the election goes on without this member
            }
            Optional<CamelClusterMember> leader = view.getLeader();
            if (leader.isPresent()) {
                String id = leader.get().getId();
                return id == null || id.isEmpty() ? Participation.OUT : Participation.IN;
            }
            return Participation.UNKNOWN;
        } catch (RuntimeException e) {
            return Participation.UNKNOWN;
        }
    }
}
