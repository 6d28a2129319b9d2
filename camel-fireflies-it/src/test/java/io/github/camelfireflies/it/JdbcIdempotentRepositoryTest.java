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

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * camel-sql's JDBC {@code IdempotentRepository} ({@link JdbcMessageIdRepository}) on a real PostgreSQL 15
 * ({@link PostgresServer}): what the multi-instance tests will share between JVMs. Its table is created when the
 * repository starts; keys are per processor name; a second repository on the same table (another instance, or the
 * same one after a restart) sees what the first recorded.
 */
class JdbcIdempotentRepositoryTest {

    private static PostgresServer postgres;
    private final List<CamelContext> contexts = new ArrayList<>();

    /** Once for the class, but from each test: without PostgreSQL each test is reported skipped, with the reason. */
    @BeforeEach
    void startPostgres() {
        if (postgres == null) {
            postgres = PostgresServer.start("fireflies_repository");
        }
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
            assertThat(ProcessHandle.of(postgres.pid()).map(ProcessHandle::isAlive).orElse(false))
                    .as("postmaster %d after close", postgres.pid()).isFalse();
        }
    }

    @AfterEach
    void stopContexts() {
        contexts.forEach(CamelContext::stop);
    }

    /** A repository started as an instance starts it: as a service of its CamelContext. */
    private JdbcMessageIdRepository started(DataSource ds, String processorName) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(ds, processorName);
        CamelContext context = new DefaultCamelContext();
        try {
            context.addService(repository);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        context.start();
        contexts.add(context);
        return repository;
    }

    private static boolean tableExists() throws Exception {
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables"
                                           + " WHERE table_name = 'camel_messageprocessed'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }

    private static int rows(String processorName) throws Exception {
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM camel_messageprocessed WHERE processorName = '"
                                           + processorName + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void recordsConfirmsAndRemovesKeysSharedByEveryRepositoryOnTheTable() throws Exception {
        DataSource ds = postgres.dataSource();
        JdbcMessageIdRepository first = started(ds, "meetings-final");
        assertThat(tableExists()).as("CAMEL_MESSAGEPROCESSED created on start").isTrue();
        IdempotentSchema.createIfMissing(ds); // what the multi-instance tests run first: harmless on an existing table

        String key = "transcript-1/chunk-7";
        assertThat(first.contains(key)).isFalse();
        assertThat(first.add(key)).as("first add").isTrue();
        assertThat(first.add(key)).as("second add of the same key").isFalse();
        assertThat(first.contains(key)).isTrue();
        assertThat(first.confirm(key)).isTrue();
        assertThat(rows("meetings-final")).isEqualTo(1);

        // another instance on the same database (the table exists now): it sees the key, and its own adds count
        JdbcMessageIdRepository second = started(ds, "meetings-final");
        assertThat(second.contains(key)).isTrue();
        assertThat(second.add(key)).isFalse();
        assertThat(second.add("transcript-1/chunk-8")).isTrue();
        assertThat(first.contains("transcript-1/chunk-8")).isTrue();

        // another processor name is another set of keys on the same table
        JdbcMessageIdRepository other = started(ds, "another-route");
        assertThat(other.contains(key)).isFalse();
        assertThat(other.add(key)).isTrue();

        // remove (what Camel's idempotent consumer does when the exchange fails), then clear one processor's keys
        assertThat(second.remove(key)).isTrue();
        assertThat(first.contains(key)).isFalse();
        assertThat(second.remove(key)).as("removing a missing key").isFalse();
        assertThat(other.contains(key)).isTrue();
        first.clear();
        assertThat(rows("meetings-final")).isZero();
        assertThat(rows("another-route")).isEqualTo(1);
    }

    @Test
    void keysAreLimitedTo100Characters() {
        // the default schema's messageId is VARCHAR(100): a key made of transcript id and chunk id must fit
        JdbcMessageIdRepository repository = started(postgres.dataSource(), "limits");
        String longest = "t".repeat(60) + "/" + "c".repeat(39);
        assertThat(longest).hasSize(100);
        assertThat(repository.add(longest)).isTrue();
        assertThat(repository.contains(longest)).isTrue();
        assertThatThrownBy(() -> repository.add(longest + "x")).hasMessageContaining("character varying(100)");
    }
}
