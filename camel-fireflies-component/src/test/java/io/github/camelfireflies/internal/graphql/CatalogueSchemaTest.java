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

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import graphql.ExecutionInput;
import graphql.GraphQLError;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.language.AstPrinter;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.github.camelfireflies.api.graphql.GraphQLObject;
import io.github.camelfireflies.testsupport.GraphQLSchemaServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalogue, the default selections and the result records against the API's schema (the test resource
 * {@code fireflies-schema.graphql}) read with graphql-java: the same operations, arguments, types, defaults, input
 * types, enum values and object fields, and every document the component can send valid.
 */
class CatalogueSchemaTest {

    private static final TypeDefinitionRegistry REGISTRY = new SchemaParser().parse(GraphQLSchemaServer.schemaText());
    private static final GraphQLSchema SCHEMA = GraphQLSchemaServer.schema();

    static Stream<OperationSpec> operations() {
        return Catalogue.operations().stream();
    }

    private static List<FieldDefinition> fields(String type) {
        return REGISTRY.getType(type, ObjectTypeDefinition.class).orElseThrow().getFieldDefinitions();
    }

    private static FieldDefinition field(OperationSpec op) {
        String root = op.kind() == OperationSpec.Kind.QUERY ? "Query" : "Mutation";
        return fields(root).stream().filter(f -> f.getName().equals(op.name())).findFirst().orElseThrow();
    }

