package io.ordinal.client;

import io.ordinal.command.LeaderReadResult;
import io.ordinal.command.Query;
import io.ordinal.command.QueryFormat;
import io.ordinal.command.ResultFormat;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Linearizable reads without a log entry: the leader answers, and a majority confirms that no newer
 * leader can have been elected before the read arrived.
 *
 * <p>A round serves every read that arrived before it was sent. In parallel, it sends
 * <ul>
 *   <li>to the last known leader: the reads, each wrapped in a {@link Query.AtLeader} (the GETs as
 *       one {@link Query.GetMany}). The replica answers only if it is the ready leader of one term
 *       {@code T} throughout its check, only once it has applied everything committed at that moment,
 *       and names {@code T} and the voting members of its configuration (a configuration that is
 *       changing makes it refuse);</li>
 *   <li>to the other replicas: {@link Query.Term}, each one's current term — to the one that confirmed
 *       last at once, to more only when their answers are needed ({@link Confirmations}).</li>
 * </ul>
 * The answers are used when the leader and enough voters whose term is at most {@code T} make a
 * majority of those voters. Why that is enough: a write acknowledged before the read arrived was
 * committed by a leader of some term; were that term above {@code T}, that leader's election needed
 * votes from a majority, each cast in that term, before the read arrived — and a majority that answered
 * later with a term of at most {@code T} (terms never decrease) shares a member with it. So the write's
 * term is at most {@code T}, the leader of {@code T} holds it committed (Raft's leader completeness;
 * "ready" means it has committed an entry of its own term), and it answered at or after its commit
 * index. No clock is trusted, and a leader that was paused or cut off is caught by the other replicas'
 * terms — the weakness of Ratis 3.3.0's own ReadIndex ({@link ReadBarrier}).
 *
 * <p>Anything else — no known leader, a replica that is not (or not yet) the leader, a configuration
 * change, too few confirmations, an error or a slow answer — sends the round's reads to the
 * {@link Fallback}: in production {@link ReplicaReads#atABarrier}, which always works while a majority
 * does, and whose answers tell the frontend who leads now.
 */
final class ConfirmedReads {

    /** Longer than a healthy round, far shorter than the request deadline (the barrier path follows). */
    private static final Duration ATTEMPT = Duration.ofMillis(500);
    private static final Message TERM = message(QueryFormat.encode(new Query.Term()));
    /** Keys per {@link Query.GetMany}. */
    static final int GETS_PER_QUERY = 256;
    /** A replica's answer to one {@link Query.GetMany} stops growing past this; the rest is asked again. */
    static final int ANSWER_BYTES = 1 << 20;

    /** A read waiting for a round: a GET (one key) or any other query, with its encoded answer. */
    record Pending(Query query, CompletableFuture<ByteBuffer> answer, long giveUpAtNanos) {
    }

    /** One call to one replica: its answer's bytes, or a failure (no answer, or not within the attempt). */
    interface Transport {
        CompletableFuture<ByteBuffer> call(RaftPeer peer, Message query);
    }

    /** The other path for a read, with the time left until its deadline ({@link ReplicaReads#atABarrier}). */
    interface Fallback {
        CompletableFuture<ByteBuffer> read(Query query, Duration left);
    }

    private final Peers peers;
    private final Transport transport;
    private final Fallback fallback;
    private final Executor sender;
    /** The replica whose term confirmed the leader last: the first one asked in the next round. */
    private final AtomicReference<RaftPeerId> confirmer = new AtomicReference<>();
    private List<Pending> waiting = new ArrayList<>();
    /** One round is on its way at a time; reads that arrive meanwhile wait for the next round. */
    private boolean roundInFlight;

    /** @param sender where a round is sent from once another completes (never a Ratis reply thread) */
    ConfirmedReads(Peers peers, Transport transport, Fallback fallback, Executor sender) {
        this.peers = peers;
        this.transport = transport;
        this.fallback = fallback;
        this.sender = sender;
    }

    /** The production transport: a stale read (no minimum index) through each replica's own client. */
    static Transport ratis(ReplicaClients clients) {
        return (peer, m) -> {
            RaftClient client = clients.client(peer);
            return client.async().sendStaleRead(m, 0, peer.getId())
                    .orTimeout(ATTEMPT.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((reply, error) -> {
                        if (error != null) {
                            clients.renew(peer, client);
                            throw new CompletionException(error);
                        }
                        if (!reply.isSuccess()) {
                            throw new CompletionException(new IOException("the replica did not answer", reply.getException()));
                        }
                        return reply.getMessage().getContent().asReadOnlyByteBuffer();
                    });
        };
    }

    /**
     * A linearizable read: a {@link Query.Get}, {@link Query.Range}, {@link Query.Status} or
     * {@link Query.LeaseInfo}. Completes with the query's encoded answer.
     */
    CompletableFuture<ByteBuffer> read(Query query, Duration deadline) {
        Pending p = new Pending(query, new CompletableFuture<>(), System.nanoTime() + deadline.toNanos());
        List<Pending> round = null;
        synchronized (this) {
            waiting.add(p);
            if (!roundInFlight) {
                round = take();
            }
        }
        if (round != null) {
            send(round);
        }
        return p.answer();
    }

    /** Takes the waiting reads as a round. Called with the lock held. */
    private List<Pending> take() {
        List<Pending> round = waiting;
        waiting = new ArrayList<>();
        roundInFlight = true;
        return round;
    }

    private void roundDone() {
        sender.execute(() -> {
            List<Pending> round = null;
            synchronized (this) {
                roundInFlight = false;
                if (!waiting.isEmpty()) {
                    round = take();
                }
            }
            if (round != null) {
                send(round);
            }
        });
    }

    /** Sends a round; whatever goes wrong on the way, its reads are answered and the round ends once. */
    private void send(List<Pending> round) {
        try {
            sendRound(round);
        } catch (RuntimeException e) { // thrown before the round's answers were awaited: none will come
            sender.execute(() -> round.forEach(this::fallBack));
            roundDone();
        }
    }

    private void sendRound(List<Pending> round) {
        RaftPeerId leaderId = peers.leader();
        List<RaftPeer> all = peers.all();
        RaftPeer leader = all.stream().filter(p -> p.getId().equals(leaderId)).findFirst().orElse(null);
        if (leader == null) {
            round.forEach(this::fallBack);
            roundDone();
            return;
        }
        List<RaftPeer> others = new ArrayList<>(all);
        others.remove(leader);
        RaftPeerId likely = confirmer.get(); // the replica that confirmed last: asked first
        others.sort(Comparator.comparing(p -> !p.getId().equals(likely)));
        Confirmations confirmations = new Confirmations(leaderId, others, this::term, confirmer, sender);

        List<Pending> gets = new ArrayList<>();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (Pending p : round) {
            if (p.query() instanceof Query.Get) {
                gets.add(p);
            } else {
                parts.add(serve(leader, confirmations, p.query(), List.of(p),
                        (answer, served) -> served.get(0).answer().complete(answer)));
            }
        }
        for (int from = 0; from < gets.size(); from += GETS_PER_QUERY) {
            List<Pending> chunk = gets.subList(from, Math.min(gets.size(), from + GETS_PER_QUERY));
            List<byte[]> keys = chunk.stream().map(p -> ((Query.Get) p.query()).key()).toList();
            parts.add(serve(leader, confirmations, new Query.GetMany(keys, ANSWER_BYTES), chunk,
                    this::answerGets));
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> roundDone());
    }

    private interface Answer {
        void accept(ByteBuffer answer, List<Pending> served);
    }

    /** Sends one query to the leader; its reads are answered when it is confirmed, else they fall back. */
    private CompletableFuture<Void> serve(RaftPeer leader, Confirmations confirmations, Query query,
            List<Pending> reads, Answer answer) {
        return call(leader, message(QueryFormat.encode(new Query.AtLeader(query))))
                .thenApply(ResultFormat::decodeLeaderReadResult)
                .thenCompose(result -> result.status() != LeaderReadResult.Status.SERVED
                        ? CompletableFuture.completedFuture((LeaderReadResult) null)
                        : confirmations.confirm(result.term(), result.voters())
                                .thenApply(confirmed -> confirmed ? result : null))
                .handle((result, error) -> {
                    if (result == null) { // refused, not confirmed or failed: from the sender, never a reply thread
                        sender.execute(() -> reads.forEach(this::fallBack));
                    } else {
                        answer.accept(result.answer(), reads);
                    }
                    return null;
                });
    }

    /** Completes each GET with its part of a {@link Query.GetMany} answer; the rest (past the byte budget) waits again. */
    private void answerGets(ByteBuffer answer, List<Pending> gets) {
        List<ByteBuffer> each;
        try {
            each = ResultFormat.decodeGetManyResult(answer);
        } catch (RuntimeException e) {
            sender.execute(() -> gets.forEach(this::fallBack));
            return;
        }
        int n = Math.min(each.size(), gets.size());
        for (int i = 0; i < n; i++) {
            gets.get(i).answer().complete(each.get(i));
        }
        if (n == gets.size()) {
            return;
        }
        List<Pending> rest = List.copyOf(gets.subList(n, gets.size()));
        sender.execute(n == 0 ? () -> rest.forEach(this::fallBack) : () -> again(rest));
    }

    /**
     * Puts reads that were not answered in their round (past the byte budget) at the head of the next
     * one: a later round is still after they arrived. Reads already answered or past their deadline
     * are dropped.
     */
    private void again(List<Pending> reads) {
        List<Pending> round = null;
        synchronized (this) {
            List<Pending> next = new ArrayList<>(reads.size() + waiting.size());
            for (Pending p : reads) {
                if (p.giveUpAtNanos() - System.nanoTime() <= 0) {
                    p.answer().completeExceptionally(new TimeoutException("no answer in time"));
                } else if (!p.answer().isDone()) {
                    next.add(p);
                }
            }
            next.addAll(waiting);
            waiting = next;
            if (!roundInFlight && !waiting.isEmpty()) {
                round = take();
            }
        }
        if (round != null) {
            send(round);
        }
    }

    private void fallBack(Pending p) {
        if (p.answer().isDone()) {
            return;
        }
        Duration left = Duration.ofNanos(Math.max(0, p.giveUpAtNanos() - System.nanoTime()));
        fallback.read(p.query(), left).whenComplete((buf, error) -> {
            if (error != null) {
                p.answer().completeExceptionally(error);
            } else {
                p.answer().complete(buf);
            }
        });
    }

    /** A replica's current term; no answer (or a failure) is the highest term, which confirms nothing. */
    private CompletableFuture<Long> term(RaftPeer peer) {
        try {
            return call(peer, TERM).thenApply(ResultFormat::decodeTermResult).exceptionally(error -> Long.MAX_VALUE);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Long.MAX_VALUE);
        }
    }

    /** One call to one replica, bounded by {@link #ATTEMPT} whatever the transport does. */
    private CompletableFuture<ByteBuffer> call(RaftPeer peer, Message m) {
        return transport.call(peer, m).orTimeout(ATTEMPT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Message message(byte[] bytes) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
    }
}
