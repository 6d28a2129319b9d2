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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.github.camelfireflies.testsupport.NodeSocketIoServer;

/**
 * What one {@link InstanceMain} process runs: its name, where it writes what it emits, the fixture it talks to, its
 * cluster service, its backfill and its JDBC idempotent repository (prepared, and used when asked). Turned into command-line arguments by
 * {@link #toArgs()} and back by {@link #parse(String[])}; the API key is not among them (it travels in the
 * environment variable {@value #API_KEY_ENV}, so it never shows in a process listing).
 *
 * @param name               the instance name, also its cluster member id (unique per instance)
 * @param output             the JSON-lines file it appends one line per emitted exchange to
 * @param url                the Socket.IO base URL ({@code ws://127.0.0.1:<port>})
 * @param path               the Socket.IO path
 * @param graphqlUrl         the GraphQL endpoint that answers {@code active_meetings}
 * @param pollIntervalMillis how often {@code active_meetings} is polled
 * @param finalizeAfterMillis with {@code emit=final}: how long a segment stays quiet before it is final
 * @param cluster            which cluster service, if any
 * @param clusterTarget      ZooKeeper connect string, or the root directory of the file lock; null without cluster
 * @param zkSessionTimeoutMillis the ZooKeeper session timeout (ZooKeeper only)
 * @param jdbcUrl            the JDBC URL of the idempotent repository's database, or null for none
 * @param jdbcUser           its user, or null
 * @param backfill           the consumer's {@code backfill} option ({@code none}, {@code gaps}, {@code all})
 * @param idempotent         whether the consumer uses the JDBC repository as its {@code idempotentRepository}
 * @param webhookPort        0: {@code fireflies:meetings} polls; else {@code fireflies:meetings?webhookPath=...} on this port
 *                           of 127.0.0.1 (platform-http), its secret in {@value #WEBHOOK_SECRET_ENV}
 */
