package io.ordinal.fault;

import io.ordinal.history.CheckResult;
import io.ordinal.history.History;
import io.ordinal.history.LinearizabilityChecker;
import io.ordinal.history.Operation;
import io.ordinal.history.Request;
import io.ordinal.history.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryTest {

    private static final long MS = 1_000_000;

    private static Recorder.Entry write(long invokedMs, long completedMs, Response response) {
        return new Recorder.Entry(new Operation(0, "k", invokedMs * MS, completedMs * MS, new Request.Put("v" + invokedMs), response),
                Recorder.Kind.PUT, response instanceof Response.Unknown ? 503 : 200, ApiClient.Failure.NONE, null, 0);
    }

    private static Recorder.Entry read(long invokedMs, long completedMs) {
        return new Recorder.Entry(new Operation(1, "k", invokedMs * MS, completedMs * MS, new Request.Read(), new Response.NotFound()),
                Recorder.Kind.READ, 404, ApiClient.Failure.NONE, null, 0);
    }

    @Test
    void writesBackIsTheFirstAcknowledgedWriteInvokedAfterTheFault() {
        List<Recorder.Entry> entries = List.of(
                write(900, 2500, new Response.Written(1, 0)),   // invoked before the fault: does not count
                write(1100, 1900, new Response.Unknown()),      // no answer: does not count
                write(1200, 2800, new Response.Written(3, 1)),
                write(2000, 2100, new Response.Written(2, 1)),
                read(1050, 1300));
        Recovery r = Recovery.of(entries, 1000 * MS, 4000 * MS);
        assertThat(r.writesBack()).contains(Duration.ofMillis(1100));
        assertThat(r.readsBack()).contains(Duration.ofMillis(300));
        assertThat(r.errors()).isEqualTo(Map.of("503", 1));
    }

    @Test
    void theLongestGapCountsEveryAcknowledgementAfterTheFaultAndTheEndOfTheStep() {
        List<Recorder.Entry> entries = List.of(
                write(900, 1200, new Response.Written(1, 0)),
                write(1300, 2900, new Response.Written(2, 1)),
                write(3000, 3100, new Response.Written(3, 2)));
        Recovery r = Recovery.of(entries, 1000 * MS, 3500 * MS);
        assertThat(r.longestWriteGap()).isEqualTo(Duration.ofMillis(1700));
        assertThat(Recovery.of(entries, 1000 * MS, 6000 * MS).longestWriteGap()).isEqualTo(Duration.ofMillis(2900));
    }

    @Test
    void noWriteAfterTheFaultMeansWritesNeverCameBack() {
        Recovery r = Recovery.of(List.of(write(900, 1100, new Response.Written(1, 0))), 1000 * MS, 2000 * MS);
        assertThat(r.writesBack()).isEmpty();
        assertThat(Recovery.millis(r.writesBack())).isEqualTo("never");
    }

    @Test
    void theReportAndThePictureAreWritten(@TempDir Path dir) throws Exception {
        List<Recorder.Entry> entries = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            entries.add(write(i * 100L, i * 100L + 5 + i, new Response.Written(i, i - 1)));
        }
        entries.add(write(2500, 7000, new Response.Unknown()));
        History history = History.of(entries.stream().map(Recorder.Entry::op).toList());
        CheckResult check = new LinearizabilityChecker().check(history);
        StepResult step = new StepResult(1, FaultKind.PAUSE_LEADER, "kv-store-0", "", null, 0, 2000 * MS, 5000 * MS, 6000 * MS,
                entries, check, List.of(), Recovery.of(entries, 2000 * MS, 6000 * MS), List.of());
        RunReport.write(dir, List.of("seed 1"), 0, List.of(step, StepResult.skipped(2, FaultKind.PARTITION_LEADER, "no root", 0)));

        assertThat(Files.readString(dir.resolve("report.txt"))).contains("pause-leader", "LINEARIZABLE", "skipped: no root");
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("<svg", "1 pause-leader", "</html>").doesNotContain("<script");
        assertThat(Files.size(dir.resolve("latency.png"))).isPositive();
    }
}
