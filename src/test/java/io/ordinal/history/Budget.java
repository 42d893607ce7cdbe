package io.ordinal.history;

import java.time.Duration;

/**
 * How much one key's search may spend before its verdict is {@link Verdict#UNDECIDED}. The search is
 * exponential in the worst case (many concurrent operations, many of unknown outcome), so every
 * limit is there to turn a hang or an out-of-memory into an answer.
 *
 * @param timePerKey   wall-clock time per key
 * @param stepsPerKey  model steps per key (deterministic, for tests that must not depend on speed)
 * @param memoBytes    an estimate of the memory the search's memo of visited configurations may use
 */
public record Budget(Duration timePerKey, long stepsPerKey, long memoBytes) {

    public static final Budget DEFAULT = new Budget(Duration.ofSeconds(10), Long.MAX_VALUE, 256L << 20);

    public Budget {
        if (timePerKey.isNegative() || timePerKey.isZero() || stepsPerKey <= 0 || memoBytes <= 0) {
            throw new IllegalArgumentException("every limit must be positive: " + timePerKey + ", " + stepsPerKey + ", " + memoBytes);
        }
    }

    public static Budget ofTime(Duration timePerKey) {
        return new Budget(timePerKey, DEFAULT.stepsPerKey, DEFAULT.memoBytes);
    }

    public static Budget ofSteps(long stepsPerKey) {
        return new Budget(DEFAULT.timePerKey, stepsPerKey, DEFAULT.memoBytes);
    }
}
