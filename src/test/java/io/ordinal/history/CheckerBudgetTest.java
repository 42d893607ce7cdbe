package io.ordinal.history;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.ordinal.history.Ops.delete;
import static io.ordinal.history.Ops.put;
import static io.ordinal.history.Ops.putUnknown;
import static io.ordinal.history.Ops.read;
import static io.ordinal.history.Ops.readAbsent;
import static org.assertj.core.api.Assertions.assertThat;

/** The search is bounded: a key it cannot settle in its budget is UNDECIDED, and large ordinary histories fit easily. */
class CheckerBudgetTest {

    /**
     * 30 writes of unknown outcome and 31 acknowledged deletes, all concurrent: not linearizable (31
     * deletes need 31 writes before them), but only counting shows it, and the exact search would
     * have to try every subset of the deletes.
     */
    private static List<Operation> pathological(String key) {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ops.add(putUnknown(i, 0, key, "u" + i));
        }
        for (int i = 0; i < 31; i++) {
            ops.add(delete(100 + i, 0, 1000, key));
        }
        return ops;
    }

    @Test
    void aPathologicalKeyIsUndecidedWithinItsTimeBudget() {
        long started = System.nanoTime();
        CheckResult result = new LinearizabilityChecker(Budget.ofTime(Duration.ofMillis(500))).check(History.of(pathological("k")));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.UNDECIDED);
        assertThat(result.keys().get("k").undecidedWhy()).contains("time budget");
        assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aStepBudgetMakesTheVerdictUndecidedWhateverTheMachinesSpeed() {
        CheckResult result = new LinearizabilityChecker(Budget.ofSteps(20_000)).check(History.of(pathological("k")));
        assertThat(result.verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(result.keys().get("k").undecidedWhy()).contains("step budget");
        assertThat(result.keys().get("k").steps()).isLessThanOrEqualTo(20_001);
    }

    @Test
    void aMemoBudgetBoundsTheMemory() {
        CheckResult result = new LinearizabilityChecker(new Budget(Duration.ofSeconds(30), Long.MAX_VALUE, 1 << 20))
                .check(History.of(pathological("k")));
        assertThat(result.verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(result.keys().get("k").undecidedWhy()).contains("memo budget");
    }

    @Test
    void anUndecidedKeyDoesNotHideAViolationOnAnother() {
        List<Operation> ops = new ArrayList<>(pathological("hard"));
        ops.add(put(1, 0, 10, "easy", "a", 1000, 0));
        ops.add(put(1, 20, 30, "easy", "b", 1001, 1000));
        ops.add(read(2, 40, 50, "easy", "a", 1000));
        CheckResult result = new LinearizabilityChecker(Budget.ofSteps(20_000)).check(History.of(ops));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(result.keys().get("hard").verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(result.keys().get("easy").verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void manyConcurrentReadsOfOneStateAreNotTriedInEveryOrder() {
        List<Operation> ops = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ops.add(readAbsent(i, 0, 1000, "k"));
        }
        ops.add(read(99, 0, 1000, "k", "ghost", 1));
        CheckResult result = new LinearizabilityChecker(Budget.ofSteps(100_000)).check(History.of(ops));
        assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void thousandsOfOperationsOnOneKeyAreDecided() {
        SimulatedRun.Settings settings = new SimulatedRun.Settings(10, 1, 5000, 0.1, 3);
        History history = SimulatedRun.record(1, settings);
        LinearizabilityChecker checker = new LinearizabilityChecker(Budget.ofTime(Duration.ofSeconds(60)));

        KeyResult valid = checker.check(history).keys().get("key0");
        assertThat(valid.verdict()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(valid.linearization()).hasSizeGreaterThan(4000);

        History stale = Mutation.STALE_READ.apply(history, new Random(1)).orElseThrow();
        assertThat(checker.check(stale).keys().get("key0").verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    }
}
