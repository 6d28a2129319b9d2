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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Valid sample arguments of an operation, made from the catalogue: every argument, or the required ones only. */
public final class SampleArguments {

    private SampleArguments() {
    }

    public static Map<String, Object> of(String operation, boolean all) {
        OperationSpec op = Catalogue.operation(operation);
        Map<String, Object> args = new LinkedHashMap<>();
        for (OperationSpec.Argument a : op.arguments().values()) {
            if (all || a.required()) {
                args.put(a.name(), value(a.type(), all));
            }
        }
        return args;
    }

    private static Object value(TypeRef type, boolean all) {
        if (type.isList()) {
            return List.of(value(type.item(), all));
        }
        Map<String, TypeRef> input = Catalogue.inputType(type.name());
        if (input != null) {
            Map<String, Object> fields = new LinkedHashMap<>();
            input.forEach((name, t) -> {
                if (all || t.nonNull()) {
                    fields.put(name, value(t, all));
                }
            });
            return fields;
        }
        List<String> values = Catalogue.enumValues(type.name());
        if (values != null) {
            return values.get(values.size() - 1);
        }
        return switch (type.name()) {
            case "Int" -> 20;
            case "Float" -> 12.5;
            case "Boolean" -> Boolean.TRUE;
            case "DateTime" -> "2026-12-01T09:00:00Z";
            case "ID" -> "id-7";
            default -> "text-" + type.name().length();
        };
    }
}
