package io.ordinal.history;

import java.time.Duration;
import java.util.List;

/**
 * The verdict on one key.
 *
 * @param linearization for {@link Verdict#LINEARIZABLE}, one order in which the key's operations could
 *                      have taken effect; an operation of unknown outcome that is not in it took no effect;
 *                      empty otherwise
 * @param violation     for {@link Verdict#NOT_LINEARIZABLE}, why; null otherwise
 * @param undecidedWhy  for {@link Verdict#UNDECIDED}, which limit was reached; null otherwise
 */
public record KeyResult(String key, Verdict verdict, int operations, long steps, Duration elapsed,
                        List<OperationRef> linearization, KeyViolation violation, String undecidedWhy) {

    public String summary() {
        String head = "key \"" + key + "\": " + verdict + " (" + operations + " operations, " + steps + " steps, "
                + elapsed.toMillis() + " ms)";
        if (violation != null) {
            return head + "\n" + violation.explanation();
        } else if (undecidedWhy != null) {
            return head + ": " + undecidedWhy + "\n";
        }
        return head + "\n";
    }
}
