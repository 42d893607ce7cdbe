package io.ordinal.storage;

import io.ordinal.command.Command;
import io.ordinal.command.Precondition;
import io.ordinal.command.ResultFormat;
import io.ordinal.command.WriteResult;
import io.ordinal.command.WriteResult.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The record of applied calls: a repeated call changes nothing, and records age by log time alone. */
class AppliedCallsTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long WINDOW = ClientCall.RETRY_WINDOW.toMillis();
    private static final byte[] CLIENT = bytes("client-id-16-byt");

    @TempDir
    Path dir;

    @Test
    void aCallAppliedAgainChangesNothingAndIsAnsweredWithItsFirstReply() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Command createOnly = new Command.Put(bytes("k"), bytes("v"), Precondition.ABSENT);
            Entries.Applied first = Entries.apply(store, 1, createOnly, call(7, T0));
            assertThat(first.result()).isEqualTo(new WriteResult(Outcome.CREATED, 1, 0));

            Entries.Applied again = Entries.apply(store, 2, createOnly, call(7, T0 + 1000));
            assertThat(again.result()).as("applied again").isNull();
            assertThat(decode(again.reply())).isEqualTo(new WriteResult(Outcome.CREATED, 1, 0));
            assertThat(store.revision()).isEqualTo(1);
            assertThat(store.appliedIndex()).isEqualTo(2);
            // Another call of the same command is a new write, decided anew.
            assertThat(Entries.apply(store, 3, createOnly, call(8, T0 + 2000)).result())
                    .isEqualTo(new WriteResult(Outcome.PRECONDITION_FAILED, 0, 1));
        }
    }

    @Test
    void aRecordAnswersForTheRetryWindowOfLogTimeThenIsForgotten() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Command put = new Command.Put(bytes("k"), bytes("v"), Precondition.NONE);
            Entries.apply(store, 1, put, call(7, T0));
            assertThat(Entries.apply(store, 2, put, call(7, T0 + WINDOW)).result()).as("at the window's end").isNull();
            assertThat(store.recordedReply(call(7, T0 + WINDOW + 1))).as("past it").isEmpty();

            // Any later entry deletes it (it would still answer at its own time, had it been kept).
            Entries.apply(store, 3, put, call(8, T0 + WINDOW + 1));
            assertThat(store.recordedReply(call(7, T0))).isEmpty();
            assertThat(Entries.apply(store, 4, put, call(7, T0 + WINDOW + 2)).result())
                    .isEqualTo(new WriteResult(Outcome.UPDATED, 3, 2));
            assertThat(decode(store.recordedReply(call(7, T0 + WINDOW + 2))))
                    .isEqualTo(new WriteResult(Outcome.UPDATED, 3, 2));
        }
    }

    @Test
    void oneEntryForgetsABoundedNumberOfRecordsInKeyOrder() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            int calls = AppliedCalls.MAX_FORGOTTEN_PER_ENTRY + 10;
            for (int i = 1; i <= calls; i++) {
                Entries.apply(store, i, new Command.Put(bytes("k" + i), bytes("v"), Precondition.NONE), call(i, T0));
            }
            long later = T0 + WINDOW + 1;
            Entries.apply(store, calls + 1, new Command.Delete(bytes("absent"), Precondition.NONE), call(1000, later));
            for (int i = 1; i <= calls; i++) {
                assertThat(store.recordedReply(call(i, T0)).length > 0).as("call %d still stored", i)
                        .isEqualTo(i > AppliedCalls.MAX_FORGOTTEN_PER_ENTRY);
                assertThat(store.recordedReply(call(i, later))).as("call %d answers", i).isEmpty();
            }
            Entries.apply(store, calls + 2, new Command.Delete(bytes("absent"), Precondition.NONE), call(1001, later));
            for (int i = 1; i <= calls; i++) {
                assertThat(store.recordedReply(call(i, T0))).as("call %d stored", i).isEmpty();
            }
        }
    }

    @Test
    void recordsAreTheSameWhetherTheStoreWasReopenedOrRestoredFromACheckpointOnTheWay() throws Exception {
        Path live = dir.resolve("live");
        Path interrupted = dir.resolve("interrupted");
        long[] times = {T0, T0 + 10, T0 + WINDOW / 2, T0 + WINDOW + 5, T0 + WINDOW + 6, T0 + 2 * WINDOW};
        try (KvStore a = KvStore.open(live)) {
            for (int i = 0; i < times.length; i++) {
                applyEntry(a, i, times[i]);
            }
        }
        KvStore b = KvStore.open(interrupted);
        for (int i = 0; i < times.length; i++) {
            if (i == 3) {
                b.checkpoint(dir.resolve("cp"));
                b.close();
                Checkpoints.restore(dir.resolve("cp"), interrupted);
                b = KvStore.open(interrupted);
            }
            applyEntry(b, i, times[i]);
        }
        try (KvStore a = KvStore.open(live); KvStore reopened = b) {
            for (int i = 0; i < times.length; i++) {
                assertThat(reopened.recordedReply(call(i + 1, times[i])))
                        .as("call %d", i + 1).isEqualTo(a.recordedReply(call(i + 1, times[i])));
            }
            assertThat(a.recordedReply(call(1, T0))).as("forgotten by the last entry").isEmpty();
            assertThat(a.recordedReply(call(6, T0 + 2 * WINDOW))).isNotEmpty();
        }
    }

    private static void applyEntry(KvStore store, int i, long time) {
        Entries.apply(store, i + 1, new Command.Put(bytes("k" + i), bytes("v"), Precondition.NONE), call(i + 1, time));
    }

    private static ClientCall call(long callId, long leaderMillis) {
        return new ClientCall(CLIENT, callId, leaderMillis);
    }

    private static WriteResult decode(byte[] reply) {
        return ResultFormat.decodeWriteResult(ByteBuffer.wrap(reply));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