    @Test
    void theCatalogueHasEveryQueryAndMutationOfTheSchema() {
        List<String> queries = fields("Query").stream().map(FieldDefinition::getName).toList();
        List<String> mutations = fields("Mutation").stream().map(FieldDefinition::getName).toList();
        assertThat(Catalogue.operations().stream().filter(o -> o.kind() == OperationSpec.Kind.QUERY).map(OperationSpec::name))
                .containsExactlyInAnyOrderElementsOf(queries);
        assertThat(Catalogue.operations().stream().filter(o -> o.kind() == OperationSpec.Kind.MUTATION)
                .map(OperationSpec::name)).containsExactlyInAnyOrderElementsOf(mutations);
        assertThat(queries).hasSize(17);
        assertThat(mutations).hasSize(18);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void argumentsTypesAndDefaultsAreTheSchemas(OperationSpec op) {
        FieldDefinition f = field(op);
        Map<String, String> schemaArgs = new LinkedHashMap<>();
        for (InputValueDefinition a : f.getInputValueDefinitions()) {
            schemaArgs.put(a.getName(), AstPrinter.printAst(a.getType())
                                        + (a.getDefaultValue() == null ? "" : " = " + AstPrinter.printAst(a.getDefaultValue())));
        }
        Map<String, String> catalogueArgs = new LinkedHashMap<>();
        op.arguments().values().forEach(a -> catalogueArgs.put(a.name(), a.type()
                                                                           + (a.defaultValue() == null ? "" : " = " + a.defaultValue())));
        assertThat(catalogueArgs).containsExactlyEntriesOf(schemaArgs);
        assertThat(op.returns().toString()).isEqualTo(AstPrinter.printAst(f.getType()));
    }

    @Test
    void inputTypesAndEnumsAreTheSchemas() {
        Set<String> inputs = new LinkedHashSet<>();
        Set<String> enums = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>();
        for (OperationSpec op : Catalogue.operations()) {
            field(op).getInputValueDefinitions().forEach(a -> todo.add(TypeRef.parse(AstPrinter.printAst(a.getType()))
                    .namedType()));
        }
        while (!todo.isEmpty()) {
            String name = todo.remove(todo.size() - 1);
            var input = REGISTRY.getType(name, InputObjectTypeDefinition.class);
            if (input.isPresent() && inputs.add(name)) {
                Map<String, String> schemaFields = new LinkedHashMap<>();
                for (InputValueDefinition v : input.get().getInputValueDefinitions()) {
                    schemaFields.put(v.getName(), AstPrinter.printAst(v.getType()));
                    todo.add(TypeRef.parse(AstPrinter.printAst(v.getType())).namedType());
                }
                Map<String, String> catalogueFields = new LinkedHashMap<>();
                assertThat(Catalogue.inputType(name)).as(name).isNotNull();
                Catalogue.inputType(name).forEach((k, t) -> catalogueFields.put(k, t.toString()));
                assertThat(catalogueFields).as(name).containsExactlyEntriesOf(schemaFields);
            }
            var e = REGISTRY.getType(name, EnumTypeDefinition.class);
            if (e.isPresent() && enums.add(name)) {
                assertThat(Catalogue.enumValues(name)).as(name)
                        .containsExactlyElementsOf(e.get().getEnumValueDefinitions().stream()
                                .map(EnumValueDefinition::getName).toList());
            }
            if (input.isEmpty() && e.isEmpty()) {
                assertThat(Catalogue.SCALARS).as("scalar " + name).contains(name);
            }
        }
        assertThat(Catalogue.inputTypes().keySet()).containsExactlyInAnyOrderElementsOf(inputs);
        assertThat(Catalogue.enums().keySet()).containsExactlyInAnyOrderElementsOf(enums);
    }

    @Test
    void everyObjectTypeHasARecordWithItsFieldsAndTypes() {
        int checked = 0;
        for (ObjectTypeDefinition t : REGISTRY.getTypes(ObjectTypeDefinition.class)) {
            if (t.getName().equals("Query") || t.getName().equals("Mutation")) {
                continue;
            }
            Class<?> record = Selections.record(t.getName());
            assertThat(GraphQLObject.class).isAssignableFrom(record);
            Map<String, Type> javaFields = Selections.fields(record);
            assertThat(javaFields.keySet()).as(t.getName())
                    .containsExactlyElementsOf(t.getFieldDefinitions().stream().map(FieldDefinition::getName).toList());
            for (FieldDefinition f : t.getFieldDefinitions()) {
                assertThat(javaType(TypeRef.parse(AstPrinter.printAst(f.getType()))))
                        .as(t.getName() + "." + f.getName()).isEqualTo(javaFields.get(f.getName()).getTypeName());
            }
            checked++;
        }
        assertThat(checked).isEqualTo(57);
    }

    /** The Java type a record holds for a schema type. */
    private static String javaType(TypeRef t) {
        if (t.isList()) {
            return "java.util.List<" + javaType(t.item()) + ">";
        }
        String n = t.name();
        if (REGISTRY.getType(n, EnumTypeDefinition.class).isPresent()) {
            return "java.lang.String";
        }
        return switch (n) {
            case "String", "ID", "DateTime" -> "java.lang.String";
            case "Int" -> "java.lang.Integer";
            case "Float" -> "java.lang.Double";
            case "Boolean" -> "java.lang.Boolean";
            default -> Selections.RECORDS + n;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void theDefaultDocumentsValidate(OperationSpec op) {
        Map<String, Object> all = new LinkedHashMap<>();
        Map<String, Object> required = new LinkedHashMap<>();
        op.arguments().values().forEach(a -> {
            all.put(a.name(), "x");
            if (a.required()) {
                required.put(a.name(), "x");
            }
        });
        assertValid(FirefliesOperations.document(op, all, op.defaultSelection()));
        assertValid(FirefliesOperations.document(op, required, op.defaultSelection()));
        // and the runtime check of a selection accepts the default
        assertThat(Selections.select(op, op.defaultSelection())).isEqualTo(op.defaultSelection());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void everyFieldOfTheResultCanBeSelected(OperationSpec op) {
        String full = everyField(Selections.record(op.returns().namedType()), 0);
        String checked = Selections.select(op, full);
        Map<String, Object> required = new LinkedHashMap<>();
        op.arguments().values().stream().filter(OperationSpec.Argument::required).forEach(a -> required.put(a.name(), "x"));
        assertValid(FirefliesOperations.document(op, required, checked));
    }

    /** Every field of a record, objects to three levels (the schema has no cycles deeper than that). */
    private static String everyField(Class<?> record, int depth) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Type> f : Selections.fields(record).entrySet()) {
            Type t = f.getValue();
            Type item = t instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : t;
            if (item instanceof Class<?> c && GraphQLObject.class.isAssignableFrom(c)) {
                if (depth < 3) {
                    parts.add(f.getKey() + " { " + everyField(c, depth + 1) + " }");
                }
            } else {
                parts.add(f.getKey());
            }
        }
        return String.join(" ", parts);
    }

    static void assertValid(String document) {
        ParseAndValidateResult r = ParseAndValidate.parseAndValidate(SCHEMA,
                ExecutionInput.newExecutionInput(document).build());
        assertThat(r.getErrors()).as(document).extracting(GraphQLError::getMessage).isEmpty();
    }

    @Test
    void theDocumentsOfTheConsumersValidateToo() {
        // what fireflies:meetings, the backfill and fetchTranscript send through FirefliesGraphQLClient
        assertValid(FirefliesGraphQLClient.ACTIVE_MEETINGS_QUERY);
        assertValid(FirefliesGraphQLClient.TRANSCRIPT_QUERY);
        assertValid(FirefliesGraphQLClient.LIVE_TRANSCRIPT_QUERY);
        assertValid(FirefliesGraphQLClient.FULL_TRANSCRIPT_QUERY);
        assertValid(FirefliesGraphQLClient.TRANSCRIPTS_PAGE_QUERY);
    }

    @Test
    void aDocumentWithAnUnknownFieldIsRefusedByTheSchemaToo() {
        // the validation above can fail: the same check rejects a field the API does not have
        ParseAndValidateResult r = ParseAndValidate.parseAndValidate(SCHEMA,
                ExecutionInput.newExecutionInput("query { transcript(id: \"a\") { titel } }").build());
        assertThat(r.getErrors()).extracting(GraphQLError::getMessage).anyMatch(m -> m.contains("titel"));
    }
}
