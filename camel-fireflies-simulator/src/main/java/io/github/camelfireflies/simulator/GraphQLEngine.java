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
package io.github.camelfireflies.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.execution.CoercedVariables;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.parser.Parser;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;

/**
 * graphql-java over the Fireflies schema ({@value FirefliesSimulator#GRAPHQL_SCHEMA_RESOURCE}): documents are parsed
 * and validated as the API does (a bad one gets graphql-java's validation message), and executed with the data
 * fetchers of {@link QueryFetchers} and {@link MutationFetchers}; every other field is answered by
 * {@link ValueFiller}.
 */
final class GraphQLEngine {

    /** What a request will run, once parsed and validated. */
    record Prepared(List<GraphQLError> errors, String operationType, List<String> rootFields) {
        boolean valid() {
            return errors.isEmpty();
        }
    }

    private static final TypeDefinitionRegistry TYPES = new SchemaParser().parse(schemaText());

    private final GraphQLSchema schema;
    private final GraphQL graphql;

    GraphQLEngine(GraphQLData data) {
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .scalar(dateTime())
                .codeRegistry(GraphQLCodeRegistry.newCodeRegistry().defaultDataFetcher(env -> new ValueFiller()))
                .type("Query", t -> t.dataFetchers(new QueryFetchers(data).all()))
                .type("Mutation", t -> t.dataFetchers(new MutationFetchers(data).all()))
                .build();
        this.schema = new SchemaGenerator().makeExecutableSchema(TYPES, wiring);
        this.graphql = GraphQL.newGraphQL(schema).build();
        // the first execution in a JVM loads much of graphql-java: here, rather than in a test's first timed request
        graphql.execute("{ __typename }");
    }

    GraphQLSchema schema() {
        return schema;
    }

    /** The schema's text, from the classpath. */
    static String schemaText() {
        try (InputStream in = GraphQLEngine.class.getClassLoader()
                .getResourceAsStream(FirefliesSimulator.GRAPHQL_SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + FirefliesSimulator.GRAPHQL_SCHEMA_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and validates; the errors are graphql-java's own (syntax or validation). */
    Prepared prepare(String query, String operationName, Map<String, Object> variables) {
        ExecutionInput input = input(query, operationName, variables);
        ParseAndValidateResult r = ParseAndValidate.parseAndValidate(schema, input);
        if (r.isFailure()) {
            return new Prepared(r.getErrors(), null, List.of());
        }
        OperationDefinition op = operation(r.getDocument(), operationName);
        if (op == null) {
            return new Prepared(List.of(), null, List.of()); // execution reports the missing operation
        }
        return new Prepared(List.of(), op.getOperation().name().toLowerCase(java.util.Locale.ROOT),
                rootFields(r.getDocument(), op.getSelectionSet()));
    }

    ExecutionResult execute(String query, String operationName, Map<String, Object> variables) {
        return graphql.execute(input(query, operationName, variables));
    }

    /**
     * The first root field a document asks for (of the operation named, else the first), without validating it; null
     * when the text does not parse or has no operation.
     */
    static String firstRootField(String query, String operationName) {
        if (query == null) {
            return null;
        }
        try {
            Document doc = Parser.parse(query);
            OperationDefinition op = operation(doc, operationName);
            if (op == null) {
                return null;
            }
            List<String> fields = rootFields(doc, op.getSelectionSet());
            return fields.isEmpty() ? null : fields.get(0);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ExecutionInput input(String query, String operationName, Map<String, Object> variables) {
        return ExecutionInput.newExecutionInput(query).operationName(operationName)
                .variables(variables == null ? Map.of() : variables).build();
    }

    private static OperationDefinition operation(Document doc, String name) {
        for (OperationDefinition op : doc.getDefinitionsOfType(OperationDefinition.class)) {
            if (name == null || name.isEmpty() || name.equals(op.getName())) {
                return op;
            }
        }
        return null;
    }

    private static List<String> rootFields(Document doc, SelectionSet set) {
        List<String> out = new ArrayList<>();
        collect(doc, set, out, 0);
        return out;
    }

    private static void collect(Document doc, SelectionSet set, List<String> out, int depth) {
        if (set == null || depth > 10) {
            return;
        }
        for (Selection<?> s : set.getSelections()) {
            if (s instanceof Field f) {
                if (!f.getName().startsWith("__")) {
                    out.add(f.getName());
                }
            } else if (s instanceof InlineFragment i) {
                collect(doc, i.getSelectionSet(), out, depth + 1);
            } else if (s instanceof FragmentSpread spread) {
                for (FragmentDefinition d : doc.getDefinitionsOfType(FragmentDefinition.class)) {
                    if (d.getName().equals(spread.getName())) {
                        collect(doc, d.getSelectionSet(), out, depth + 1);
                    }
                }
            }
        }
    }

    /** {@code DateTime}: an ISO-8601 string at UTC, kept as the string it is. */
    private static GraphQLScalarType dateTime() {
        return GraphQLScalarType.newScalar().name("DateTime")
                .description("A date-time string at UTC, such as 2019-12-03T09:54:33Z")
                .coercing(new DateTimeCoercing()).build();
    }

    /** Strings that parse as an ISO-8601 instant; answers are written as they are. */
    private static final class DateTimeCoercing implements Coercing<String, String> {
        @Override
        public String serialize(Object value, GraphQLContext context, java.util.Locale locale) {
            if (value == null) {
                throw new CoercingSerializeException("DateTime cannot be null");
            }
            return value.toString();
        }

        @Override
        public String parseValue(Object input, GraphQLContext context, java.util.Locale locale) {
            if (!(input instanceof String s) || !isInstant(s)) {
                throw new CoercingParseValueException("Expected an ISO-8601 date-time such as 2019-12-03T09:54:33Z");
            }
            return s;
        }

        @Override
        public String parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                java.util.Locale locale) {
            if (!(input instanceof StringValue sv) || !isInstant(sv.getValue())) {
                throw new CoercingParseLiteralException("Expected an ISO-8601 date-time such as 2019-12-03T09:54:33Z");
            }
            return sv.getValue();
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, java.util.Locale locale) {
            return StringValue.of(input.toString());
        }

        private static boolean isInstant(String s) {
            try {
                java.time.OffsetDateTime.parse(s);
                return true;
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }
    }
}
