package io.github.camelfireflies.internal.socketio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private final Backoff b = Backoff.DEFAULT;

    @Test
    void defaults() {
        assertThat(b).isEqualTo(new Backoff(1000, 5000, 0.5));
    }

    @Test
    void undisturbedDelayDoublesUpToTheCap() {
        assertThat(b.delayMillis(0, 0.5)).isEqualTo(1000);
        assertThat(b.delayMillis(1, 0.5)).isEqualTo(2000);
        assertThat(b.delayMillis(2, 0.5)).isEqualTo(4000);
        assertThat(b.delayMillis(3, 0.5)).isEqualTo(5000);
        assertThat(b.delayMillis(10, 0.5)).isEqualTo(5000);
    }

    @Test
    void spreadIsPlusMinusFiftyPercent() {
        assertThat(b.delayMillis(0, 0.0)).isEqualTo(500);
        assertThat(b.delayMillis(0, 0.999999)).isBetween(1499L, 1500L);
        assertThat(b.delayMillis(1, 0.0)).isEqualTo(1000);
        assertThat(b.delayMillis(1, 0.75)).isEqualTo(2500);
        for (int i = 0; i < 1000; i++) {
            assertThat(b.delayMillis(0)).isBetween(500L, 1500L);
            assertThat(b.delayMillis(1)).isBetween(1000L, 3000L);
        }
    }

    @Test
    void capIsAppliedAfterTheJitter() {
        // attempt 2: base 4000, +50% would be 6000: capped
        assertThat(b.delayMillis(2, 0.999)).isEqualTo(5000);
        // attempt 3: base 8000, -50% is 4000: below the cap, kept
        assertThat(b.delayMillis(3, 0.0)).isEqualTo(4000);
        for (int i = 0; i < 1000; i++) {
            assertThat(b.delayMillis(5)).isBetween(0L, 5000L);
        }
    }

    @Test
    void largeAndNegativeAttemptsNeitherOverflowNorGoNegative() {
        for (int attempt : new int[] { 30, 62, 63, 64, 1000, Integer.MAX_VALUE }) {
            for (double r : new double[] { 0, 0.5, 0.999999 }) {
                assertThat(b.delayMillis(attempt, r)).as("attempt %d r %s", attempt, r).isBetween(2500L, 5000L);
            }
        }
        Backoff huge = new Backoff(Long.MAX_VALUE / 2, Long.MAX_VALUE, 1.0);
        assertThat(huge.delayMillis(Integer.MAX_VALUE, 0.999)).isPositive();
        assertThat(b.delayMillis(-1, 0.5)).isEqualTo(1000);
        assertThat(b.delayMillis(Integer.MIN_VALUE, 0.5)).isEqualTo(1000);
        assertThat(new Backoff(0, 0, 1).delayMillis(5, 0.9)).isZero();
        assertThat(new Backoff(100, 1000, 1).delayMillis(0, 0.0)).isZero();
    }

    @Test
    void withoutRandomizationTheDelayIsExact() {
        Backoff exact = new Backoff(20, 100, 0);
        assertThat(exact.delayMillis(0)).isEqualTo(20);
        assertThat(exact.delayMillis(1)).isEqualTo(40);
        assertThat(exact.delayMillis(2)).isEqualTo(80);
        assertThat(exact.delayMillis(3)).isEqualTo(100);
    }

    @Test
    void argumentsAreValidated() {
        assertThatThrownBy(() -> new Backoff(-1, 5000, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> new Backoff(1000, -1, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(1000, 5000, -0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("randomizationFactor");
        assertThatThrownBy(() -> new Backoff(1000, 5000, 1.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(1000, 5000, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Backoff(0, 0, 0)).isNotNull();
        assertThat(new Backoff(1, 1, 1)).isNotNull();
    }
}
