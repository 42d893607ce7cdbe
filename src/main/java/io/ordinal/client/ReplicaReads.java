package io.ordinal.client;

import io.ordinal.command.Query;
import io.ordinal.command.QueryFormat;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads, each attempt sent to one chosen replica by a client of that replica alone, with no Ratis
 * retries: when an attempt fails or is slow, the next replica is tried, until the deadline.
 *
 * <ul>
 *   <li>{@link #atABarrier}: a linearizable read served at a {@link ReadBarrier} sent after it arrived,
 *       by the leader that committed the barrier first (it has applied it), else by any replica that
 *       has applied that far (Ratis's stale read with a minimum index). {@link ConfirmedReads} sends
 *       here what it cannot answer without a log entry.</li>
 *   <li>Stale reads go to the replicas in turn, each answering from its own applied state.</li>
 * </ul>
 *
 * <p>Why not Ratis's own retries: a Ratis client that times out an attempt reconnects to that
 * replica and waits up to 3 s for the old connection's calls to drain before it retries; during a
 * leader change (a follower still asking a dead leader for the read index) that alone used up the
 * request deadline. Why one client per replica: Ratis orders a client's requests in one window per
 * target, so requests aimed at one replica must not share a client with leader-routed writes.
 */
final class ReplicaReads {

    /** One attempt at a linearizable read: longer than a healthy read index, shorter than an election. */
    private static final Duration ATTEMPT = Duration.ofMillis(1000);
    private static final long PAUSE_BETWEEN_ROUNDS_MS = 50;

    private final Peers peers;
    private final ReadBarrier barrier;
    private final ReplicaClients clients;
    /** Where a call that follows another's answer is sent from: never the Ratis thread that answered. */
    private final Executor sender;
    private final AtomicInteger nextStale = new AtomicInteger();

    /**
     * @param clients the clients of each replica that reads use (and nothing else)
     * @param sender where the attempts after a barrier or another attempt are sent from (never a Ratis reply thread)
     */
    ReplicaReads(Peers peers, ReplicaClients clients, ReadBarrier barrier, Executor sender) {
        this.peers = peers;
        this.clients = clients;
        this.barrier = barrier;
        this.sender = sender;
    }

    /**
     * A linearizable read at a barrier committed after it arrived, from a replica that has applied it.
     * Completes with the query's encoded answer.
     */
    CompletableFuture<ByteBuffer> atABarrier(Query query, Duration deadline) {
        Message m = Message.valueOf(UnsafeByteOperations.unsafeWrap(QueryFormat.encode(query)));
        long giveUpAt = System.nanoTime() + deadline.toNanos();
        return barrier.await().thenComposeAsync(point -> {
            peers.leaderIs(point.leader());
            return attempt(peers.leaderFirst(), 0, giveUpAt,
                    (client, peer) -> client.async().sendStaleRead(m, point.index(), peer.getId()), ATTEMPT);
        }, sender).thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw new CompletionException(reply.getException());
            }
            return reply.getMessage().getContent().asReadOnlyByteBuffer();
        });
    }

    /** A read of one replica's applied state; replicas are asked in turn until one answers. */
    CompletableFuture<RaftClientReply> stale(Message m, Duration deadline) {
        List<RaftPeer> all = peers.all();
        int start = Math.floorMod(nextStale.getAndIncrement(), all.size());
        List<RaftPeer> order = new ArrayList<>(all.subList(start, all.size()));
        order.addAll(all.subList(0, start));
        Duration perReplica = Duration.ofMillis(Math.max(200, deadline.toMillis() / all.size()));
        return attempt(order, 0, System.nanoTime() + deadline.toNanos(),
                (client, peer) -> client.async().sendStaleRead(m, 0, peer.getId()), perReplica);
    }

    /** A read of one given replica's applied state (operators and tests), retried until the deadline. */
    CompletableFuture<RaftClientReply> staleFrom(RaftPeer peer, Message m, Duration deadline) {
        return attempt(List.of(peer), 0, System.nanoTime() + deadline.toNanos(),
                (client, p) -> client.async().sendStaleRead(m, 0, p.getId()), ATTEMPT);
    }

    /** Tries the replicas of {@code order} in turn from the {@code n}-th (package-private: tests play the replicas). */
    CompletableFuture<RaftClientReply> attempt(List<RaftPeer> order, int n, long giveUpAt,
            BiFunction<RaftClient, RaftPeer, CompletableFuture<RaftClientReply>> send, Duration perAttempt) {
        long left = giveUpAt - System.nanoTime();
        if (left <= 0) {
            return CompletableFuture.failedFuture(new TimeoutException("no replica answered the read in time"));
        }
        RaftPeer peer = order.get(n % order.size());
        long timeoutNanos = Math.min(perAttempt.toNanos(), left);
        RaftClient client = clients.client(peer);
        return send.apply(client, peer)
                .orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
                .handle((reply, error) -> {
                    if (error == null && answered(reply)) {
                        return CompletableFuture.completedFuture(reply);
                    }
                    if (error != null) {
                        clients.renew(peer, client);
                    }
                    if (error == null && reply.getNotLeaderException() != null
                            && reply.getNotLeaderException().getSuggestedLeader() != null) {
                        peers.leaderIs(reply.getNotLeaderException().getSuggestedLeader().getId());
                    }
                    boolean roundDone = (n + 1) % order.size() == 0;
                    return roundDone
                            ? CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                                    PAUSE_BETWEEN_ROUNDS_MS, TimeUnit.MILLISECONDS))
                                    .thenCompose(v -> attempt(order, n + 1, giveUpAt, send, perAttempt))
                            : CompletableFuture.supplyAsync(() -> attempt(order, n + 1, giveUpAt, send, perAttempt), sender)
                                    .thenCompose(Function.identity());
                })
                .thenCompose(Function.identity());
    }

    /**
     * Whether a replica's reply ends a read: an answer, or the query's own failure. Ratis also reports
     * the replica's own state as a {@link StateMachineException}: one that has not committed the
     * barrier yet (a follower behind a new leader, during a failover) with a {@code StaleReadException}
     * inside, one installing a snapshot with an {@code IOException} — both are IOExceptions, and then
     * the next replica is asked; were they answers, the read would fail with a 500.
     */
    static boolean answered(RaftClientReply reply) {
        return reply.isSuccess() || reply.getException() instanceof StateMachineException e
                && !(e.getCause() instanceof java.io.IOException);
    }
}
