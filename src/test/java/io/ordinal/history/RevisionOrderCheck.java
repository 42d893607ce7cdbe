package io.ordinal.history;

import io.ordinal.history.Response.Found;
import io.ordinal.history.Response.PreconditionFailed;
import io.ordinal.history.Response.Written;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Revisions never go backwards, store-wide, in real time: a write invoked after a response that showed
 * revision r (any key) gets a revision above r. The leader assigns revisions in log order, and an
 * entry appended after a response was sent comes after every entry that response could show.
 *
 * <p>A response "shows" the revision it reports: an acknowledged write's revision (and its
 * previousRevision), a read's modRevision, a {@code 412}'s currentRevision. This covers "an
 * acknowledged write A completed before an acknowledged write B was invoked, so rev(A) &lt; rev(B)",
 * and adds reads and failed conditions as witnesses. One sort and one sweep: O(n log n).
 */
final class RevisionOrderCheck {

    private RevisionOrderCheck() {
    }

    static List<RevisionViolation> check(History history) {
        List<OperationRef> witnesses = new ArrayList<>();
        List<OperationRef> writes = new ArrayList<>();
        for (int id = 0; id < history.size(); id++) {
            OperationRef ref = new OperationRef(id, history.operations().get(id));
            if (shownRevision(ref.operation()) > 0) {
                witnesses.add(ref);
            }
            if (ref.operation().writtenRevision() > 0) {
                writes.add(ref);
            }
        }
        witnesses.sort(Comparator.comparingLong(w -> w.operation().completedAt()));
        writes.sort(Comparator.comparingLong(w -> w.operation().invokedAt()));

        List<RevisionViolation> violations = new ArrayList<>();
        OperationRef highestWitness = null;
        int next = 0;
        for (OperationRef write : writes) {
            while (next < witnesses.size() && witnesses.get(next).operation().completedAt() < write.operation().invokedAt()) {
                OperationRef w = witnesses.get(next++);
                if (highestWitness == null || shownRevision(w.operation()) > shownRevision(highestWitness.operation())) {
                    highestWitness = w;
                }
            }
            if (highestWitness != null && shownRevision(highestWitness.operation()) >= write.operation().writtenRevision()) {
                violations.add(new RevisionViolation("revision went backwards: revision "
                        + shownRevision(highestWitness.operation()) + " was shown before a write was invoked that then got revision "
                        + write.operation().writtenRevision(), List.of(highestWitness, write)));
            }
        }
        return violations;
    }

    /** @return the highest revision the response shows as already taken, or 0 */
    private static long shownRevision(Operation op) {
        if (op.response() instanceof Written written) {
            return written.revision();
        } else if (op.response() instanceof Found found) {
            return found.modRevision();
        } else if (op.response() instanceof PreconditionFailed failed) {
            return failed.currentRevision();
        }
        return 0;
    }
}
