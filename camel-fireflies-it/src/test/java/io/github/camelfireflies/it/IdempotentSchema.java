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
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

/**
 * The table of camel-sql's {@link JdbcMessageIdRepository}, created once before the instances start, as a deployment
 * would (a schema migration). Left to the repositories, two instances starting together on an empty database both
 * find the table missing and both create it, and the loser's CamelContext fails to start ("relation ... already
 * exists"); the instances therefore run with {@code createTableIfNotExists=false}.
 */
final class IdempotentSchema {

    private IdempotentSchema() {
    }

    /** camel-sql's own {@code CREATE TABLE} (columns and primary key as it would create them), if the table is missing. */
    static void createIfMissing(DataSource ds) throws SQLException {
        String create = new JdbcMessageIdRepository().getCreateString()
                .replaceFirst("(?i)^CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(create);
        }
    }
}
