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
package io.github.camelfireflies;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of {@code fireflies:transcripts}: its window. Its schedule is the endpoint's (ScheduledPollEndpoint's
 * {@code delay}, {@code initialDelay}, {@code backoffMultiplier}, ...), with {@link #DEFAULT_DELAY} when not set.
 */
@UriParams
public class TranscriptsConfiguration implements Cloneable {

    /**
     * The schedule's default when the endpoint's {@code delay} is not set: every 5 minutes. Each poll makes one GraphQL
     * call per page of up to 50 transcripts listed: 288 calls a day, which fits the Pro plan (500) and Business (60 a
     * minute); a Free key (50 a day, shared with everything else of the key) needs an hour or more.
     */
    public static final long DEFAULT_DELAY = 300000;

    @UriParam(label = "consumer", defaultValue = "86400000", javaType = "java.time.Duration",
              description = "With `transcripts`: at start, list transcripts whose meeting date is up to this far back"
                            + " (milliseconds), so that a transcript that finished while the application was down is"
                            + " emitted after the restart (with an idempotentRepository, the ones emitted before are"
                            + " not emitted again). A downtime longer than this can miss transcripts: raise it.")
    private long lookback = 86400000;

    @UriParam(label = "consumer", defaultValue = "21600000", javaType = "java.time.Duration",
              description = "With `transcripts`: how far behind the newest meeting date emitted each poll lists again"
                            + " (milliseconds), for transcripts listed late (a long meeting, a slow processing): a"
                            + " transcript first listed within this time after the meeting date is not missed. A wider"
                            + " window lists more transcripts each poll (more pages, more bytes), never a repeat.")
    private long overlap = 21600000;

    @UriParam(label = "consumer,advanced", defaultValue = "50",
              description = "With `transcripts`: transcripts per call (1 to 50, the API's most).")
    private int pageSize = 50;

    @UriParam(label = "consumer,advanced", defaultValue = "100",
              description = "With `transcripts`: the most pages one poll lists; a poll that stops there emits what it"
                            + " listed and keeps its window, the rest comes in the next polls.")
    private int maxPages = 100;

    public TranscriptsConfiguration copy() {
        try {
            return (TranscriptsConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    void validate() {
        if (lookback < 0 || overlap < 0) {
            throw new IllegalArgumentException("lookback and overlap must not be negative");
        }
        if (pageSize < 1 || pageSize > 50) {
            throw new IllegalArgumentException("pageSize must be 1 to 50, was " + pageSize);
        }
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages must be positive, was " + maxPages);
        }
    }

    public long getLookback() {
        return lookback;
    }

    public void setLookback(long lookback) {
        this.lookback = lookback;
    }

    public long getOverlap() {
        return overlap;
    }

    public void setOverlap(long overlap) {
        this.overlap = overlap;
    }

    public int getPageSize() {
        return pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public int getMaxPages() {
        return maxPages;
    }

    public void setMaxPages(int maxPages) {
        this.maxPages = maxPages;
    }
}
