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
package io.github.camelfireflies.internal.auth;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** The one rule on plain-text URLs: the API key crosses no network unencrypted unless the user says so. */
public final class PlainText {

    private PlainText() {
    }

    /**
     * Refuses {@code uri} when its scheme is {@code plainScheme} ({@code ws} or {@code http}) and its host is not this
     * machine, unless {@code allowInsecure}.
     *
     * @param  option                   how the user set the URL (for the message), e.g. {@code url}
     * @throws IllegalArgumentException saying what to use instead
     */
    public static void requireEncrypted(URI uri, String plainScheme, String option, boolean allowInsecure) {
        if (plainScheme.equalsIgnoreCase(uri.getScheme()) && !allowInsecure && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("Refusing the plain " + plainScheme + ":// " + option + " to "
                                               + uri.getHost() + ": the API key would cross the network unencrypted."
                                               + " Use " + plainScheme + "s://, or set allowInsecure=true if you"
                                               + " really mean it.");
        }
    }

    /** Whether {@code host} is {@code localhost} or a literal loopback address; no name is looked up. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if ("localhost".equalsIgnoreCase(h)) {
            return true;
        }
        if (!h.isEmpty() && (Character.isDigit(h.charAt(0)) || h.contains(":"))) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
