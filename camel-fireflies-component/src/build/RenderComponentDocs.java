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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Build step (run by exec-maven-plugin at process-classes, after camel-component-maven-plugin): renders the options
 * and headers tables of the generated component JSON into the AsciiDoc page, between its START/END markers, so the
 * page read on GitHub always matches the catalog. Hand-written text outside the markers is kept.
 * <p>
 * Usage: {@code java -cp <jackson> RenderComponentDocs.java <component.json> <page.adoc>}
 */
public class RenderComponentDocs {

    public static void main(String[] args) throws Exception {
        JsonNode json = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        Path page = Path.of(args[1]);
        String doc = Files.readString(page, StandardCharsets.UTF_8);
        doc = replace(doc, "component options", options(json.get("componentProperties"), false));
        doc = replace(doc, "endpoint options", options(json.get("properties"), true));
        doc = replace(doc, "headers", headers(json.get("headers")));
        Files.writeString(page, doc, StandardCharsets.UTF_8);
    }

    private static String replace(String doc, String section, String body) {
        String start = "// " + section + ": START\n";
        String end = "// " + section + ": END";
        int a = doc.indexOf(start);
        int b = doc.indexOf(end);
        if (a < 0 || b < a) {
            throw new IllegalStateException("Markers '" + start.trim() + "' / '" + end + "' not found");
        }
        return doc.substring(0, a + start.length()) + body + doc.substring(b);
    }

    private static String options(JsonNode props, boolean endpoint) {
        StringBuilder sb = new StringBuilder();
        sb.append("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n| Name | Description | Default | Type\n");
        for (Map.Entry<String, JsonNode> e : props.properties()) {
            JsonNode p = e.getValue();
            String kind = p.path("kind").asText();
            String name = "path".equals(kind) ? e.getKey() + " (path)" : e.getKey();
            String desc = p.path("description").asText();
            if (p.path("required").asBoolean()) {
                desc = "*Required* " + desc;
            }
            if (p.path("secret").asBoolean()) {
                desc = desc + " _(secret)_";
            }
            if (p.has("enum")) {
                StringBuilder en = new StringBuilder();
                p.get("enum").forEach(v -> en.append(en.length() == 0 ? "" : ", ").append(v.asText()));
                desc = desc + " Enum values: " + en + ".";
            }
            String label = p.path("label").asText();
            sb.append("| *").append(escape(name)).append("*")
                    .append(label.isEmpty() ? "" : " (" + escape(label) + ")")
                    .append(" | ").append(escape(desc))
                    .append(" | ").append(escape(p.path("defaultValue").asText("")))
                    .append(" | ").append(escape(shortType(p.path("javaType").asText())))
                    .append('\n');
        }
        sb.append("|===\n");
        return sb.toString();
    }

    private static String headers(JsonNode headers) {
        StringBuilder sb = new StringBuilder();
        sb.append("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n|===\n| Name | Description | Default | Type\n");
        for (Map.Entry<String, JsonNode> e : headers.properties()) {
            JsonNode h = e.getValue();
            sb.append("| *").append(escape(e.getKey())).append("* (").append(escape(h.path("label").asText("consumer")))
                    .append(")\n`+").append(escape(h.path("constantName").asText())).append("+`")
                    .append(" | ").append(escape(h.path("description").asText()))
                    .append(" | ").append(escape(h.path("defaultValue").asText("")))
                    .append(" | ").append(escape(shortType(h.path("javaType").asText())))
                    .append('\n');
        }
        sb.append("|===\n");
        return sb.toString();
    }

    private static String shortType(String javaType) {
        int lt = javaType.indexOf('<');
        String raw = lt < 0 ? javaType : javaType.substring(0, lt);
        return raw.substring(raw.lastIndexOf('.') + 1).replace('$', '.');
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }
}
