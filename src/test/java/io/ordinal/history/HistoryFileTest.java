package io.ordinal.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.ordinal.history.Ops.cas;
import static io.ordinal.history.Ops.casFailed;
import static io.ordinal.history.Ops.create;
import static io.ordinal.history.Ops.createUnknown;
import static io.ordinal.history.Ops.delete;
import static io.ordinal.history.Ops.deleteAbsent;
import static io.ordinal.history.Ops.deleteIfMatch;
import static io.ordinal.history.Ops.deleteIfMatchFailed;
import static io.ordinal.history.Ops.put;
import static io.ordinal.history.Ops.read;
import static io.ordinal.history.Ops.readAbsent;
import static io.ordinal.history.Ops.readUnknown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryFileTest {

    @TempDir
    Path dir;

    @Test
    void everyKindOfOperationRoundTrips() {
        History history = History.of(
                readAbsent(1, 0, 5, "k"),
                put(1, 10, 20, "k", "a", 1, 0),
                read(2, 30, 40, "k", "a", 1),
                readUnknown(2, 41, "k"),
                cas(1, 50, 60, "k", "b", 1, 2),
                casFailed(2, 50, 60, "k", "c", 1, 2),
                createUnknown(3, 70, "k", "d \"quoted\"\n€"),
                create(3, 90, 95, "other/key", "", 3),
                deleteIfMatchFailed(1, 100, 110, "k", 1, 2),
                deleteIfMatch(1, 120, 130, "k", 2),
                delete(1, 140, 150, "other/key"),
                deleteAbsent(2, 160, 170, "k"));
        Path file = dir.resolve("run.jsonl");
        HistoryFile.write(history, file);
        assertThat(HistoryFile.read(file).operations()).isEqualTo(history.operations());
    }

    @Test
    void eachOperationIsOneStableLine() throws IOException {
        Path file = dir.resolve("run.jsonl");
        HistoryFile.write(History.of(cas(3, 100, 250, "k", "v7", 12, 15), readUnknown(4, 300, "k")), file);
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactly(
                "{\"client\":3,\"key\":\"k\",\"invokedAt\":100,\"completedAt\":250,\"request\":\"putIfMatch\",\"ifMatch\":12,"
                        + "\"outcome\":\"ok\",\"response\":\"written\",\"value\":\"v7\",\"revision\":15,\"previousRevision\":12}",
                "{\"client\":4,\"key\":\"k\",\"invokedAt\":300,\"completedAt\":310,\"request\":\"read\",\"outcome\":\"unknown\",\"response\":\"unknown\"}");
    }

    @Test
    void recordedRunsRoundTrip() {
        for (long seed = 0; seed < 20; seed++) {
            History history = SimulatedRun.record(seed, RandomHistoryTest.settings(seed));
            Path file = dir.resolve("run-" + seed + ".jsonl");
            HistoryFile.write(history, file);
            assertThat(HistoryFile.read(file).operations()).isEqualTo(history.operations());
        }
    }

    @Test
    void anAppenderWritesOperationsAsTheyComplete() throws IOException {
        Path file = dir.resolve("live.jsonl");
        try (HistoryFile.Appender appender = HistoryFile.appender(file)) {
            appender.append(put(1, 0, 10, "k", "a", 1, 0));
            appender.flush();
            assertThat(Files.readAllLines(file)).hasSize(1);
            appender.append(read(1, 20, 30, "k", "a", 1));
        }
        assertThat(HistoryFile.read(file).size()).isEqualTo(2);
    }

    @Test
    void aBadLineIsReportedWithItsNumber() throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.write(file, List.of(
                OperationJson.toLine(put(1, 0, 10, "k", "a", 1, 0)),
                "",
                "{\"client\":1,\"key\":\"k\",\"invokedAt\":0,\"completedAt\":1,\"request\":\"put\",\"response\":\"found\"}"));
        assertThatThrownBy(() -> HistoryFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.jsonl:3:");
    }

    @Test
    void anOutcomeThatContradictsTheResponseIsRefused() {
        String line = OperationJson.toLine(put(1, 0, 10, "k", "a", 1, 0)).replace("\"outcome\":\"ok\"", "\"outcome\":\"unknown\"");
        assertThatThrownBy(() -> OperationJson.fromLine(line)).hasMessageContaining("contradicts");
    }

    @Test
    void aRequestTheApiDoesNotAnswerThatWayIsRefused() {
        String line = OperationJson.toLine(read(1, 0, 10, "k", "a", 1)).replace("\"request\":\"read\"", "\"request\":\"delete\"");
        assertThatThrownBy(() -> OperationJson.fromLine(line)).hasMessageContaining("never answers");
    }

    @Test
    void theCommandLineExitsWithTheVerdict() {
        Path good = dir.resolve("good.jsonl");
        HistoryFile.write(History.of(put(1, 0, 10, "k", "a", 1, 0), read(2, 20, 30, "k", "a", 1)), good);
        Path stale = dir.resolve("stale.jsonl");
        HistoryFile.write(History.of(put(1, 0, 10, "k", "a", 1, 0), put(1, 20, 30, "k", "b", 2, 1), read(2, 40, 50, "k", "a", 1)), stale);

        assertThat(CheckHistoryFile.run(new String[] {good.toString()})).isZero();
        assertThat(CheckHistoryFile.run(new String[] {stale.toString(), "5"})).isEqualTo(1);
        assertThat(CheckHistoryFile.run(new String[] {dir.resolve("missing.jsonl").toString()})).isEqualTo(3);
        assertThat(CheckHistoryFile.run(new String[0])).isEqualTo(3);
    }
}
