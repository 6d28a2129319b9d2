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
package io.github.camelfireflies.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the READMEs in step with the build: every {@code -f DIR} and {@code -pl MODULE} of a command names a module
 * directory, every {@code -Dexample.main=} and {@code -Dexec.mainClass=} class exists, every {@code java -jar} lies in
 * a module, every relative link points at a file that exists, and every module of the build is named in the root
 * README. Reads files only: fast enough for every build.
 */
class ReadmeCommandsTest {

    private static final Pattern FILE_OPTION = Pattern.compile("(?:^|\\s)-f\\s+(\\S+)");
    private static final Pattern MODULES_OPTION = Pattern.compile("(?:^|\\s)-pl\\s+(\\S+)");
    private static final Pattern MAIN_CLASS = Pattern.compile("-D(?:example\\.main|exec\\.mainClass)=([\\w.]+)");
    private static final Pattern JAR = Pattern.compile("java\\s+-jar\\s+(\\S+)");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private static Path root;
    private static List<Path> readmes;

    @BeforeAll
    static void findTheRepository() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("README.md")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root (mvnw and README.md) above " + Path.of("").toAbsolutePath()).isNotNull();
        root = dir;
        try (Stream<Path> files = Files.walk(root, 3)) {
            readmes = files.filter(p -> p.getFileName().toString().equals("README.md"))
                    .filter(p -> !root.relativize(p).toString().contains("node_modules"))
                    .filter(p -> !root.relativize(p).startsWith("target"))
                    .sorted().toList();
        }
        assertThat(readmes).contains(root.resolve("README.md"));
    }

    /** The lines of code in a README: code blocks and inline code spans that run something. */
    private static List<String> commands(Path readme) throws IOException {
        List<String> out = new ArrayList<>();
        String text = Files.readString(readme).replace("\\\n", " ");
        boolean inBlock = false;
        for (String line : text.split("\\R")) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (inBlock) {
                out.add(line);
            } else {
                Matcher m = Pattern.compile("`([^`]+)`").matcher(line);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out.stream().filter(l -> l.contains("mvnw") || l.contains("java -jar")).toList();
    }

    private static boolean isModule(Path dir) {
        return Files.isDirectory(dir) && Files.exists(dir.resolve("pom.xml"));
    }

    @Test
    void everyCommandNamesModulesAndClassesThatExist() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path readme : readmes) {
            String where = root.relativize(readme).toString();
            for (String command : commands(readme)) {
                checked++;
                Matcher f = FILE_OPTION.matcher(command);
                while (f.find()) {
                    if (!isModule(root.resolve(f.group(1)))) {
                        problems.add(where + ": -f " + f.group(1) + " is not a module directory: " + command);
                    }
                }
                Matcher pl = MODULES_OPTION.matcher(command);
                while (pl.find()) {
                    for (String module : pl.group(1).split(",")) {
                        if (!isModule(root.resolve(module))) {
                            problems.add(where + ": -pl " + module + " is not a module directory: " + command);
                        }
                    }
                }
                Matcher main = MAIN_CLASS.matcher(command);
                while (main.find()) {
                    String source = main.group(1).replace('.', '/') + ".java";
                    try (Stream<Path> files = Files.walk(root, 12)) {
                        boolean found = files.filter(p -> p.toString().endsWith("/src/main/java/" + source))
                                .anyMatch(p -> !p.toString().contains("/node_modules/"));
                        if (!found) {
                            problems.add(where + ": no class " + main.group(1) + ": " + command);
                        }
                    }
                }
                Matcher jar = JAR.matcher(command);
                while (jar.find()) {
                    String path = jar.group(1);
                    int target = path.indexOf("/target/");
                    if (target < 0 || !isModule(root.resolve(path.substring(0, target)))) {
                        problems.add(where + ": " + path + " is not in a module's target directory: " + command);
                    }
                }
            }
        }
        assertThat(problems).as("README commands").isEmpty();
        assertThat(checked).as("commands found in " + readmes).isGreaterThan(10);
    }

    @Test
    void everyRelativeLinkPointsAtAFileThatExists() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path readme : readmes) {
            Matcher m = LINK.matcher(Files.readString(readme));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http:") || target.startsWith("https:") || target.startsWith("#")
                    || target.startsWith("mailto:")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                if (!Files.exists(readme.getParent().resolve(file).normalize())) {
                    problems.add(root.relativize(readme) + ": " + target);
                }
            }
        }
        assertThat(problems).as("broken links").isEmpty();
    }

    @Test
    void everyModuleIsNamedInTheReadme() throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        List<String> missing = new ArrayList<>();
        for (String module : modules(root, "")) {
            if (!readme.contains(module)) {
                missing.add(module);
            }
        }
        assertThat(missing).as("modules the root README does not name").isEmpty();
    }

    @Test
    void everyExampleWithAMainIsInTheReadme() throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        Path examples = root.resolve("camel-fireflies-examples/camel-main/src/main/java/io/github/camelfireflies/examples");
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.list(examples)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString().replace(".java", "");
                if (Files.readString(p).contains("public static void main(") && !readme.contains(name)) {
                    missing.add(name);
                }
            }
        }
        assertThat(missing).as("runnable examples the root README does not name").isEmpty();
    }

    /** The module directories of the build below {@code dir}, as paths from the root. */
    private static List<String> modules(Path dir, String prefix) throws IOException {
        List<String> all = new ArrayList<>();
        Matcher m = MODULE.matcher(Files.readString(dir.resolve("pom.xml")));
        while (m.find()) {
            String name = m.group(1).trim();
            all.add(prefix + name);
            if (Files.readString(dir.resolve(name).resolve("pom.xml")).contains("<modules>")) {
                all.addAll(modules(dir.resolve(name), prefix + name + "/"));
            }
        }
        return all;
    }
}
