package io.ordinal.client;

import io.ordinal.command.BatchResult;
import io.ordinal.command.Command;
import io.ordinal.command.LogFormat;
import io.ordinal.command.Precondition;
import io.ordinal.command.ResultFormat;
import io.ordinal.command.WriteResult;
import io.ordinal.command.WriteResult.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class WriteBatcherTest {

    /** What the batcher sent, each with the future the test completes as the log would. */
    private record Sent(Command command, CompletableFuture<ByteBuffer> reply) {
    }

    private final List<Sent> sent = new ArrayList<>();

    private WriteBatcher batcher(int inFlight) {
        return new WriteBatcher(bytes -> {
            Sent s = new Sent(LogFormat.decodeCommand(ByteBuffer.wrap(bytes)), new CompletableFuture<>());
            sent.add(s);
            return s.reply();
        }, Runnable::run, inFlight, 3, 1 << 20);
    }

    @Test
    void writesGoAloneWhileASlotIsFreeAndTogetherOnceTheyWaited() {
        WriteBatcher b = batcher(2);
        CompletableFuture<WriteResult> w1 = b.submit(put("1"));
        CompletableFuture<WriteResult> w2 = b.submit(put("2"));
        List<CompletableFuture<WriteResult>> queued = new ArrayList<>();
        for (int i = 3; i <= 7; i++) {
            queued.add(b.submit(put(Integer.toString(i))));
        }
        assertThat(sent).hasSize(2);
        assertThat(sent).extracting(Sent::command).allMatch(c -> c instanceof Command.Put);
        assertThat(b.queued()).isEqualTo(5);

        // The first entry completes: its slot carries the next three queued writes, in order, as one entry.
        sent.get(0).reply().complete(ByteBuffer.wrap(ResultFormat.encode(new WriteResult(Outcome.CREATED, 1, 0))));
        assertThat(w1).isCompletedWithValue(new WriteResult(Outcome.CREATED, 1, 0));
        assertThat(sent).hasSize(3);
        Command.Batch batch = (Command.Batch) sent.get(2).command();
        assertThat(batch.writes()).extracting(w -> new String(w.key(), StandardCharsets.UTF_8))
                .containsExactly("3", "4", "5");
        assertThat(b.queued()).isEqualTo(2);

        // Each write of the batch gets its own answer, in order.
        sent.get(2).reply().complete(ByteBuffer.wrap(ResultFormat.encode(new BatchResult(List.of(
                new WriteResult(Outcome.CREATED, 2, 0), new WriteResult(Outcome.PRECONDITION_FAILED, 0, 9),
                new WriteResult(Outcome.CREATED, 3, 0))))));
        assertThat(queued.get(0)).isCompletedWithValue(new WriteResult(Outcome.CREATED, 2, 0));
        assertThat(queued.get(1)).isCompletedWithValue(new WriteResult(Outcome.PRECONDITION_FAILED, 0, 9));
        assertThat(queued.get(2)).isCompletedWithValue(new WriteResult(Outcome.CREATED, 3, 0));
        assertThat(w2).isNotDone();
        assertThat(((Command.Batch) sent.get(3).command()).writes()).hasSize(2);
        assertThat(b.queued()).isZero();
    }

    @Test
    void anEntryThatFailsFailsEachOfItsWritesAndTheNextOneStillGoes() {
        WriteBatcher b = batcher(1);
        CompletableFuture<WriteResult> first = b.submit(put("1"));
        CompletableFuture<WriteResult> second = b.submit(put("2"));
        CompletableFuture<WriteResult> third = b.submit(put("3"));
        sent.get(0).reply().complete(ByteBuffer.wrap(ResultFormat.encode(new WriteResult(Outcome.CREATED, 1, 0))));
        assertThat(first).isCompleted();
        sent.get(1).reply().completeExceptionally(new UnavailableException("no leader", null));
        assertThat(second).isCompletedExceptionally();
        assertThat(third).isCompletedExceptionally();
        // The slot is free again: the next write goes at once, alone.
        CompletableFuture<WriteResult> fourth = b.submit(put("4"));
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).command()).isInstanceOf(Command.Put.class);
        assertThat(fourth).isNotDone();
    }

    @Test
    void aWriteAnsweredWhileItWaitedIsNeverSent() {
        WriteBatcher b = batcher(1);
        b.submit(put("1"));
        CompletableFuture<WriteResult> timedOut = b.submit(put("2"));
        CompletableFuture<WriteResult> waiting = b.submit(put("3"));
        timedOut.completeExceptionally(new UnavailableException("deadline", null));
        sent.get(0).reply().complete(ByteBuffer.wrap(ResultFormat.encode(new WriteResult(Outcome.CREATED, 1, 0))));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).command()).isInstanceOf(Command.Put.class);
        assertThat(((Command.Put) sent.get(1).command()).key()).isEqualTo("3".getBytes(StandardCharsets.UTF_8));
        assertThat(waiting).isNotDone();
    }

    private static Command.Put put(String key) {
        return new Command.Put(key.getBytes(StandardCharsets.UTF_8), new byte[]{1}, Precondition.NONE);
    }
}
