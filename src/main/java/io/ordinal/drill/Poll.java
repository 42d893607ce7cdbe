package io.ordinal.drill;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waiting for a running cluster to reach a state: look, and look again a moment later, until a deadline. */
public final class Poll {

    private Poll() {
    }

    /** The first answer {@code look} gives within {@code timeout}, looking every {@code every}; empty if none. */
    public static <T> Optional<T> until(Duration timeout, Duration every, Supplier<Optional<T>> look) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> answer = look.get();
            if (answer.isPresent() || System.nanoTime() >= deadline) {
                return answer;
            }
            hold(every);
        }
    }

    /** Lets time pass: a fault held, a client's back-off, the moment between two looks. */
    public static void hold(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