public record InstanceOptions(String name, Path output, String url, String path, String graphqlUrl,
                              long pollIntervalMillis, long finalizeAfterMillis, Cluster cluster, String clusterTarget,
                              long zkSessionTimeoutMillis, String jdbcUrl, String jdbcUser, String backfill,
                              boolean idempotent, int webhookPort) {

    /** The environment variable the API key is handed over in. */
    public static final String API_KEY_ENV = "FIREFLIES_IT_API_KEY";

    /** The environment variable the webhook secret is handed over in. */
    public static final String WEBHOOK_SECRET_ENV = "FIREFLIES_IT_WEBHOOK_SECRET";

    /** The path each instance takes the webhooks on. */
    public static final String WEBHOOK_PATH = "/fireflies/meetings";

    /** The base path of the ZooKeeper cluster views. */
    public static final String ZOOKEEPER_BASE_PATH = "/camel-fireflies/it";

    /** The processor name the JDBC idempotent repository records its keys under. */
    public static final String REPOSITORY_PROCESSOR_NAME = "fireflies-meetings-final";

    /** Which {@code CamelClusterService} an instance adds to its CamelContext. */
    public enum Cluster {
        /** None: the instance streams every meeting. */
        NONE,
        /** camel-zookeeper's {@code ZooKeeperClusterService}, target = connect string. */
        ZOOKEEPER,
        /** camel-file's {@code FileLockClusterService}, target = root directory. */
        FILE
    }

    public InstanceOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(graphqlUrl, "graphqlUrl");
        Objects.requireNonNull(cluster, "cluster");
        if (cluster != Cluster.NONE && (clusterTarget == null || clusterTarget.isBlank())) {
            throw new IllegalArgumentException("The cluster service " + cluster + " needs a target");
        }
        Objects.requireNonNull(backfill, "backfill");
        if (idempotent && jdbcUrl == null) {
            throw new IllegalArgumentException("An idempotent consumer needs the JDBC repository (withJdbc)");
        }
    }

    /**
     * Against the fixture: no cluster, no repository, no backfill, polls every 500 ms, segments final after 400 ms of
     * quiet.
     */
    public static InstanceOptions forFixture(String name, Path output, NodeSocketIoServer fixture) {
        return new InstanceOptions(name, output, fixture.url(), fixture.path(), fixture.graphqlUrl(), 500, 400,
                Cluster.NONE, null, 0, null, null, "none", false, 0);
    }

    public InstanceOptions withZooKeeper(String connectString, long sessionTimeoutMillis) {
        return new InstanceOptions(name, output, url, path, graphqlUrl, pollIntervalMillis, finalizeAfterMillis,
                Cluster.ZOOKEEPER, connectString, sessionTimeoutMillis, jdbcUrl, jdbcUser, backfill, idempotent,
                webhookPort);
    }

    public InstanceOptions withFileLock(Path root) {
        return new InstanceOptions(name, output, url, path, graphqlUrl, pollIntervalMillis, finalizeAfterMillis,
                Cluster.FILE, root.toAbsolutePath().toString(), 0, jdbcUrl, jdbcUser, backfill, idempotent,
                webhookPort);
    }

    public InstanceOptions withJdbc(String url, String user) {
        return new InstanceOptions(name, output, this.url, path, graphqlUrl, pollIntervalMillis, finalizeAfterMillis,
                cluster, clusterTarget, zkSessionTimeoutMillis, url, user, backfill, idempotent, webhookPort);
    }

    public InstanceOptions withPollInterval(long millis) {
        return new InstanceOptions(name, output, url, path, graphqlUrl, millis, finalizeAfterMillis, cluster,
                clusterTarget, zkSessionTimeoutMillis, jdbcUrl, jdbcUser, backfill, idempotent, webhookPort);
    }

    public InstanceOptions withFinalizeAfter(long millis) {
        return new InstanceOptions(name, output, url, path, graphqlUrl, pollIntervalMillis, millis, cluster,
                clusterTarget, zkSessionTimeoutMillis, jdbcUrl, jdbcUser, backfill, idempotent, webhookPort);
    }

    /** The consumer's {@code backfill} option. */
    public InstanceOptions withBackfill(String mode) {
        return new InstanceOptions(name, output, url, path, graphqlUrl, pollIntervalMillis, finalizeAfterMillis,
                cluster, clusterTarget, zkSessionTimeoutMillis, jdbcUrl, jdbcUser, mode, idempotent, webhookPort);
    }

    /** The consumer records its final segments in the JDBC repository and skips those recorded before. */
    public InstanceOptions withIdempotentRepository() {
        return new InstanceOptions(name, output, url, path, graphqlUrl, pollIntervalMillis, finalizeAfterMillis,
                cluster, clusterTarget, zkSessionTimeoutMillis, jdbcUrl, jdbcUser, backfill, true, webhookPort);
    }

    /**
     * {@code fireflies:meetings?webhookPath=...} on {@code port} with polling off ({@code startScheduler=false}): meetings start only
     * from {@code meeting.bot_joined} deliveries.
     */
    public InstanceOptions withWebhooks(int port) {
        return new InstanceOptions(name, output, url, path, graphqlUrl, 0, finalizeAfterMillis, cluster, clusterTarget,
                zkSessionTimeoutMillis, jdbcUrl, jdbcUser, backfill, idempotent, port);
    }

    /**
     * The {@code fireflies:meetings} endpoint URI the instance consumes, without the key. No backfill unless asked:
     * the ownership tests measure what one live subscription hears.
     */
    public String endpointUri() {
        if (webhookPort > 0) {
            // the secret is set on the component (InstanceMain), as the key: it is in no URI or process listing
            return "fireflies:meetings?webhookComponentName=platform-http&webhookPath=" + WEBHOOK_PATH
                   + "&startScheduler=false&url=" + url + "&path=" + path + "&graphqlUrl=" + graphqlUrl
                   + "&emit=final&backfill=" + backfill + "&finalizeAfter=" + finalizeAfterMillis
                   + "&exceptionHandler=#itErrors"
                   + (idempotent ? "&idempotentRepository=#" + InstanceMain.REPOSITORY_BEAN : "");
        }
        return "fireflies:meetings?url=" + url + "&path=" + path + "&graphqlUrl=" + graphqlUrl + "&emit=final&backfill="
               + backfill + "&finalizeAfter=" + finalizeAfterMillis + "&delay=" + pollIntervalMillis
               + "&exceptionHandler=#itErrors"
               + (idempotent ? "&idempotentRepository=#" + InstanceMain.REPOSITORY_BEAN : "");
    }

    /** {@code --key=value} arguments for {@link InstanceMain}. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>();
        args.add("--name=" + name);
        args.add("--output=" + output.toAbsolutePath());
        args.add("--url=" + url);
        args.add("--path=" + path);
        args.add("--graphql-url=" + graphqlUrl);
        args.add("--poll-interval=" + pollIntervalMillis);
        args.add("--finalize-after=" + finalizeAfterMillis);
        args.add("--cluster=" + cluster.name().toLowerCase(Locale.ROOT));
        if (clusterTarget != null) {
            args.add("--cluster-target=" + clusterTarget);
        }
        if (cluster == Cluster.ZOOKEEPER) {
            args.add("--zk-session-timeout=" + zkSessionTimeoutMillis);
        }
        if (jdbcUrl != null) {
            args.add("--jdbc-url=" + jdbcUrl);
        }
        if (jdbcUser != null) {
            args.add("--jdbc-user=" + jdbcUser);
        }
        args.add("--backfill=" + backfill);
        args.add("--idempotent=" + idempotent);
        args.add("--webhook-port=" + webhookPort);
        return args;
    }

    /** The reverse of {@link #toArgs()}. */
    public static InstanceOptions parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("Expected --key=value, got " + a);
            }
            m.put(a.substring(2, eq), a.substring(eq + 1));
        }
        Cluster cluster = Cluster.valueOf(m.getOrDefault("cluster", "none").toUpperCase(Locale.ROOT));
        return new InstanceOptions(required(m, "name"), Path.of(required(m, "output")), required(m, "url"),
                required(m, "path"), required(m, "graphql-url"), Long.parseLong(required(m, "poll-interval")),
                Long.parseLong(required(m, "finalize-after")), cluster, m.get("cluster-target"),
                Long.parseLong(m.getOrDefault("zk-session-timeout", "0")), m.get("jdbc-url"), m.get("jdbc-user"),
                m.getOrDefault("backfill", "none"), Boolean.parseBoolean(m.getOrDefault("idempotent", "false")),
                Integer.parseInt(m.getOrDefault("webhook-port", "0")));
    }

    private static String required(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("Missing --" + key);
        }
        return v;
    }
}
