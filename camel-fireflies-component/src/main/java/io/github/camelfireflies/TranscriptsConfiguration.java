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

/** The options of {@code fireflies:transcripts}: its schedule (as Camel's scheduled poll consumers have it) and window. */
@UriParams
public class TranscriptsConfiguration implements Cloneable {

    @UriParam(label = "consumer,scheduler", defaultValue = "300000", javaType = "java.time.Duration",
              description = "With `transcripts`: milliseconds between the end of one poll and the start of the next."
                            + " Each poll makes one GraphQL call per page of up to 50 transcripts listed (see"
                            + " overlap): every 5 minutes is 288 calls a day, which fits the Pro plan (500) and Business"
                            + " (60 a minute); a Free key (50 a day, shared with everything else of the key) needs an"
                            + " hour (24 calls a day) or more.")
    private long delay = 300000;

    @UriParam(label = "consumer,scheduler", defaultValue = "1000", javaType = "java.time.Duration",
              description = "With `transcripts`: milliseconds before the first poll.")
    private long initialDelay = 1000;

    @UriParam(label = "consumer,scheduler", defaultValue = "true",
              description = "With `transcripts`: whether delay runs from the end of a poll (true) or from its start.")
    private boolean useFixedDelay = true;

    @UriParam(label = "consumer,scheduler",
              description = "With `transcripts`: after backoffIdleThreshold polls that found nothing new or"
                            + " backoffErrorThreshold failed polls in a row, skip this many polls before trying again"
                            + " (as Camel's scheduled poll consumers do). 0: no backoff.")
    private int backoffMultiplier;

    @UriParam(label = "consumer,scheduler",
              description = "With `transcripts`: idle polls in a row before backoffMultiplier applies.")
    private int backoffIdleThreshold;

    @UriParam(label = "consumer,scheduler",
              description = "With `transcripts`: failed polls in a row (a rate budget spent counts) before"
                            + " backoffMultiplier applies.")
    private int backoffErrorThreshold;

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
        if (delay <= 0) {
            throw new IllegalArgumentException("delay must be positive, was " + delay);
        }
        if (initialDelay < 0) {
            throw new IllegalArgumentException("initialDelay must not be negative, was " + initialDelay);
        }
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

    public long getDelay() {
        return delay;
    }

    public void setDelay(long delay) {
        this.delay = delay;
    }

    public long getInitialDelay() {
        return initialDelay;
    }

    public void setInitialDelay(long initialDelay) {
        this.initialDelay = initialDelay;
    }

    public boolean isUseFixedDelay() {
        return useFixedDelay;
    }

    public void setUseFixedDelay(boolean useFixedDelay) {
        this.useFixedDelay = useFixedDelay;
    }

    public int getBackoffMultiplier() {
        return backoffMultiplier;
    }

    public void setBackoffMultiplier(int backoffMultiplier) {
        this.backoffMultiplier = backoffMultiplier;
    }

    public int getBackoffIdleThreshold() {
        return backoffIdleThreshold;
    }

    public void setBackoffIdleThreshold(int backoffIdleThreshold) {
        this.backoffIdleThreshold = backoffIdleThreshold;
    }

    public int getBackoffErrorThreshold() {
        return backoffErrorThreshold;
    }

    public void setBackoffErrorThreshold(int backoffErrorThreshold) {
        this.backoffErrorThreshold = backoffErrorThreshold;
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
