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
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code PUT /upload/<meeting id>?token=...}: where the {@code upload_url} of {@code createUploadUrl} points. It takes
 * the file's bytes (counted, not kept) for an upload that was announced, with its token; {@code confirmUpload} then
 * succeeds. A wrong token gets 403, an unknown upload 404, more than {@link #MAX_BYTES} 413.
 */
final class UploadServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Where uploads go. */
    static final String PATH = "/upload";
    /** The API's limit for a file: 200 MB. */
    static final int MAX_BYTES = 200 * 1024 * 1024;

    private final transient ApiRecords records;

    UploadServlet(ApiRecords records) {
        this.records = records;
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String info = req.getPathInfo();
        ApiRecords.Upload upload = info == null || info.length() < 2 ? null : records.uploads.get(info.substring(1));
        if (upload == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String token = req.getParameter("token");
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                upload.token.getBytes(StandardCharsets.UTF_8))) {
            resp.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = req.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > MAX_BYTES) {
                    resp.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                    return;
                }
            }
        }
        upload.receivedBytes = total;
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentLength(0);
    }
}
