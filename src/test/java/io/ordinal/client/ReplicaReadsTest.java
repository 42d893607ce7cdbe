package io.ordinal.client;

import io.ordinal.cluster.Topology;
import io.ordinal.security.tls.RaftTls;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.StaleReadException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which replica's reply ends a read at a barrier, with the replicas played by the test: a replica that
 * has not committed the barrier yet (during a failover: a follower behind the new leader) answers
 * with Ratis's {@link StaleReadException}, which Ratis wraps in a {@link StateMachineException} — that
 * is the replica's state, not the query's failure, so the next replica is asked.
 */
class ReplicaReadsTest {

    private static final Topology TOPOLOGY = new Topology("kv", "kv-store", 3, "127.0.0.1", "default", 9870, 1);
    private static final Message QUERY = Message.valueOf("q");

    private final ExecutorService sender = Executors.newSingleThreadExecutor();
    private final Peers peers = new Peers(TOPOLOGY);
    private final ReplicaClients clients = new ReplicaClients(TOPOLOGY, new RaftProperties(), RaftTls.plain(), "test-read");
    private final ReplicaReads reads = new ReplicaReads(peers, clients, null, sender);

    @AfterEach
    void stop() {
        clients.close();
        sender.shutdownNow();
    }

    @Test
    void aReplicaBehindTheBarrierIsNotAnAnswerTheNextReplicaIs() {
        List<RaftPeer> order = peers.all();
        CompletableFuture<RaftClientReply> read = reads.attempt(order, 0, deadlineIn(Duration.ofSeconds(5)),
                (client, peer) -> CompletableFuture.completedFuture(peer.equals(order.get(0))
                        ? failed(peer, new StateMachineException(member(peer), new StaleReadException("commit index 7 < min 9")))
                        : answered(peer)),
                Duration.ofSeconds(1));

        RaftClientReply reply = read.join();
        assertThat(reply.isSuccess()).as("%s", reply).isTrue();
        assertThat(reply.getServerId()).isEqualTo(order.get(1).getId());
    }

    @Test
    void noReplicaAtTheBarrierBeforeTheDeadlineIsATimeoutNotAnAnswer() {
        CompletableFuture<RaftClientReply> read = reads.attempt(peers.all(), 0, deadlineIn(Duration.ofMillis(300)),
                (client, peer) -> CompletableFuture.completedFuture(
                        failed(peer, new StateMachineException(member(peer), new StaleReadException("behind")))),
                Duration.ofSeconds(1));

        assertThat(read).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void aQuerysOwnFailureIsTheAnswer() {
        List<RaftPeer> order = peers.all();
        CompletableFuture<RaftClientReply> read = reads.attempt(order, 0, deadlineIn(Duration.ofSeconds(5)),
                (client, peer) -> CompletableFuture.completedFuture(
                        failed(peer, new StateMachineException(member(peer), new IllegalArgumentException("not a query")))),
                Duration.ofSeconds(1));

        RaftClientReply reply = read.join();
        assertThat(reply.getServerId()).isEqualTo(order.get(0).getId());
        assertThat(reply.getException()).isInstanceOf(StateMachineException.class);
    }

    private static long deadlineIn(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    private static RaftGroupMemberId member(RaftPeer peer) {
        return RaftGroupMemberId.valueOf(peer.getId(), TOPOLOGY.groupId());
    }

    private static RaftClientReply answered(RaftPeer peer) {
        return RaftClientReply.newBuilder().setClientId(ClientId.randomId()).setServerId(member(peer))
                .setSuccess().setMessage(Message.valueOf("answer")).build();
    }

    private static RaftClientReply failed(RaftPeer peer, StateMachineException e) {
        return RaftClientReply.newBuilder().setClientId(ClientId.randomId()).setServerId(member(peer))
                .setException(e).build();
    }
}
