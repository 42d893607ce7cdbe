package io.ordinal.fault;

import io.ordinal.history.CheckResult;
import io.ordinal.history.LostWrites.LostWrite;
import io.ordinal.history.Outcome;

import java.util.List;

/**
 * One step of a run: a fresh set of keys, the workload on them, one fault in the middle, and what
 * came of it. Times are {@link System#nanoTime()}, the clock of the recorded operations.
 *
 * @param skipped   why the step did not run (its fault is not possible here), or null
 * @param problems  every way the step failed its guarantees; empty when it passed
 */
record StepResult(int index, FaultKind kind, String target, String notes, String skipped,
                  long startedAt, long injectedAt, long healedAt, long endedAt,
                  List<Recorder.Entry> entries, CheckResult check, List<LostWrite> lost, Recovery recovery,
                  List<String> problems) {

    static StepResult skipped(int index, FaultKind kind, String why, long at) {
        return new StepResult(index, kind, "-", "", why, at, at, at, at, List.of(), null, List.of(), null, List.of());
    }

    boolean ran() {
        return skipped == null;
    }

    boolean passed() {
        return problems.isEmpty();
    }

    long count(Outcome outcome) {
        return entries.stream().filter(e -> e.op().outcome() == outcome).count();
    }

    String name() {
        return "step " + index + " " + kind.id();
    }

    /** One paragraph for the report and for a failing assertion. */
    String summary() {
        if (!ran()) {
            return name() + ": SKIPPED — " + skipped + "\n";
        }
        StringBuilder b = new StringBuilder();
        b.append(name()).append(" on ").append(target).append(passed() ? ": PASSED" : ": FAILED").append('\n')
                .append("  ").append(entries.size()).append(" operations: ").append(count(Outcome.OK)).append(" ok, ")
                .append(count(Outcome.FAILED)).append(" failed (definite 4xx), ").append(count(Outcome.UNKNOWN))
                .append(" unknown ").append(recovery.errors()).append('\n')
                .append("  checker: ").append(check.verdict()).append("; lost acknowledged writes: ").append(lost.size()).append('\n')
                .append("  writes succeed again ").append(Recovery.millis(recovery.writesBack())).append(" after the fault")
                .append(" (reads ").append(Recovery.millis(recovery.readsBack())).append("); longest time without an acknowledged write ")
                .append(recovery.longestWriteGap().toMillis()).append(" ms; fault held ")
                .append((healedAt - injectedAt) / 1_000_000).append(" ms\n");
        if (!notes.isEmpty()) {
            b.append("  ").append(notes.replace("\n", "\n  ")).append('\n');
        }
        for (String p : problems) {
            b.append("  PROBLEM: ").append(p.replace("\n", "\n    ")).append('\n');
        }
        return b.toString();
    }
}
