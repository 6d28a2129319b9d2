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

import com.fasterxml.jackson.databind.JsonNode;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Fireflies schema as a test reads it (from the resource the simulator serves, parsed here on its own): the root
 * operations, a document selecting every field of an operation's answer down to a depth, and a check that an answer
 * has the shape the schema gives it.
 */
final class SchemaDocuments {

    static final GraphQLSchema SCHEMA = load();

    private SchemaDocuments() {
    }

    private static GraphQLSchema load() {
        try (InputStream in = SchemaDocuments.class.getClassLoader()
                .getResourceAsStream(FirefliesSimulator.GRAPHQL_SCHEMA_RESOURCE)) {
            String sdl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl),
                    RuntimeWiring.newRuntimeWiring()
                            .scalar(GraphQLScalarType.newScalar().name("DateTime")
                                    .coercing(new graphql.schema.Coercing<String, String>() {
                                    }).build())
                            .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> queries() {
        return names(SCHEMA.getQueryType());
    }

    static List<String> mutations() {
        return names(SCHEMA.getMutationType());
    }

    private static List<String> names(GraphQLObjectType type) {
        List<String> out = new ArrayList<>();
        type.getFieldDefinitions().forEach(f -> out.add(f.getName()));
        return out;
    }

    static GraphQLFieldDefinition operation(String name) {
        GraphQLFieldDefinition f = SCHEMA.getQueryType().getFieldDefinition(name);
        return f != null ? f : SCHEMA.getMutationType().getFieldDefinition(name);
    }

    static boolean isMutation(String name) {
        return SCHEMA.getMutationType().getFieldDefinition(name) != null;
    }

    /** {@code query|mutation { <name><args> { every field, objects down to depth } }}. */
    static String document(String name, String args, int depth) {
        StringBuilder sb = new StringBuilder(isMutation(name) ? "mutation " : "query ").append("{ ").append(name)
                .append(args);
        selection(sb, operation(name).getType(), depth);
        return sb.append(" }").toString();
    }

    private static void selection(StringBuilder sb, GraphQLType type, int depth) {
        GraphQLType t = unwrap(type);
        if (!(t instanceof GraphQLObjectType object)) {
            return;
        }
        sb.append(" {");
        for (GraphQLFieldDefinition f : object.getFieldDefinitions()) {
            GraphQLType ft = unwrap(f.getType());
            if (ft instanceof GraphQLObjectType) {
                if (depth > 1) {
                    sb.append(' ').append(f.getName());
                    selection(sb, ft, depth - 1);
                }
            } else {
                sb.append(' ').append(f.getName());
            }
        }
        sb.append(" }");
    }

    static GraphQLType unwrap(GraphQLType type) {
        GraphQLType t = type;
        while (t instanceof GraphQLNonNull || t instanceof GraphQLList) {
            t = t instanceof GraphQLNonNull nn ? nn.getWrappedType() : ((GraphQLList) t).getWrappedType();
        }
        return t;
    }

    /** Asserts that {@code value} has the shape of {@code type}: non-null where required, scalars of their kind. */
    static void assertShape(JsonNode value, GraphQLType type, String path) {
        if (type instanceof GraphQLNonNull nn) {
            assertThat(value.isNull() || value.isMissingNode()).as("%s is non-null in the schema", path).isFalse();
            assertShape(value, nn.getWrappedType(), path);
            return;
        }
        if (value == null || value.isNull()) {
            return;
        }
        assertThat(value.isMissingNode()).as("%s is in the answer", path).isFalse();
        if (type instanceof GraphQLList list) {
            assertThat(value.isArray()).as("%s is a list", path).isTrue();
            for (int i = 0; i < value.size(); i++) {
                assertShape(value.get(i), list.getWrappedType(), path + "[" + i + "]");
            }
        } else if (type instanceof GraphQLObjectType object) {
            assertThat(value.isObject()).as("%s is an object", path).isTrue();
            value.fieldNames().forEachRemaining(name -> {
                GraphQLFieldDefinition f = object.getFieldDefinition(name);
                assertThat(f).as("%s.%s is a field of %s", path, name, object.getName()).isNotNull();
                assertShape(value.get(name), f.getType(), path + "." + name);
            });
        } else if (type instanceof GraphQLEnumType e) {
            assertThat(e.getValue(value.asText())).as("%s is a value of %s", path, e.getName()).isNotNull();
        } else if (type instanceof GraphQLScalarType s) {
            switch (s.getName()) {
                case "Int" -> assertThat(value.isIntegralNumber()).as("%s is an Int", path).isTrue();
                case "Float" -> assertThat(value.isNumber()).as("%s is a Float", path).isTrue();
                case "Boolean" -> assertThat(value.isBoolean()).as("%s is a Boolean", path).isTrue();
                default -> assertThat(value.isTextual()).as("%s is a %s", path, s.getName()).isTrue();
            }
        }
    }
}
