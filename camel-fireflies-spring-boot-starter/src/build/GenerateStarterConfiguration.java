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

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Build step (run by exec-maven-plugin at generate-sources): writes the starter's
 * {@code FirefliesComponentConfiguration} (the {@code camel.component.fireflies.*} properties) from the component's
 * catalog JSON found on the class path, one property per component option, with its description and default, so that
 * the starter cannot drift from the component. Spring Boot's configuration processor then makes the IDE metadata from
 * it.
 * <p>
 * Usage: {@code java -cp <component jar and jackson> GenerateStarterConfiguration.java <output source root>}
 */
public class GenerateStarterConfiguration {

    private static final String CATALOG = "META-INF/io/github/camelfireflies/fireflies.json";
    private static final String PACKAGE = "io.github.camelfireflies.springboot";
    private static final String CLASS = "FirefliesComponentConfiguration";

    public static void main(String[] args) throws Exception {
        JsonNode catalog;
        try (InputStream in = GenerateStarterConfiguration.class.getClassLoader().getResourceAsStream(CATALOG)) {
            if (in == null) {
                throw new IllegalStateException(CATALOG + " is not on the class path: build camel-fireflies first");
            }
            catalog = new ObjectMapper().readTree(in);
        }
        String source = generate(catalog.get("componentProperties"));
        Path out = Path.of(args[0]).resolve(PACKAGE.replace('.', '/')).resolve(CLASS + ".java");
        Files.createDirectories(out.getParent());
        if (!Files.exists(out) || !Files.readString(out, StandardCharsets.UTF_8).equals(source)) {
            Files.writeString(out, source, StandardCharsets.UTF_8);
        }
    }

    static String generate(JsonNode props) {
        StringBuilder fields = new StringBuilder();
        StringBuilder accessors = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : props.properties()) {
            String name = e.getKey();
            JsonNode p = e.getValue();
            String type = propertyType(p);
            String init = initializer(p, type);
            fields.append("    /**\n").append(javadoc(description(p))).append("     */\n")
                    .append("    private ").append(type).append(' ').append(name)
                    .append(init == null ? "" : " = " + init).append(";\n\n");
            String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            accessors.append("    public ").append(type).append(" get").append(cap).append("() {\n")
                    .append("        return ").append(name).append(";\n    }\n\n")
                    .append("    public void set").append(cap).append('(').append(type).append(' ').append(name)
                    .append(") {\n        this.").append(name).append(" = ").append(name).append(";\n    }\n\n");
        }
        return """
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
                package %s;

                import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
                import org.springframework.boot.context.properties.ConfigurationProperties;

                /**
                 * The {@code camel.component.fireflies.*} properties: one per option of the {@code fireflies} component,
                 * copied onto the component (and so becoming the default of every {@code fireflies:} endpoint) when Camel
                 * creates it. Generated from the component's catalog by the build: do not edit.
                 */
                @ConfigurationProperties(prefix = "camel.component.fireflies")
                public class %s extends ComponentConfigurationPropertiesCommon {

                    /**
                     * Whether to enable auto configuration of the fireflies component. This is enabled by default.
                     */
                    private Boolean enabled;

                %s%s}
                """.formatted(PACKAGE, CLASS, fields, accessors.toString().stripTrailing() + "\n");
    }

    /** The property's Java type in the starter: wrappers, Duration for durations, the option's own type otherwise. */
    static String propertyType(JsonNode p) {
        String type = p.path("type").asText();
        String javaType = p.path("javaType").asText();
        return switch (type) {
            case "duration" -> "java.time.Duration";
            case "boolean" -> "Boolean";
            case "integer" -> javaType.equals("long") ? "Long" : "Integer";
            case "number" -> javaType.equals("float") ? "Float" : "Double";
            case "string" -> "String";
            default -> javaType.replace('$', '.');
        };
    }

    static String initializer(JsonNode p, String type) {
        JsonNode d = p.get("defaultValue");
        if (d == null || d.isNull()) {
            return null;
        }
        String v = d.asText();
        return switch (type) {
            case "java.time.Duration" -> "java.time.Duration.ofMillis(" + Long.parseLong(v) + "L)";
            case "Boolean" -> Boolean.toString(d.asBoolean());
            case "Integer" -> Integer.toString(Integer.parseInt(v));
            case "Long" -> Long.parseLong(v) + "L";
            case "Double" -> Double.toString(Double.parseDouble(v));
            case "Float" -> Float.parseFloat(v) + "F";
            case "String" -> '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
            default -> p.has("enum") ? type + "." + enumConstant(type, v) : null;
        };
    }

    /** The enum constant the catalog's default names (in any case), as the option's class on the class path spells it. */
    static String enumConstant(String type, String value) {
        Class<?> enumType = load(type);
        for (Object constant : enumType.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            if (name.equalsIgnoreCase(value) || name.equalsIgnoreCase(value.replace('-', '_'))) {
                return name;
            }
        }
        throw new IllegalStateException("No constant " + value + " in " + type);
    }

    /** A class by its canonical name, nested classes included (a.b.Outer.Inner is a.b.Outer$Inner). */
    static Class<?> load(String canonicalName) {
        String name = canonicalName;
        while (true) {
            try {
                return Class.forName(name, false, GenerateStarterConfiguration.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                int dot = name.lastIndexOf('.');
                if (dot < 0) {
                    throw new IllegalStateException("Cannot load " + canonicalName, e);
                }
                name = name.substring(0, dot) + '$' + name.substring(dot + 1);
            }
        }
    }

    static String description(JsonNode p) {
        String desc = p.path("description").asText().trim();
        String type = p.path("type").asText();
        if ("duration".equals(type)) {
            desc += " A plain number is read as milliseconds; 30s, 5m and the like work too.";
        }
        if ("object".equals(type)) {
            desc += " The option is a " + p.path("javaType").asText() + " type: give a bean reference, #bean:name.";
        }
        return desc;
    }

    static String javadoc(String text) {
        StringBuilder sb = new StringBuilder();
        StringBuilder line = new StringBuilder("     *");
        for (String word : text.replace("*/", "* /").split("\\s+")) {
            if (line.length() + 1 + word.length() > 118 && line.length() > 6) {
                sb.append(line).append('\n');
                line = new StringBuilder("     *");
            }
            line.append(' ').append(word.replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;"));
        }
        return sb.append(line).append('\n').toString();
    }
}
