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

import java.util.ArrayList;
import java.util.List;

/**
 * The root fields of a GraphQL document: what the API counts as operations ({@code addToLiveMeeting},
 * {@code transcripts}, ...), so that a document sent as raw text is budgeted as the typed calls are. An alias is
 * read through ({@code a: addToLiveMeeting(...)} is {@code addToLiveMeeting}); fragment definitions, arguments,
 * directives, strings and comments are skipped. A document it cannot read gives what it read so far: the server is the
 * judge of the document, this is only the budget's reading of it.
 */
public final class RootFields {

    private RootFields() {
    }

    /** The root fields of every operation in the document, in order, repeats kept (each is one call of it). */
    public static List<String> of(String document) {
        List<String> fields = new ArrayList<>();
        if (document == null) {
            return fields;
        }
        Lexer lx = new Lexer(document);
        String token;
        while ((token = lx.next()) != null) {
            if (token.equals("fragment")) {
                // fragment Name on Type @directives { ... }: skip up to and past its selection set
                skipToSelection(lx);
                skipBlock(lx);
            } else if (token.equals("{")) {
                readSelection(lx, fields);
            } else if (token.equals("(")) {
                skipParens(lx); // variable definitions, whose default values may hold braces
            }
            // query / mutation / subscription / a name / @directive: nothing to read
        }
        return fields;
    }

    private static void readSelection(Lexer lx, List<String> fields) {
        String pending = null;
        String token;
        while ((token = lx.next()) != null) {
            switch (token) {
                case "}" -> {
                    add(fields, pending);
                    return;
                }
                case "{" -> {
                    add(fields, pending);
                    pending = null;
                    skipBlock(lx);
                }
                case "(" -> {
                    add(fields, pending);
                    pending = null;
                    skipParens(lx);
                }
                case ":" -> pending = null; // an alias: the real name follows
                case "@" -> {
                    add(fields, pending);
                    pending = null;
                    lx.next(); // the directive's name; its arguments are skipped as "("
                }
                case "..." -> {
                    add(fields, pending);
                    pending = null;
                    if ("on".equals(lx.next())) {
                        // an inline fragment on the root type: its fields are root fields
                        skipToSelection(lx);
                        readSelection(lx, fields);
                    } // else a spread of a named fragment: not read
                }
                default -> {
                    add(fields, pending);
                    pending = token;
                }
            }
        }
        add(fields, pending);
    }

    private static void add(List<String> fields, String name) {
        if (name != null && !name.startsWith("__") && Character.isJavaIdentifierStart(name.charAt(0))) {
            fields.add(name);
        }
    }

    private static void skipToSelection(Lexer lx) {
        String token;
        while ((token = lx.peek()) != null && !token.equals("{")) {
            lx.next();
            if (token.equals("(")) {
                skipParens(lx);
            }
        }
        lx.next(); // the "{"
    }

    /** Skips to the "}" that closes a "{" already read. */
    private static void skipBlock(Lexer lx) {
        int depth = 1;
        String token;
        while (depth > 0 && (token = lx.next()) != null) {
            if (token.equals("{")) {
                depth++;
            } else if (token.equals("}")) {
                depth--;
            }
        }
    }

    /** Skips to the ")" that closes a "(" already read. */
    private static void skipParens(Lexer lx) {
        int depth = 1;
        String token;
        while (depth > 0 && (token = lx.next()) != null) {
            if (token.equals("(")) {
                depth++;
            } else if (token.equals(")")) {
                depth--;
            }
        }
    }

    /** Names and punctuators; strings, numbers, variables, comments, commas and white space left out. */
    private static final class Lexer {
        private final String s;
        private int i;
        private String peeked;

        Lexer(String s) {
            this.s = s;
        }

        String peek() {
            if (peeked == null) {
                peeked = read();
            }
            return peeked;
        }

        String next() {
            String t = peek();
            peeked = null;
            return t;
        }

        private String read() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '#') {
                    while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                        i++;
                    }
                } else if (c == '"') {
                    skipString();
                } else if (c == '.' && s.startsWith("...", i)) {
                    i += 3;
                    return "...";
                } else if ("{}():@".indexOf(c) >= 0) {
                    i++;
                    return String.valueOf(c);
                } else if (c == '_' || Character.isLetter(c)) {
                    int start = i;
                    while (i < s.length() && (s.charAt(i) == '_' || Character.isLetterOrDigit(s.charAt(i)))) {
                        i++;
                    }
                    return s.substring(start, i);
                } else if (c == '$') {
                    i++;
                    while (i < s.length() && (s.charAt(i) == '_' || Character.isLetterOrDigit(s.charAt(i)))) {
                        i++;
                    }
                } else {
                    i++; // white space, commas, numbers, = ! [ ] and the like
                }
            }
            return null;
        }

        private void skipString() {
            if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? s.length() : end + 3;
                return;
            }
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '\\') {
                    i++;
                } else if (c == '"' || c == '\n') {
                    return;
                }
            }
        }
    }
}
