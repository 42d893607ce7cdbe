package io.ordinal.fault;

import io.ordinal.history.Outcome;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How one step's clients fared around its fault, from the recorded operations alone.
 *
 * @param writesBack       from the fault until the first acknowledged write invoked after it completed:
 *                         the time until writes succeed again, as a client sees it; empty if none did
 * @param readsBack        the same for reads
 * @param longestWriteGap  the longest time, from the fault to the end of the step, with no write
 *                         acknowledged (a write invoked before the fault counts when it completes)
 * @param errors           operations of unknown outcome, by why: 503, 5xx, timeout, connection cut, refused
 */
record Recovery(Optional<Duration> writesBack, Optional<Duration> readsBack, Duration longestWriteGap, Map<String, Integer> errors) {

    static Recovery of(List<Recorder.Entry> entries, long faultAt, long endAt) {
        long firstWrite = Long.MAX_VALUE;
        long firstRead = Long.MAX_VALUE;
        long[] writeCompletions = entries.stream()
                .filter(e -> e.kind().isWrite() && e.op().outcome() != Outcome.UNKNOWN)
                .mapToLong(e -> e.op().completedAt())
                .filter(t -> t >= faultAt)
                .sorted().toArray();
        for (Recorder.Entry e : entries) {
            if (e.op().invokedAt() < faultAt || e.op().outcome() == Outcome.UNKNOWN) {
                continue;
            }
            if (e.kind().isWrite()) {
                firstWrite = Math.min(firstWrite, e.op().completedAt());
            } else {
                firstRead = Math.min(firstRead, e.op().completedAt());
            }
        }
        long gap = 0;
        long last = faultAt;
        for (long t : writeCompletions) {
            gap = Math.max(gap, t - last);
            last = t;
        }
        gap = Math.max(gap, Math.max(0, endAt - last));
        Map<String, Integer> errors = new TreeMap<>();
        for (Recorder.Entry e : entries) {
            if (e.op().isUnknown()) {
                errors.merge(why(e), 1, Integer::sum);
            }
        }
        return new Recovery(since(faultAt, firstWrite), since(faultAt, firstRead), Duration.ofNanos(gap), errors);
    }

    private static Optional<Duration> since(long from, long to) {
        return to == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(to - from));
    }

    static String why(Recorder.Entry e) {
        return switch (e.failure()) {
            case TIMEOUT -> "timeout";
            case CUT -> "connection cut";
            case REFUSED -> "refused";
            case NONE -> e.status() == 503 ? "503" : e.status() >= 500 ? "5xx" : "other " + e.status();
        };
    }

    int unknownCount() {
        return errors.values().stream().mapToInt(Integer::intValue).sum();
    }

    static String millis(Optional<Duration> d) {
        return d.map(x -> x.toMillis() + " ms").orElse("never");
    }
}
