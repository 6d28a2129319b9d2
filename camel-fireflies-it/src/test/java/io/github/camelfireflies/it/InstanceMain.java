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

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.camelfireflies.FirefliesComponent;
import io.github.camelfireflies.FirefliesConstants;
import io.github.camelfireflies.api.TranscriptionEvent;
import io.github.camelfireflies.MeetingsConsumer;
import io.github.camelfireflies.MeetingsTarget;
import io.github.camelfireflies.WebhookHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.DefaultConsumer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One instance of a multi-instance deployment, run as a JVM process of its own by {@link InstanceProcess}: a
 * CamelContext with {@code from("fireflies:meetings?emit=final...")} (or, with a webhook port,
 * {@code from("fireflies:meetings?webhookPath=...&startScheduler=false...")} on platform-http) against the node fixture, the cluster service
 * chosen by its arguments ({@link InstanceOptions}), and, when a JDBC URL is given, camel-sql's
 * {@link JdbcMessageIdRepository} on that database (its table made beforehand, see {@link IdempotentSchema}), started
 * and bound as {@value #REPOSITORY_BEAN}, and the consumer's {@code idempotentRepository} when the options say so.
 * <p>
 * Each emitted exchange becomes one JSON line in the output file, written and flushed before the exchange completes.
 * On stdout it prints only lines starting with {@value #PREFIX} (its logs go to stderr):
 * <ul>
 *   <li>{@code IT READY <name>}: the context started;</li>
 *   <li>{@code IT STREAMING <transcriptId> <nanoTime> <epochMillis>} and {@code IT RELEASED ...}: it began or stopped
 *   streaming a meeting (sampled every {@value #OWNERSHIP_SAMPLE_MILLIS} ms from
 *   {@link MeetingsConsumer#streamingMeetingIds()});</li>
 *   <li>{@code IT TRACKED <n>}: how many meetings its consumer knows of (streamed or not) changed;</li>
 *   <li>{@code IT REPOSITORY <processorName>}: the JDBC repository started;</li>
 *   <li>{@code IT SKIPPED <n>}: how many final segments its consumer skipped as emitted before changed;</li>
 *   <li>{@code IT HELD <n>}: how many final segments wait for the idempotent repository (it fails) changed;</li>
 *   <li>{@code IT TAKENOVER <n>}: how many ended meetings it completed for an owner that did not changed;</li>
 *   <li>{@code IT HEALTH <state> <message>}: its consumer's health check changed (sampled every
 *   {@value #HEALTH_SAMPLE_MILLIS} ms);</li>
 *   <li>{@code IT ERROR <message>}: what the consumer's exception handler was given;</li>
 *   <li>{@code IT STOPPING} and {@code IT STOPPED}: a graceful stop (stdin closed, or SIGTERM).</li>
 * </ul>
 * It stops when its stdin closes, so it never outlives the test JVM that started it; a SIGKILL stops it without any
 * of these lines. {@code System.nanoTime()} is CLOCK_MONOTONIC on Linux, the same clock in every process, so the
 * test compares its own nano times with the instances'.
 */
public final class InstanceMain {

    public static final String PREFIX = "IT ";
    public static final String REPOSITORY_BEAN = "firefliesIdempotentRepository";
    static final long OWNERSHIP_SAMPLE_MILLIS = 25;
    static final long HEALTH_SAMPLE_MILLIS = 250;
    private static final String ROUTE_ID = "meetings";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InstanceOptions options;
    private final PrintStream out;
    private final BufferedWriter writer;
    private final CamelContext context;
    private final ScheduledExecutorService sampler;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private Set<String> streaming = new TreeSet<>();
    private HikariDataSource pool;
    private int tracked;
    private long skipped;
    private long held;
    private long takenOver;
    private String health = "";
    private long healthSampledNanos;

    private InstanceMain(InstanceOptions options, PrintStream out) throws IOException {
        this.options = options;
        this.out = out;
        this.writer = Files.newBufferedWriter(options.output(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        this.context = new DefaultCamelContext();
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "it-ownership-sampler");
            t.setDaemon(true);
            return t;
        });
    }

    public static void main(String[] args) throws Exception {
        InstanceOptions options = InstanceOptions.parse(args);
        String apiKey = System.getenv(InstanceOptions.API_KEY_ENV);
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalStateException("The API key is expected in the environment variable " + InstanceOptions.API_KEY_ENV);
        }
        InstanceMain instance = new InstanceMain(options, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "it-shutdown-hook")); // SIGTERM
        instance.start(apiKey);
        awaitEndOfInput(System.in);
        instance.stop();
        System.exit(0);
    }

    private static void awaitEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the test writes nothing; only the end matters
            }
        } catch (IOException e) {
            // the parent is gone: stop as well
        }
    }

    private void start(String apiKey) throws Exception {
        context.getCamelContextExtension().setName("instance-" + options.name());
        context.getShutdownStrategy().setTimeout(15);
        CamelClusterService cluster = clusterService();
        if (cluster != null) {
            context.addService(cluster);
        }
        if (options.jdbcUrl() != null) {
            JdbcMessageIdRepository repository = jdbcRepository();
            context.getRegistry().bind(REPOSITORY_BEAN, repository);
            context.addService(repository); // started with the context: the table is created then
        }
        context.getRegistry().bind("itErrors", new PrintingExceptionHandler());
        // on the component, so the key is in no endpoint URI
        context.getComponent("fireflies", FirefliesComponent.class).getConfiguration().setApiKey(apiKey);
        if (options.webhookPort() > 0) {
            String secret = System.getenv(InstanceOptions.WEBHOOK_SECRET_ENV);
            if (secret == null || secret.isBlank()) {
                throw new IllegalStateException("The webhook secret is expected in the environment variable "
                                                + InstanceOptions.WEBHOOK_SECRET_ENV);
            }
            context.getComponent("fireflies", FirefliesComponent.class).getConfiguration().setWebhookSecret(secret);
            VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
            server.setBindHost("127.0.0.1");
            server.setBindPort(options.webhookPort());
            context.addService(new VertxPlatformHttpServer(server));
            context.getRestConfiguration().setHost("127.0.0.1");
            context.getRestConfiguration().setPort(options.webhookPort());
        }
        String uri = options.endpointUri();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(ROUTE_ID).process(InstanceMain.this::append);
            }
        });
        context.start();
        if (options.jdbcUrl() != null) {
            say("REPOSITORY " + InstanceOptions.REPOSITORY_PROCESSOR_NAME);
        }
        MeetingsConsumer consumer = meetingsConsumer(context.getRoute(ROUTE_ID).getConsumer());
        sampler.scheduleWithFixedDelay(() -> sampleOwnership(consumer), 0, OWNERSHIP_SAMPLE_MILLIS,
                TimeUnit.MILLISECONDS);
        say("READY " + options.name());
    }

    /** The route's consumer, or with webhooks the meetings consumer behind its REST consumer's webhook handler. */
    private static MeetingsConsumer meetingsConsumer(Consumer routeConsumer) {
        if (routeConsumer instanceof MeetingsConsumer m) {
            return m;
        }
        if (routeConsumer instanceof DefaultConsumer d && d.getProcessor() instanceof WebhookHandler h
            && h.target() instanceof MeetingsTarget t) {
            return t.consumer();
        }
        throw new IllegalStateException("No meetings consumer behind " + routeConsumer);
    }

    private CamelClusterService clusterService() {
        switch (options.cluster()) {
            case ZOOKEEPER: {
                ZooKeeperClusterService zk = new ZooKeeperClusterService();
                zk.setId(options.name()); // the member id: unique per instance
                zk.setNodes(options.clusterTarget());
                zk.setBasePath(InstanceOptions.ZOOKEEPER_BASE_PATH);
                // what decides the takeover time after a crash: the dead member's ephemeral znodes go when its
                // session expires
                // session (milliseconds)
                zk.setSessionTimeout(options.zkSessionTimeoutMillis());
                zk.setConnectTimeout(Math.min(options.zkSessionTimeoutMillis(), 15_000));
                return zk;
            }
            case FILE: {
                FileLockClusterService file = new FileLockClusterService();
                file.setId(options.name());
                file.setRoot(options.clusterTarget());
                file.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
                file.setAcquireLockInterval(200, TimeUnit.MILLISECONDS);
                return file;
            }
            default:
                return null;
        }
    }

    private JdbcMessageIdRepository jdbcRepository() {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(options.jdbcUrl());
        if (options.jdbcUser() != null) {
            pg.setUser(options.jdbcUser());
        }
        // a small pool: a connection per call costs a PostgreSQL backend each time; a call waits at most 2 s for a
        // connection, so that a database that is away fails the call instead of holding it
        HikariConfig config = new HikariConfig();
        config.setDataSource(pg);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        config.setPoolName("it-" + options.name());
        pool = new HikariDataSource(config);
        javax.sql.DataSource ds = pool;
        // camel-sql's default schema: CAMEL_MESSAGEPROCESSED (processorName, messageId VARCHAR(100), createdAt), made
        // beforehand (IdempotentSchema): instances starting together on an empty database would race to create it
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(ds, InstanceOptions.REPOSITORY_PROCESSOR_NAME);
        repository.setCreateTableIfNotExists(false);
        return repository;
    }

    /** One JSON line per exchange, flushed before the exchange completes. */
    private void append(Exchange exchange) throws IOException {
        Message m = exchange.getMessage();
        ObjectNode line = JSON.createObjectNode()
                .put("instance", options.name())
                .put("nanos", System.nanoTime())
                .put("at", System.currentTimeMillis())
                .put("event", m.getHeader(FirefliesConstants.EVENT, String.class))
                .put("transcriptId", m.getHeader(FirefliesConstants.TRANSCRIPT_ID, String.class))
                .put("chunkId", m.getHeader(FirefliesConstants.CHUNK_ID, String.class))
                .put("speaker", m.getHeader(FirefliesConstants.SPEAKER_NAME, String.class))
                .put("startTime", m.getHeader(FirefliesConstants.START_TIME, Double.class))
                .put("endTime", m.getHeader(FirefliesConstants.END_TIME, Double.class))
                .put("chunkRevision", m.getHeader(FirefliesConstants.CHUNK_REVISION, Integer.class))
                .put("chunkFinal", m.getHeader(FirefliesConstants.CHUNK_FINAL, Boolean.class))
                .put("correction", m.getHeader(FirefliesConstants.CORRECTION, Boolean.class))
                .put("backfill", m.getHeader(FirefliesConstants.BACKFILL, Boolean.class))
                .put("reconnected", m.getHeader(FirefliesConstants.RECONNECTED, Boolean.class))
                .put("gapMillis", m.getHeader(FirefliesConstants.GAP_MILLIS, Long.class))
                .put("meetingTitle", m.getHeader(FirefliesConstants.MEETING_TITLE, String.class));
        Object body = m.getBody();
        line.put("text", body instanceof TranscriptionEvent te ? te.text() : null);
        String json = JSON.writeValueAsString(line);
        synchronized (writer) {
            writer.write(json);
            writer.write('\n');
            writer.flush();
        }
    }

    private void sampleOwnership(MeetingsConsumer consumer) {
        try {
            long nowSkipped = consumer.getDuplicateSegmentsSkipped();
            if (nowSkipped != skipped) {
                skipped = nowSkipped;
                say("SKIPPED " + nowSkipped);
            }
            long nowHeld = consumer.getSegmentsHeld();
            if (nowHeld != held) {
                held = nowHeld;
                say("HELD " + nowHeld);
            }
            long nowTaken = consumer.getMeetingsTakenOver();
            if (nowTaken != takenOver) {
                takenOver = nowTaken;
                say("TAKENOVER " + nowTaken);
            }
            long sampled = System.nanoTime();
            if (sampled - healthSampledNanos >= TimeUnit.MILLISECONDS.toNanos(HEALTH_SAMPLE_MILLIS)
                && consumer.getHealthCheck() != null) {
                healthSampledNanos = sampled;
                HealthCheck.Result r = consumer.getHealthCheck().call();
                String h = r.getState() + (r.getMessage().isPresent() ? " " + r.getMessage().get() : "");
                if (!h.equals(health)) {
                    health = h;
                    say("HEALTH " + h);
                }
            }
            int nowTracked = consumer.getMeetingsTracked();
            if (nowTracked != tracked) {
                tracked = nowTracked;
                say("TRACKED " + nowTracked);
            }
            Set<String> now = consumer.streamingMeetingIds();
            long nanos = System.nanoTime();
            long millis = System.currentTimeMillis();
            for (String id : now) {
                if (!streaming.contains(id)) {
                    say("STREAMING " + id + " " + nanos + " " + millis);
                }
            }
            for (String id : streaming) {
                if (!now.contains(id)) {
                    say("RELEASED " + id + " " + nanos + " " + millis);
                }
            }
            streaming = new TreeSet<>(now);
        } catch (RuntimeException e) {
            say("ERROR ownership sampler: " + e);
        }
    }

    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        say("STOPPING");
        try {
            context.stop();
        } finally {
            if (pool != null) {
                pool.close();
            }
            sampler.shutdownNow();
            try {
                sampler.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (writer) {
                try {
                    writer.close();
                } catch (IOException e) {
                    say("ERROR closing the output: " + e);
                }
            }
            say("STOPPED");
        }
    }

    private void say(String line) {
        synchronized (out) {
            out.println(PREFIX + line);
            out.flush();
        }
    }

    /** Prints what the consumer reports (never the key: the component keeps it out of its messages). */
    private final class PrintingExceptionHandler implements ExceptionHandler {

        @Override
        public void handleException(Throwable exception) {
            handleException(null, null, exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            handleException(message, null, exception);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            say("ERROR " + (message != null ? message : "") + (exception != null ? " (" + exception + ")" : ""));
            if (exception != null) {
                exception.printStackTrace(); // stderr, into the test log
            }
        }
    }
}
