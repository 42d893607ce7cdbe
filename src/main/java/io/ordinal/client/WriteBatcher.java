package io.ordinal.client;

import io.ordinal.command.BatchResult;
import io.ordinal.command.Command;
import io.ordinal.command.LogFormat;
import io.ordinal.command.ResultFormat;
import io.ordinal.command.WriteResult;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Gathers concurrent key writes into one log entry ({@link Command.Batch}), with no added delay.
 *
 * <p>At most {@code maxInFlight} entries are on their way to the leader at once. A write that finds a
 * free slot is sent at once, alone; writes that arrive while every slot is taken wait in a queue, and
 * whenever an entry completes, everything queued (up to {@code maxWrites} writes and about
 * {@code maxBytes}) leaves as the next entry. So at low load every write is an entry of its own, and
 * under load one entry — one Raft round, one log append, one apply — carries many writes.
 *
 * <p>Exactly once still holds: an entry is one Ratis call, retried as the same call and deduplicated
 * by the leader's retry cache, so its writes are applied once or not at all. Each write's answer is
 * its own (the state machine decides each in order, as if it were an entry of its own); only a failure
 * to deliver the entry (timeout, no leader) is shared by all its writes — and then the outcome of each
 * is unknown, exactly as for a write sent alone.
 */
final class WriteBatcher {

    /** A write waiting or on its way: encoded once, when it arrived. */
    private record Pending(byte[] encoded, CompletableFuture<WriteResult> answer) {
    }

    private final Function<byte[], CompletableFuture<ByteBuffer>> send;
    private final Executor sender;
    private final int maxInFlight;
    private final int maxWrites;
    private final int maxBytes;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;

    /**
     * @param send sends one encoded command through the log and answers the state machine's reply,
     *     or fails; it must not block
     * @param sender where the next entry is sent from once one completes: never the thread that
     *     completed it. That thread is Ratis's, holding its client's request window; sending on
     *     another client from there, while that client's reply thread sends on the first, deadlocks
     *     both (seen in ClusterTest)
     */
    WriteBatcher(Function<byte[], CompletableFuture<ByteBuffer>> send, Executor sender, int maxInFlight,
                 int maxWrites, int maxBytes) {
        this.send = send;
        this.sender = sender;
        this.maxInFlight = maxInFlight;
        this.maxWrites = maxWrites;
        this.maxBytes = maxBytes;
    }

    CompletableFuture<WriteResult> submit(Command.KeyCommand command) {
        Pending pending = new Pending(LogFormat.encode(command), new CompletableFuture<>());
        boolean sendNow;
        synchronized (this) {
            sendNow = inFlight < maxInFlight && queue.isEmpty();
            if (sendNow) {
                inFlight++;
            } else {
                queue.add(pending);
            }
        }
        if (sendNow) {
            sendAlone(pending);
        }
        return pending.answer();
    }

    private void sendAlone(Pending pending) {
        CompletableFuture<ByteBuffer> reply;
        try {
            reply = send.apply(pending.encoded());
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((buf, error) -> {
            if (error != null) {
                pending.answer().completeExceptionally(error);
            } else {
                complete(pending, () -> ResultFormat.decodeWriteResult(buf));
            }
            sender.execute(this::next);
        });
    }

    private void sendBatch(List<Pending> batch) {
        CompletableFuture<ByteBuffer> reply;
        try {
            reply = send.apply(LogFormat.encodeBatch(batch.stream().map(Pending::encoded).toList()));
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((buf, error) -> {
            if (error != null) {
                batch.forEach(p -> p.answer().completeExceptionally(error));
            } else {
                try {
                    List<WriteResult> results = ResultFormat.decodeBatchResult(buf).results();
                    if (results.size() != batch.size()) {
                        throw new ReplicaFailedException("a batch of " + batch.size() + " writes was answered with "
                                + results.size() + " results", null);
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).answer().complete(results.get(i));
                    }
                } catch (RuntimeException e) {
                    batch.forEach(p -> p.answer().completeExceptionally(e));
                }
            }
            sender.execute(this::next);
        });
    }

    private static void complete(Pending pending, java.util.function.Supplier<WriteResult> result) {
        try {
            pending.answer().complete(result.get());
        } catch (RuntimeException e) {
            pending.answer().completeExceptionally(e);
        }
    }

    /** An entry completed: its slot carries what is queued, or becomes free. */
    private void next() {
        List<Pending> batch;
        synchronized (this) {
            if (queue.isEmpty()) {
                inFlight--;
                return;
            }
            batch = new ArrayList<>(Math.min(queue.size(), maxWrites));
            int bytes = 0;
            while (!queue.isEmpty() && batch.size() < maxWrites
                    && (batch.isEmpty() || bytes + queue.peek().encoded().length <= maxBytes)) {
                Pending p = queue.poll();
                if (p.answer().isDone()) {
                    continue; // its deadline passed while it waited: it was answered 503, and is never sent
                }
                bytes += p.encoded().length;
                batch.add(p);
            }
        }
        if (batch.isEmpty()) {
            next();
        } else if (batch.size() == 1) {
            sendAlone(batch.get(0));
        } else {
            sendBatch(batch);
        }
    }

    /** Writes waiting for a slot, for metrics and tests. */
    synchronized int queued() {
        return queue.size();
    }
}
