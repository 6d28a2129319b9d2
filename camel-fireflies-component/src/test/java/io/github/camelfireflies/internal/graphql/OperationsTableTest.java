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

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The table of operations in the component's docs says what the catalogue says. */
class OperationsTableTest {

    @Test
    void theDocsListEveryOperationWithItsArgumentsAndDefaultSelection() throws Exception {
        String docs = Files.readString(Path.of("src/main/docs/fireflies-component.adoc"));
        for (OperationSpec op : Catalogue.operations()) {
            String args = op.signature().isEmpty() ? "-" : "`" + op.signature() + "`";
            assertThat(docs).as(op.name()).contains("| `" + op.name() + "` | " + op.kind().keyword());
            assertThat(docs).as(op.name()).contains(" | " + args + " | `" + op.defaultSelection() + "` | ");
        }
    }
}
