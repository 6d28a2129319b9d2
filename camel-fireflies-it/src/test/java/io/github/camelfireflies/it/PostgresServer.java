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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.opentest4j.TestAbortedException;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL server for a test: {@code initdb} into a temporary directory, {@code postgres} on 127.0.0.1
 * and a free port (no Unix socket outside that directory), one database, and on {@link #close()} a fast shutdown of
 * the postmaster by its PID and the directory deleted.
 * <p>
 * The binaries are Debian's ({@code apt-get install postgresql}): {@code /usr/lib/postgresql/<major>/bin}, 15 first,
 * or the directory in the system property {@value #BIN_DIR_PROPERTY}. PostgreSQL refuses to run as root, so as root
 * every command runs as the {@code postgres} user ({@code runuser -u postgres --}) and the directory is handed over
 * to it. Without the binaries (or without that user, as root) the calling test is skipped with the reason, except when
 * the environment variable {@code CI=true}, where it fails.
 * <p>
 * Authentication is {@code trust}: the server listens on the loopback interface only and lives as long as the test.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String BIN_DIR_PROPERTY = "fireflies.postgres.bin";
    public static final String USER = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final String READY = "database system is ready to accept connections";

    private final Path dir;
    private volatile Process process;
    private volatile long postmasterPid;
    private final int port;
    private final String database;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** How the server was started, for {@link #resume()}. */
    private volatile boolean root;
    private volatile List<String> command;

    private PostgresServer(Path dir, Process process, long postmasterPid, int port, String database) {
        this.dir = dir;
        this.process = process;
        this.postmasterPid = postmasterPid;
        this.port = port;
        this.database = database;
    }

    /**
     * Stops the server (fast shutdown, bounded) but keeps its data: a database that goes away under its clients.
     * {@link #resume()} starts it again on the same port.
     */
    public void pause() {
        stopPostmaster();
        LOG.info("PostgreSQL on 127.0.0.1:{} paused (stopped, data kept)", port);
    }

    /** Starts a paused server again, on the same port and data; waits until it accepts connections. */
    public void resume() {
        Process p = start(root, command);
        process = p;
        postmasterPid = awaitReady(p, dir.resolve("data"));
        LOG.info("PostgreSQL resumed (postmaster pid {}) on 127.0.0.1:{}", postmasterPid, port);
    }

    /** Starts a server with a database {@code database}; skips the test when PostgreSQL is not installed. */
    public static PostgresServer start(String database) {
        Path bin = binDir().orElseThrow(() -> unavailable("no PostgreSQL binaries in /usr/lib/postgresql/*/bin"
                                                          + " (system property " + BIN_DIR_PROPERTY + ")"));
        boolean root = isRoot();
        if (root && !userExists(USER)) {
            throw unavailable("running as root and there is no '" + USER + "' user to run PostgreSQL as");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("fireflies-pg");
            if (root) {
                chown(dir, USER);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare a directory for PostgreSQL", e);
        }
        Path data = dir.resolve("data");
        try {
            run(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-sync"));
            int port = freePort();
            List<String> command = List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p",
                    Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c",
                    "unix_socket_directories=" + dir, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
                    "full_page_writes=off", "-c", "max_connections=50");
            Process p = start(root, command);
            long pid = awaitReady(p, data);
            PostgresServer server = new PostgresServer(dir, p, pid, port, database);
            server.root = root;
            server.command = command;
            try {
                server.createDatabase();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            LOG.info("PostgreSQL (postmaster pid {}) listening on 127.0.0.1:{}, database {}", pid, port, database);
            return server;
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------ access

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return USER;
    }

    public int port() {
        return port;
    }

    /** The PID of the postmaster (not of the {@code runuser} wrapper). */
    public long pid() {
        return postmasterPid;
    }

    /** A data source on the database (no pool). */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl());
        ds.setUser(USER);
        return ds;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    private void createDatabase() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + database.replace("\"", "") + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the database " + database, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /**
     * Fast shutdown (SIGINT to the postmaster: open sessions are ended), waits for it, then SIGKILL if it did not end;
     * deletes the directory. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopPostmaster();
        deleteQuietly(dir);
    }

    private void stopPostmaster() {
        long postmasterPid = this.postmasterPid;
        Process process = this.process;
        Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid);
        if (postmaster.isPresent() && postmaster.get().isAlive()) {
            signal("INT", postmasterPid);
            try {
                postmaster.get().onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("PostgreSQL (pid {}) did not stop within {}: SIGKILL", postmasterPid, STOP_TIMEOUT);
                postmaster.get().destroyForcibly();
            } catch (InterruptedException e) {
                postmaster.get().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LOG.info("PostgreSQL (postmaster pid {}) stopped: postmaster alive {}, launcher alive {}", postmasterPid,
                ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false), process.isAlive());
    }

    @Override
    public String toString() {
        return "PostgresServer[pid " + postmasterPid + ", " + jdbcUrl() + "]";
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Optional<Path> binDir() {
        String prop = System.getProperty(BIN_DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Optional.of(Path.of(prop)).filter(PostgresServer::hasBinaries);
        }
        Path base = Path.of("/usr/lib/postgresql");
        if (hasBinaries(base.resolve("15/bin"))) {
            return Optional.of(base.resolve("15/bin"));
        }
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin")).filter(PostgresServer::hasBinaries)
                    .max(Comparator.comparing(p -> p.getParent().getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasBinaries(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("postgres"));
    }

    private static boolean isRoot() {
        try {
            return "root".equals(Files.getOwner(Path.of("/proc/self")).getName());
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean userExists(String user) {
        try {
            Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void chown(Path path, String user) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = lookup.lookupPrincipalByName(user);
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(owner);
        try {
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(user);
            view.setGroup(group);
        } catch (IOException e) {
            // no group of that name: the owner is enough
        }
    }

    private static List<String> asUser(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", USER, "--"));
        cmd.addAll(command);
        return cmd;
    }

    private static void run(boolean root, List<String> command) {
        List<String> cmd = asUser(root, command);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + cmd, e);
        }
        Deque<String> tail = new ArrayDeque<>();
        CompletableFuture<Void> done = pump(p.getInputStream(), line -> {
            LOG.debug("[{}] {}", Path.of(command.get(0)).getFileName(), line);
            synchronized (tail) {
                if (tail.size() == 30) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
        });
        try {
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " did not finish within " + COMMAND_TIMEOUT);
            }
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + cmd, e);
        } catch (ExecutionException | TimeoutException e) {
            // the output is incomplete; the exit code decides
        }
        if (p.exitValue() != 0) {
            synchronized (tail) {
                throw new IllegalStateException(cmd + " failed with exit code " + p.exitValue() + ":\n"
                                                + String.join("\n", tail));
            }
        }
    }

    private static Process start(boolean root, List<String> command) {
        List<String> cmd = asUser(root, command);
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + cmd, e);
        }
    }

    /** Waits for the server's "ready" line; returns the postmaster's PID (from postmaster.pid). */
    private static long awaitReady(Process p, Path data) {
        String prefix = "[postgres " + p.pid() + "] ";
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        pump(p.getInputStream(), line -> {
            LOG.info("{}{}", prefix, line);
            synchronized (tail) {
                if (tail.size() == 30) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
            if (line.contains(READY)) {
                ready.complete(null);
            }
        }).whenComplete((v, e) -> ready.completeExceptionally(new IllegalStateException("postgres exited")));
        try {
            ready.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            String first = Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
            return Long.parseLong(first);
        } catch (InterruptedException | ExecutionException | TimeoutException | IOException | RuntimeException e) {
            p.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            synchronized (tail) {
                throw new IllegalStateException("PostgreSQL did not start within " + STARTUP_TIMEOUT + ":\n"
                                                + String.join("\n", tail), e);
            }
        }
    }

    private static CompletableFuture<Void> pump(InputStream in, java.util.function.Consumer<String> onLine) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    onLine.accept(line);
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                done.complete(null);
            }
        }, "postgres-output-pump");
        t.setDaemon(true);
        t.start();
        return done;
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.warn("Cannot send SIG{} to {}: {}", signal, pid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", dir, e.toString());
        }
    }

    /** Skips the test (or fails it on CI) with a message that says what is needed. */
    private static RuntimeException unavailable(String why) {
        String message = "These tests need PostgreSQL (Debian: apt-get install postgresql; .ci/extra-setup does it): "
                         + why;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return new IllegalStateException(message);
        }
        LOG.warn("Skipped: {}", message);
        return new TestAbortedException(message);
    }
}
