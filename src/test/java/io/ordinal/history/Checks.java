package io.ordinal.history;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on whole histories that print the checker's report when they fail. */
final class Checks {

    private Checks() {
    }

    static CheckResult check(Operation... operations) {
        return new LinearizabilityChecker().check(History.of(operations));
    }

    static CheckResult assertLinearizable(Operation... operations) {
        CheckResult result = check(operations);
        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.LINEARIZABLE);
        return result;
    }

    static CheckResult assertNotLinearizable(Operation... operations) {
        CheckResult result = check(operations);
        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        return result;
    }
}
