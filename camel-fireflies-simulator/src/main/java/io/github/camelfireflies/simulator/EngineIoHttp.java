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
import java.nio.charset.StandardCharsets;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The HTTP side of the Socket.IO path, before the WebSocket upgrade: answers what the genuine engine.io server answers
 * with HTTP 400 (unsupported protocol version, unknown transport, a plain request without upgrade). Requests that pass
 * go on to Tomcat's WebSocket filter.
 */
final class EngineIoHttp {

    private EngineIoHttp() {
    }

    /** Checks {@code EIO} and {@code transport} before the upgrade. */
    static final class HandshakeFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            HttpServletResponse resp = (HttpServletResponse) response;
            String eio = req.getParameter("EIO");
            if (!"4".equals(eio)) {
                error(resp, 5, "Unsupported protocol version");
                return;
            }
            if (!"websocket".equals(req.getParameter("transport"))) {
                error(resp, 0, "Transport unknown");
                return;
            }
            chain.doFilter(request, response);
        }
    }

    /** Whatever is not a WebSocket upgrade on the Socket.IO path ends here. */
    static final class FallbackServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final String socketIoPath;

        FallbackServlet(String socketIoPath) {
            this.socketIoPath = socketIoPath;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String uri = req.getRequestURI();
            if (uri.equals(socketIoPath + "/")) {
                error(resp, 3, "Bad request");
            } else {
                resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            }
        }
    }

    static void error(HttpServletResponse resp, int code, String message) throws IOException {
        resp.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        resp.setContentType("application/json");
        byte[] body = ("{\"code\":" + code + ",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
