package io.ordinal.client;

import io.ordinal.cluster.Topology;
import io.ordinal.security.tls.RaftTls;
import io.ordinal.command.ChangesResult;
import io.ordinal.command.Query;
import io.ordinal.command.QueryFormat;
import io.ordinal.command.ResultFormat;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Long polls of the replicas' history of changes, for watches. Each poll goes to one replica as a
 * linearizable read-only request ({@code sendReadOnlyUnordered}): the replica confirms the read index
 * with the leader, and its state machine answers as soon as a matching change is applied, or after
 * the poll's wait with none. A replica that fails or does not answer is left for the next one (the
 * leader first, as it applies first), so a watch outlives the replica that served it.
 *
 * <p>Why unordered reads on clients of their own: a Ratis client answers its ordered requests (writes,
 * stale reads) in order, so one waiting poll would hold back every request behind it; unordered
 * requests do not wait for each other, and one client per replica carries every watch's polls.
 */
final class ChangeFeed implements Closeable {

    /** Beyond the poll's own wait: time for the read index and the answer to travel. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final long PAUSE_AFTER_A_ROUND_MS = 200;

    private final Peers peers;
    private final Duration pollWait;
    private final ReplicaClients clients;

    ChangeFeed(Topology topology, Peers peers, Duration pollWait, RaftTls tls) {
        this.peers = peers;
        this.pollWait = pollWait;
        RaftProperties properties = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
                TimeDuration.valueOf(pollWait.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS));
        this.clients = new ReplicaClients(topology, properties, tls, "ordinal-watch");
    }

    /** A replica's answer to a poll, and which replica gave it. */
    record Answer(ChangesResult result, String replica) {
    }

    Duration pollWait() {
        return pollWait;
    }

    /**
     * Polls one replica after another, from {@code preferred} (if it is known) or else the leader, until
     * one answers. Fails only after {@code giveUpAfter} without an answer.
     */
    CompletableFuture<Answer> poll(Query.Changes query, String preferred, Duration giveUpAfter) {
        List<RaftPeer> order = peers.leaderFirst();
        if (preferred != null) {
            order.sort(java.util.Comparator.comparing(p -> !p.getId().toString().equals(preferred)));
        }
        Message m = Message.valueOf(UnsafeByteOperations.unsafeWrap(QueryFormat.encode(query)));
        return attempt(order, 0, System.nanoTime() + giveUpAfter.toNanos(), m);
    }

    CompletableFuture<Answer> poll(Query.Changes query) {
        return poll(query, null, Duration.ofSeconds(30));
    }

    private CompletableFuture<Answer> attempt(List<RaftPeer> order, int n, long giveUpAt, Message m) {
        if (System.nanoTime() - giveUpAt > 0) {
            return CompletableFuture.failedFuture(new UnavailableException("no replica answered a watch's poll", null));
        }
        RaftPeer peer = order.get(n % order.size());
        RaftClient client = clients.client(peer);
        return client.async().sendReadOnlyUnordered(m, peer.getId())
                .orTimeout(pollWait.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS)
                .handle((reply, error) -> {
                    if (error == null && reply.isSuccess()) {
                        ChangesResult r = ResultFormat.decodeChangesResult(reply.getMessage().getContent().asReadOnlyByteBuffer());
                        return CompletableFuture.completedFuture(new Answer(r, peer.getId().toString()));
                    }
                    if (error == null && reply.getException() instanceof StateMachineException sme) {
                        return CompletableFuture.<Answer>failedFuture(new ReplicaFailedException(
                                "a replica failed to read its history: " + sme.getMessage(), sme));
                    }
                    if (error != null) {
                        clients.renew(peer, client);
                    }
                    boolean roundDone = (n + 1) % order.size() == 0;
                    return roundDone
                            ? CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                                    PAUSE_AFTER_A_ROUND_MS, TimeUnit.MILLISECONDS))
                                    .thenCompose(v -> attempt(order, n + 1, giveUpAt, m))
                            : attempt(order, n + 1, giveUpAt, m);
                })
                .thenCompose(f -> f);
    }

    @Override
    public void close() {
        clients.close();
    }
}
