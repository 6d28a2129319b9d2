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
package io.github.camelfireflies.internal.socketio;

/**
 * A frame that is not a valid Engine.IO v4 / Socket.IO v5 packet. The only exception the decoder throws. Its message
 * names the problem and quotes at most the first {@value #EXCERPT_LENGTH} characters of the frame.
 */
public class SocketIoProtocolException extends Exception {

    /** How many characters of an offending frame a message quotes. */
    public static final int EXCERPT_LENGTH = 120;

    private static final long serialVersionUID = 1L;

    public SocketIoProtocolException(String message) {
        super(message);
    }

    public SocketIoProtocolException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The frame cut to a length fit for a log line, with its total length. */
    public static String excerpt(String frame) {
        if (frame == null) {
            return "<null>";
        }
        if (frame.length() <= EXCERPT_LENGTH) {
            return '\'' + frame + '\'';
        }
        return '\'' + frame.substring(0, EXCERPT_LENGTH) + "...' (" + frame.length() + " chars)";
    }
}
