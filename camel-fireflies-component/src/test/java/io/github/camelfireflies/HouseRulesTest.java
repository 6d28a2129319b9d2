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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of the house, read from the main sources' package and import lines: the Camel layer at the root, the
 * typed bodies in {@code api}, the Camel-free engine under {@code internal}; no package imports one above it, none
 * takes part in a cycle, and a long class says why it is long.
 */
class HouseRulesTest {

    private static final String BASE = "io.github.camelfireflies";
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+?)\\.[A-Z]\\w*(?:\\.[\\w*]+)*;",
            Pattern.MULTILINE);

    /** Package to the packages (ours and others') its files import. */
    private static final Map<String, Set<String>> IMPORTS = new TreeMap<>();
    private static final List<Path> SOURCES = new ArrayList<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(SOURCES::add);
        }
        for (Path file : SOURCES) {
            String text = Files.readString(file);
            Matcher p = PACKAGE.matcher(text);
            assertThat(p.find()).as("package line of %s", file).isTrue();
            Set<String> imported = IMPORTS.computeIfAbsent(p.group(1), k -> new TreeSet<>());
            Matcher m = IMPORT.matcher(text);
            while (m.find()) {
                if (!m.group(1).equals(p.group(1))) {
                    imported.add(m.group(1));
                }
            }
        }
        assertThat(IMPORTS).containsKeys(BASE, BASE + ".api", BASE + ".internal.stream");
    }

    private static Set<String> ours(String pkg) {
        Set<String> result = new TreeSet<>();
        for (String i : IMPORTS.getOrDefault(pkg, Set.of())) {
            if (i.equals(BASE) || i.startsWith(BASE + ".")) {
                result.add(i);
            }
        }
        return result;
    }

    @Test
    void theEngineUnderInternalNeverImportsCamelNorTheCamelLayer() {
        for (String pkg : IMPORTS.keySet()) {
            if (pkg.startsWith(BASE + ".internal")) {
                assertThat(IMPORTS.get(pkg)).as("imports of %s", pkg)
                        .noneMatch(i -> i.startsWith("org.apache.camel"))
                        .doesNotContain(BASE, BASE + ".metrics");
            }
        }
    }

    @Test
    void theTypedBodiesImportNothingOfTheComponent() {
        assertThat(ours(BASE + ".api")).isEmpty();
    }

    @Test
    void noPackageImportsTheCamelLayerAtTheRoot() {
        for (String pkg : IMPORTS.keySet()) {
            if (!pkg.equals(BASE)) {
                assertThat(ours(pkg)).as("imports of %s", pkg).doesNotContain(BASE);
            }
        }
    }

    @Test
    void noPackageTakesPartInACycle() {
        for (String start : IMPORTS.keySet()) {
            // every package reachable from start; start must not be among them
            Set<String> seen = new HashSet<>();
            List<String> todo = new ArrayList<>(ours(start));
            while (!todo.isEmpty()) {
                String next = todo.remove(todo.size() - 1);
                if (seen.add(next)) {
                    todo.addAll(ours(next));
                }
            }
            assertThat(seen).as("packages reachable from %s", start).doesNotContain(start);
        }
    }

    @Test
    void aClassOverAbout450LinesSaysWhyInItsJavadoc() throws IOException {
        for (Path file : SOURCES) {
            List<String> lines = Files.readAllLines(file);
            if (lines.size() > 460) {
                assertThat(String.join("\n", lines)).as("%s has %d lines", file, lines.size())
                        .containsPattern("\\* Long because [^.]+\\.");
            }
        }
    }

    @Test
    void theEndpointOnlyHoldsOptionsAndMakesConsumersAndProducers() throws IOException {
        assertThat(Files.readAllLines(Path.of("src/main/java/io/github/camelfireflies/FirefliesEndpoint.java")))
                .hasSizeLessThan(320);
    }
}
