package io.ordinal.fault;

import io.ordinal.history.Outcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A run's report, in the run's directory: {@code report.txt} (also printed), {@code report.html} (the
 * table and the picture as inline SVG, no external resources) and {@code latency.png}; next to the
 * run's {@code history.jsonl} and the pods' {@code logs/}.
 */
final class RunReport {

    private RunReport() {
    }

    static void write(Path dir, List<String> environment, long origin, List<StepResult> steps) {
        String text = text(environment, steps);
        System.out.println(text);
        LatencyChart chart = LatencyChart.of("Ordinal under faults — latency of every operation ("
                + steps.stream().mapToInt(s -> s.entries().size()).sum() + ")", origin, steps);
        String pngNote;
        try {
            chart.png(dir.resolve("latency.png"));
            pngNote = "latency.png";
        } catch (IOException | RuntimeException | Error e) {
            pngNote = "no PNG (" + e + ")";
        }
        try {
            Files.writeString(dir.resolve("report.txt"), text, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("report.html"), html(environment, steps, chart, pngNote), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(List<String> environment, List<StepResult> steps) {
        StringBuilder b = new StringBuilder("Ordinal fault run, " + Instant.now() + "\n");
        environment.forEach(e -> b.append("  ").append(e).append('\n'));
        b.append('\n').append(String.format(Locale.ROOT, "%-4s %-19s %-16s %7s %7s %7s %7s %-17s %5s %11s %11s %9s%n",
                "step", "fault", "target", "ops", "ok", "failed", "unknown", "verdict", "lost", "writes back", "reads back", "max gap"));
        for (StepResult s : steps) {
            if (!s.ran()) {
                b.append(String.format(Locale.ROOT, "%-4d %-19s skipped: %s%n", s.index(), s.kind().id(), s.skipped()));
                continue;
            }
            b.append(String.format(Locale.ROOT, "%-4d %-19s %-16s %7d %7d %7d %7d %-17s %5d %11s %11s %6d ms%n",
                    s.index(), s.kind().id(), abbreviate(s.target(), 16), s.entries().size(), s.count(Outcome.OK),
                    s.count(Outcome.FAILED), s.count(Outcome.UNKNOWN), s.check().verdict(), s.lost().size(),
                    Recovery.millis(s.recovery().writesBack()), Recovery.millis(s.recovery().readsBack()),
                    s.recovery().longestWriteGap().toMillis()));
        }
        long failed = steps.stream().filter(s -> s.ran() && !s.passed()).count();
        b.append('\n').append(failed == 0 ? "every step passed" : failed + " step(s) FAILED").append("\n\n");
        steps.forEach(s -> b.append(s.summary()).append('\n'));
        b.append("\"writes back\": from the fault until the first acknowledged write invoked after it; \"max gap\": the longest\n"
                + "time from the fault to the end of the step with no write acknowledged. The history of every operation is in\n"
                + "history.jsonl (check it again with io.ordinal.history.CheckHistoryFile); the pods' logs are in logs/.\n");
        return b.toString();
    }

    private static String html(List<String> environment, List<StepResult> steps, LatencyChart chart, String pngNote) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Ordinal fault run</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:20px} table{border-collapse:collapse;font-size:13px}")
                .append(" td,th{border:1px solid #ccc;padding:3px 7px;text-align:right} td.l,th.l{text-align:left}")
                .append(" .fail{background:#fdd} .skip{color:#888} pre{font-size:12px;background:#f6f6f6;padding:8px;overflow-x:auto}")
                .append(" .chart{overflow-x:auto}\n</style></head><body>\n<h1>Ordinal fault run</h1>\n<ul>\n");
        environment.forEach(e -> b.append("<li>").append(LatencyChart.escape(e)).append("</li>\n"));
        b.append("</ul>\n<div class=\"chart\">\n").append(chart.svg()).append("</div>\n<p>Also as ")
                .append(LatencyChart.escape(pngNote)).append("; every operation is in <code>history.jsonl</code>.</p>\n<table>\n<tr>")
                .append("<th>step</th><th class=\"l\">fault</th><th class=\"l\">target</th><th>ops</th><th>ok</th><th>failed</th>")
                .append("<th>unknown</th><th class=\"l\">verdict</th><th>lost writes</th><th>writes back</th><th>reads back</th>")
                .append("<th>longest gap</th><th class=\"l\">result</th></tr>\n");
        for (StepResult s : steps) {
            if (!s.ran()) {
                b.append("<tr class=\"skip\"><td>").append(s.index()).append("</td><td class=\"l\">").append(s.kind().id())
                        .append("</td><td class=\"l\" colspan=\"11\">skipped: ").append(LatencyChart.escape(s.skipped())).append("</td></tr>\n");
                continue;
            }
            b.append(s.passed() ? "<tr>" : "<tr class=\"fail\">")
                    .append("<td>").append(s.index()).append("</td><td class=\"l\">").append(s.kind().id())
                    .append("</td><td class=\"l\">").append(LatencyChart.escape(s.target())).append("</td><td>").append(s.entries().size())
                    .append("</td><td>").append(s.count(Outcome.OK)).append("</td><td>").append(s.count(Outcome.FAILED))
                    .append("</td><td>").append(s.count(Outcome.UNKNOWN)).append("</td><td class=\"l\">").append(s.check().verdict())
                    .append("</td><td>").append(s.lost().size()).append("</td><td>").append(Recovery.millis(s.recovery().writesBack()))
                    .append("</td><td>").append(Recovery.millis(s.recovery().readsBack())).append("</td><td>")
                    .append(s.recovery().longestWriteGap().toMillis()).append(" ms</td><td class=\"l\">")
                    .append(s.passed() ? "passed" : "FAILED").append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Steps</h2>\n<pre>");
        steps.forEach(s -> b.append(LatencyChart.escape(s.summary())).append('\n'));
        return b.append("</pre>\n</body></html>\n").toString();
    }

    private static String abbreviate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
