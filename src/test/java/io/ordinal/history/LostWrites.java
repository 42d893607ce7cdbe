package io.ordinal.history;

import io.ordinal.history.Response.Found;
import io.ordinal.history.Response.NotFound;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Names acknowledged writes that the end of a run no longer shows: for each key, its final read (the
 * successful read invoked last) against every acknowledged put that completed before that read was invoked.
 * Such a write is lost when the final read shows an older revision, or another value at its revision,
 * or the key absent although no delete could have come after the write.
 *
 * <p>This adds a diagnosis, not a verdict: whenever it names a write, the key is already
 * NOT_LINEARIZABLE, since the final read is part of the history and comes after the write in real
 * time. What it adds is the direct answer to "which acknowledged writes are gone?", which a
 * violation's partial linearization only implies. So a workload should end with one linearizable read
 * of every key it wrote, recorded in the history like any other read. Lost deletes are left to the
 * checker: a {@code 204} carries no revision to compare.
 */
public final class LostWrites {

    private LostWrites() {
    }

    public record LostWrite(OperationRef write, OperationRef finalRead, String why) {

        @Override
        public String toString() {
            return "lost: " + write + "\n  " + why + ": " + finalRead;
        }
    }

    public static List<LostWrite> find(History history) {
        List<LostWrite> lost = new ArrayList<>();
        history.idsByKey().forEach((key, ids) -> {
            List<OperationRef> ops = ids.stream().map(id -> new OperationRef(id, history.operations().get(id))).toList();
            ops.stream()
                    .filter(o -> o.operation().request().isRead() && o.operation().outcome() == Outcome.OK)
                    .max(Comparator.comparingLong(o -> o.operation().invokedAt()))
                    .ifPresent(finalRead -> findLost(ops, finalRead, lost));
        });
        return lost;
    }

    private static void findLost(List<OperationRef> ops, OperationRef finalRead, List<LostWrite> lost) {
        Operation read = finalRead.operation();
        for (OperationRef ref : ops) {
            Operation write = ref.operation();
            long revision = write.writtenRevision();
            if (revision == 0 || write.completedAt() >= read.invokedAt()) {
                continue;
            }
            String why = null;
            if (read.response() instanceof Found found) {
                if (found.modRevision() < revision) {
                    why = "the final read shows the older revision " + found.modRevision();
                } else if (found.modRevision() == revision && !found.value().equals(write.request().writtenValue())) {
                    why = "the final read shows another value at its revision";
                }
            } else if (read.response() instanceof NotFound && !deletable(ops, write, read)) {
                why = "the final read shows the key absent, yet no delete could have come after the write";
            }
            if (why != null) {
                lost.add(new LostWrite(ref, finalRead, why));
            }
        }
    }

    /** Whether some delete could have taken effect after {@code write} and before {@code read}. */
    private static boolean deletable(List<OperationRef> ops, Operation write, Operation read) {
        return ops.stream().map(OperationRef::operation).anyMatch(op -> op.request().isDelete()
                && op.outcome() != Outcome.FAILED
                && (op.isUnknown() || op.completedAt() > write.invokedAt())
                && op.invokedAt() < read.completedAt());
    }
}
