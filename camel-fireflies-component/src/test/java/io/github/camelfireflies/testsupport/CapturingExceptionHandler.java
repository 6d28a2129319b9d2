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
package io.github.camelfireflies.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;

/** Records what a consumer reports through its exception handler. */
public class CapturingExceptionHandler implements ExceptionHandler {

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        messages.add(String.valueOf(message));
        errors.add(exception);
    }

    public List<Throwable> errors() {
        return errors;
    }

    public List<String> messages() {
        return messages;
    }

    /** Every message and exception message, one per line, to search for leaks. */
    public String allText() {
        StringBuilder sb = new StringBuilder();
        messages.forEach(m -> sb.append(m).append('\n'));
        for (Throwable t : errors) {
            for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
                sb.append(c).append('\n');
            }
        }
        return sb.toString();
    }
}
