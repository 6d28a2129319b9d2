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
package io.github.camelfireflies.internal.webhook;

import java.io.IOException;

/**
 * A request body over the limit: answer 413. Thrown as soon as the limit is passed, or before reading anything when the
 * declared Content-Length already exceeds it. Its message holds only numbers.
 */
public class BodyTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final long limit;
    private final long declaredLength;

    public BodyTooLargeException(long limit, long declaredLength) {
        super(declaredLength >= 0
                ? "Request body of " + declaredLength + " bytes is over the limit of " + limit + " bytes"
                : "Request body is over the limit of " + limit + " bytes");
        this.limit = limit;
        this.declaredLength = declaredLength;
    }

    /** The limit, in bytes. */
    public long limit() {
        return limit;
    }

    /** The Content-Length that was over the limit, or -1 when the body itself turned out longer than it. */
    public long declaredLength() {
        return declaredLength;
    }
}
