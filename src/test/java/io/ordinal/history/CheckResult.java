package io.ordinal.history;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict on a history: per key, and the store-wide revision rules.
 *
 * @param verdict            NOT_LINEARIZABLE if any key is or any revision rule is broken; else
 *                           UNDECIDED if any key is; else LINEARIZABLE
 * @param keys               each key's result, in key order
 * @param revisionViolations breaches of the store-wide revision rules
 */
public record CheckResult(Verdict verdict, Map<String, KeyResult> keys, List<RevisionViolation> revisionViolations) {

    /** How many of each kind of finding {@link #report()} spells out; the record holds them all. */
    private static final int SHOWN = 20;

    static CheckResult of(Map<String, KeyResult> keys, List<RevisionViolation> revisionViolations) {
        Verdict verdict;
        if (!revisionViolations.isEmpty() || keys.values().stream().anyMatch(k -> k.verdict() == Verdict.NOT_LINEARIZABLE)) {
            verdict = Verdict.NOT_LINEARIZABLE;
        } else if (keys.values().stream().anyMatch(k -> k.verdict() == Verdict.UNDECIDED)) {
            verdict = Verdict.UNDECIDED;
        } else {
            verdict = Verdict.LINEARIZABLE;
        }
        return new CheckResult(verdict, Collections.unmodifiableMap(new LinkedHashMap<>(keys)), List.copyOf(revisionViolations));
    }

    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    public List<KeyResult> keysWith(Verdict keyVerdict) {
        return keys.values().stream().filter(k -> k.verdict() == keyVerdict).sorted(Comparator.comparing(KeyResult::key)).toList();
    }

    /** A human-readable account: the verdict, then every finding (up to a limit per kind). */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append(verdict).append(": ").append(keys.size()).append(" key(s), ")
                .append(keysWith(Verdict.LINEARIZABLE).size()).append(" linearizable, ")
                .append(keysWith(Verdict.NOT_LINEARIZABLE).size()).append(" not linearizable, ")
                .append(keysWith(Verdict.UNDECIDED).size()).append(" undecided; ")
                .append(revisionViolations.size()).append(" store-wide revision violation(s)\n");
        revisionViolations.stream().limit(SHOWN).forEach(v -> out.append("  ").append(v));
        keysWith(Verdict.NOT_LINEARIZABLE).stream().limit(SHOWN).forEach(k -> out.append(k.summary()));
        keysWith(Verdict.UNDECIDED).stream().limit(SHOWN).forEach(k -> out.append(k.summary()));
        return out.toString();
    }
}
