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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyTest {

    private static final String KEY = "3f2a9c1e-7b44-4d0e-9a51-0c6e8d2b7f13";

    @Test
    void aBareKeyGetsTheBearerPrefixOnce() {
        assertThat(ApiKey.of(KEY).authorization()).isEqualTo("Bearer " + KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer ", "bearer ", "BEARER ", "  Bearer   " })
    void thePrefixInAnyCaseIsTakenOffAndNotDoubled(String prefix) {
        assertThat(ApiKey.of(prefix + KEY).authorization()).isEqualTo("Bearer " + KEY);
        assertThat(ApiKey.of(prefix + KEY)).isEqualTo(ApiKey.of(KEY));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", " ", "\t\n" })
    void aMissingOrBlankKeyIsRefused(String text) {
        assertThatThrownBy(() -> ApiKey.of(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not set");
        assertThat(ApiKey.isValid(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer", "Bearer ", "bearer  ", " BEARER\t" })
    void onlyThePrefixIsRefusedAsEmpty(String text) {
        assertThatThrownBy(() -> ApiKey.of(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void aWordThatMerelyStartsWithBearerIsTheKeyItself() {
        assertThat(ApiKey.of("bearerish-key").authorization()).isEqualTo("Bearer bearerish-key");
    }

    @Test
    void spacesInsideAKeyAreKeptAndOnlyTheEndsAreTrimmed() {
        ApiKey key = ApiKey.of("  Bearer  abc def  ");
        assertThat(key.authorization()).isEqualTo("Bearer abc def");
        assertThat(key.scrub("server said: abc def is invalid")).isEqualTo("server said: *** is invalid");
    }

    @Test
    void scrubRemovesEveryOccurrenceAndLeavesOtherTextAlone() {
        ApiKey key = ApiKey.of(KEY);
        assertThat(key.scrub("token " + KEY + " and Bearer " + KEY)).isEqualTo("token *** and Bearer ***");
        assertThat(key.scrub("nothing secret")).isEqualTo("nothing secret");
        assertThat(key.scrub(null)).isNull();
    }

    @Test
    void aVeryShortKeyIsNotScrubbedSoThatTextsStayReadable() {
        assertThat(ApiKey.of("ab").scrub("about a cab")).isEqualTo("about a cab");
    }

    @Test
    void toStringNeverShowsTheKey() {
        assertThat(ApiKey.of(KEY).toString()).doesNotContain(KEY).doesNotContain(KEY.substring(0, 8)).contains("***");
    }
}
