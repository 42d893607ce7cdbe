package io.ordinal.frontend;

import io.ordinal.command.Command;
import io.ordinal.command.CommandCodec;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * What makes a read linearizable: a point in the log, committed after the read arrived, that the
 * read is then served at (by any replica that has applied that far).
 *
 * <p>A barrier is a {@link Command.Barrier} written through the leader like any write: its commit
 * proves that whoever committed it led the group after the read arrived, and every write acknowledged
 * before the read began has a lower index. Reads share barriers: those that arrive while one is in
 * flight wait for the next, which is sent as soon as the one in flight completes — so under load one
 * log entry serves many reads, and never a read that arrived after it was sent.
 *
 * <p>Why not Ratis's ReadIndex: in Ratis 3.3.0 a leader answers a read at once, with no heartbeat
 * round, when its commit index was already confirmed by a majority earlier ({@code ReadIndexHeartbeats}
 * keeps an "acked commit index"). A leader that was paused or cut off keeps its old commit index, so
 * until it notices it lost the leadership (up to the election timeout) it would answer reads from a
 * state that a newer leader has already moved past: stale reads.
 *
 * <p>GETs of single keys join a barrier as keys ({@link #awaitGet}): when it commits, the whole batch
 * is served by one {@code Query.GetMany} instead of one call per read.
 */
final class ReadBarrier {

    private static final Message BARRIER = Message.valueOf(UnsafeByteOperations.unsafeWrap(
            CommandCodec.encode(new Command.Barrier())));

    /** A committed barrier: its log index, and the leader that committed it. */
    record Point(long index, RaftPeerId leader) {
    }

    /** A GET waiting for a barrier: its key, its answer (an encoded get result), its deadline. */
    record PendingGet(byte[] key, CompletableFuture<ByteBuffer> answer, long giveUpAtNanos) {
    }

    /** The reads waiting for one barrier. */
    private static final class Batch {
        final CompletableFuture<Point> point = new CompletableFuture<>();
        /** Guarded by the barrier's lock; no longer changes once the batch's barrier is sent. */
        final List<PendingGet> gets = new ArrayList<>();
    }

    private final ClientPool writers;
    private final Executor sender;
    private final BiConsumer<Point, List<PendingGet>> serveGets;
    private Batch inFlight;
    private Batch next;

    /**
     * @param sender where the next barrier is sent from: never a Ratis reply thread (see {@link WriteBatcher})
     * @param serveGets answers a committed barrier's GETs (called on {@code sender})
     */
    ReadBarrier(ClientPool writers, Executor sender, BiConsumer<Point, List<PendingGet>> serveGets) {
        this.writers = writers;
        this.sender = sender;
        this.serveGets = serveGets;
    }

    /** A barrier sent after this call: the point a read that arrives now may be served at. */
    synchronized CompletableFuture<Point> await() {
        return join().point;
    }

    /** Adds a GET to the next barrier's batch: it is answered once that barrier has committed. */
    synchronized void awaitGet(PendingGet get) {
        join().gets.add(get);
    }

    /** The batch a read that arrives now joins. Called with the lock held. */
    private Batch join() {
        if (next == null) {
            next = new Batch();
        }
        Batch mine = next;
        if (inFlight == null) {
            send();
        }
        return mine;
    }

    /** Sends the waiting batch's barrier. Called with the lock held. */
    private void send() {
        Batch batch = next;
        next = null;
        inFlight = batch;
        ClientPool.Lease lease = writers.acquire();
        lease.client().async().send(BARRIER).whenComplete((reply, error) -> {
            Throwable failure = null;
            if (error == null && reply.isSuccess()) {
                batch.point.complete(new Point(reply.getLogIndex(), reply.getServerId()));
            } else {
                writers.discard(lease);
                failure = error != null ? error
                        : new CompletionException(new IOException("the barrier failed", reply.getException()));
                batch.point.completeExceptionally(failure);
            }
            Throwable failed = failure;
            sender.execute(() -> {
                List<PendingGet> gets;
                synchronized (this) {
                    gets = batch.gets;
                    inFlight = null;
                    if (next != null) {
                        send();
                    }
                }
                if (gets.isEmpty()) {
                    return;
                }
                if (failed == null) {
                    serveGets.accept(batch.point.join(), gets);
                } else {
                    gets.forEach(g -> g.answer().completeExceptionally(failed));
                }
            });
        });
    }
}
