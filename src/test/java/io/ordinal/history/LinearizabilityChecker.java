package io.ordinal.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a recorded history of the key-value API for linearizability.
 *
 * <p>Linearizability is local (Herlihy and Wing): a history is linearizable exactly when each key's
 * sub-history is, so each key is searched on its own ({@link WglSearch}), with its own
 * {@link Budget}. What keys share — one revision counter — is checked apart, cheaply and without
 * search: revisions never go backwards in real time ({@link RevisionOrderCheck}) and each names one
 * write ({@link RevisionIdentityCheck}).
 *
 * <pre>{@code
 * History history = History.builder()
 *         .add(new Operation(client, "k", invokedAt, completedAt, new Request.Put("v1"), new Response.Written(5, 0)))
 *         ...
 *         .build();
 * CheckResult result = new LinearizabilityChecker(Budget.DEFAULT).check(history);
 * assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.LINEARIZABLE);
 * }</pre>
 */
public final class LinearizabilityChecker {

    private final Budget budget;

    public LinearizabilityChecker(Budget budget) {
        this.budget = budget;
    }

    public LinearizabilityChecker() {
        this(Budget.DEFAULT);
    }

    public CheckResult check(History history) {
        Map<String, KeyResult> keys = new LinkedHashMap<>();
        history.idsByKey().forEach((key, ids) -> {
            List<OperationRef> ops = ids.stream().map(id -> new OperationRef(id, history.operations().get(id))).toList();
            keys.put(key, WglSearch.check(key, ops, budget));
        });
        List<RevisionViolation> violations = new ArrayList<>(RevisionIdentityCheck.check(history));
        violations.addAll(RevisionOrderCheck.check(history));
        return CheckResult.of(keys, violations);
    }
}
