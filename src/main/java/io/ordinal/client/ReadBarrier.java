package io.ordinal.client;

import io.ordinal.command.Command;
import io.ordinal.command.LogFormat;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

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
 */
final class ReadBarrier {

    private static final Message BARRIER = Message.valueOf(UnsafeByteOperations.unsafeWrap(
            LogFormat.encode(new Command.Barrier())));

    /** A committed barrier: its log index, and the leader that committed it. */
    record Point(long index, RaftPeerId leader) {
    }

    private final LeaderWrites leader;
    private final Duration deadline;
    private CompletableFuture<Point> inFlight;
    private CompletableFuture<Point> next;

    private final Executor sender;

    /** @param sender where the next barrier is sent from: never a Ratis reply thread (see {@link WriteBatcher}) */
    ReadBarrier(LeaderWrites leader, Duration deadline, Executor sender) {
        this.leader = leader;
        this.deadline = deadline;
        this.sender = sender;
    }

    /** A barrier sent after this call: the point a read that arrives now may be served at. */
    synchronized CompletableFuture<Point> await() {
        if (next == null) {
            next = new CompletableFuture<>();
        }
        CompletableFuture<Point> mine = next;
        if (inFlight == null) {
            send();
        }
        return mine;
    }

    /** Sends the waiting batch's barrier. Called with the lock held. */
    private void send() {
        CompletableFuture<Point> batch = next;
        next = null;
        inFlight = batch;
        leader.send(BARRIER, deadline).whenComplete((reply, error) -> {
            if (error == null && reply.isSuccess()) {
                batch.complete(new Point(reply.getLogIndex(), reply.getServerId()));
            } else {
                batch.completeExceptionally(error != null ? error
                        : new CompletionException(new IOException("the barrier failed", reply.getException())));
            }
            sender.execute(() -> {
                synchronized (this) {
                    inFlight = null;
                    if (next != null) {
                        send();
                    }
                }
            });
        });
    }
}
