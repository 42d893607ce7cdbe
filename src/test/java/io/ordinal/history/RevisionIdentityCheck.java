package io.ordinal.history;

import io.ordinal.history.Response.Found;
import io.ordinal.history.Response.PreconditionFailed;
import io.ordinal.history.Response.Written;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A revision names one write: one key, one value. Responses that name a revision's key or value must
 * agree with each other across the whole history — in particular no two acknowledged writes share a
 * revision. (Within one key the linearizability search finds the same contradictions; this finds the
 * ones across keys, such as a read on one key showing another key's revision.)
 */
final class RevisionIdentityCheck {

    private RevisionIdentityCheck() {
    }

    /** What responses have said about one revision: the first response naming its key, its value, its writer. */
    private static final class Named {
        OperationRef key;
        OperationRef value;
        OperationRef writer;
    }

    static List<RevisionViolation> check(History history) {
        Map<Long, Named> byRevision = new HashMap<>();
        List<RevisionViolation> violations = new ArrayList<>();
        for (int id = 0; id < history.size(); id++) {
            OperationRef ref = new OperationRef(id, history.operations().get(id));
            Response response = ref.operation().response();
            if (response instanceof Written written) {
                name(byRevision, written.revision(), ref, ref.operation().request().writtenValue(), true, violations);
                name(byRevision, written.previousRevision(), ref, null, false, violations);
            } else if (response instanceof Found found) {
                name(byRevision, found.modRevision(), ref, found.value(), false, violations);
            } else if (response instanceof PreconditionFailed failed) {
                name(byRevision, failed.currentRevision(), ref, null, false, violations);
            }
        }
        return violations;
    }

    /** Records what {@code ref} says about {@code revision}; reports the first contradiction with earlier responses. */
    private static void name(Map<Long, Named> byRevision, long revision, OperationRef ref, String value, boolean writer,
                             List<RevisionViolation> violations) {
        if (revision <= 0) {
            return;
        }
        Named named = byRevision.computeIfAbsent(revision, r -> new Named());
        RevisionViolation violation = null;
        if (writer && named.writer != null) {
            violation = new RevisionViolation("two acknowledged writes got revision " + revision, List.of(named.writer, ref));
        } else if (named.key != null && !named.key.operation().key().equals(ref.operation().key())) {
            violation = new RevisionViolation("revision " + revision + " is named for two keys", List.of(named.key, ref));
        } else if (value != null && named.value != null && !valueOf(named.value).equals(value)) {
            violation = new RevisionViolation("revision " + revision + " is named for two values", List.of(named.value, ref));
        }
        if (violation != null) {
            violations.add(violation);
            return;
        }
        named.key = named.key == null ? ref : named.key;
        named.value = named.value == null && value != null ? ref : named.value;
        named.writer = named.writer == null && writer ? ref : named.writer;
    }

    private static String valueOf(OperationRef ref) {
        return ref.operation().response() instanceof Found found ? found.value() : ref.operation().request().writtenValue();
    }
}
