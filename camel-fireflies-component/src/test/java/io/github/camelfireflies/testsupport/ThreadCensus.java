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

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which threads appeared in the JVM since a snapshot, for leak tests. The only threads it leaves out are those it can
 * tell belong to something that existed before the snapshot: the worker threads of a JDK {@code HttpClient} whose
 * selector thread was already alive then (the test fixture's client: the JDK names both after the client's number, a
 * JVM-wide counter). Nothing is left out by a name alone. Polling with Awaitility's {@code pollInSameThread()} keeps
 * its own poller thread out of the picture.
 */
public final class ThreadCensus {

    private static final Pattern HTTP_CLIENT_THREAD = Pattern.compile("HttpClient-(\\d+)-(SelectorManager|Worker-\\d+)");

    private final Set<Thread> before;
    private final Set<String> httpClientsBefore;

    private ThreadCensus(Set<Thread> before) {
        this.before = before;
        this.httpClientsBefore = before.stream().map(t -> HTTP_CLIENT_THREAD.matcher(t.getName()))
                .filter(m -> m.matches() && m.group(2).equals("SelectorManager")).map(m -> m.group(1))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** The threads alive now. */
    public static ThreadCensus take() {
        Set<Thread> now = Collections.newSetFromMap(new IdentityHashMap<>());
        Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).forEach(now::add);
        return new ThreadCensus(now);
    }

    /** Threads alive now that were not at the snapshot (name, and "(daemon)"), sorted. */
    public List<String> newThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !before.contains(t))
                .filter(t -> !workerOfAnEarlierHttpClient(t.getName()))
                .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
                .sorted()
                .toList();
    }

    private boolean workerOfAnEarlierHttpClient(String name) {
        Matcher m = HTTP_CLIENT_THREAD.matcher(name);
        return m.matches() && m.group(2).startsWith("Worker-") && httpClientsBefore.contains(m.group(1));
    }
}
