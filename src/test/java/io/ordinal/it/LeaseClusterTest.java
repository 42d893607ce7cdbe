package io.ordinal.it;

import io.ordinal.command.Change;
import io.ordinal.command.Command;
import io.ordinal.command.LeaseResult;
import io.ordinal.command.Precondition;
import io.ordinal.command.LogFormat;
import io.ordinal.command.ResultFormat;
import io.ordinal.client.KvClient;
import io.ordinal.replica.ReplicaServer;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.ordinal.it.WatchClusterTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leases on three real replicas: expiry decided by the leader, applied by all only while the decision
 * holds; leases outlive their leader.
 */
class LeaseClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void anExpiredLeaseDeletesItsKeysAtTheSameRevisionOnEveryReplica() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            LeaseResult lease = client.lease(new Command.LeaseGrant(1)).join();
            long first = client.write(new Command.Put(bytes("e/a"), bytes("1"), Precondition.NONE, lease.id())).join().revision();
            client.write(new Command.Put(bytes("e/b"), bytes("1"), Precondition.NONE, lease.id())).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.get(bytes("e/a"), io.ordinal.client.Consistency.LINEARIZABLE).join() == null);
            cluster.awaitCaughtUp();
            Long deletedAt = null;
            for (int i = 0; i < 3; i++) {
                assertThat(client.getFrom(i, bytes("e/b")).join()).as("replica %d", i).isNull();
                List<Change> deletes = client.changesFrom(i, bytes("e/"), first).join().changes().stream()
                        .filter(c -> c.type() == Change.Type.DELETE).toList();
                assertThat(deletes).as("replica %d", i).hasSize(2);
                assertThat(deletes.get(0).modRevision()).isEqualTo(deletes.get(1).modRevision());
                if (deletedAt == null) {
                    deletedAt = deletes.get(0).modRevision();
                }
                assertThat(deletes.get(0).modRevision()).as("replica %d deletes at the same revision", i).isEqualTo(deletedAt);
            }
            assertThat(client.lease(new Command.LeaseKeepAlive(lease.id())).join().found()).isFalse();
        }
    }

    @Test
    void aLeaseOutlivesItsLeaderAndTheNewLeaderGivesItAFreshTtl() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            cluster.awaitVoters(3);
            KvClient client = cluster.newClient(DEADLINE);
            long ttlSeconds = 5;
            LeaseResult lease = client.lease(new Command.LeaseGrant(ttlSeconds)).join();
            client.write(new Command.Put(bytes("l/k"), bytes("1"), Precondition.NONE, lease.id())).join();
            sleep(3000); // most of the ttl passes under the first leader
            cluster.stopReplica(cluster.awaitLeader());
            cluster.awaitLeader();
            long newLeaderReady = System.nanoTime();
            // the lease survived the leader change, and the new leader counts a full ttl from its start
            assertThat(client.lease(new Command.LeaseKeepAlive(lease.id())).join().found()).isTrue();
            long keptAlive = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> client.get(bytes("l/k"), io.ordinal.client.Consistency.LINEARIZABLE).join() == null);
            long expiredAfterMs = (System.nanoTime() - keptAlive) / 1_000_000;
            assertThat(expiredAfterMs).as("expired no sooner than a ttl after the last keepalive")
                    .isGreaterThanOrEqualTo(ttlSeconds * 1000 - 300);
            assertThat((System.nanoTime() - newLeaderReady) / 1_000_000).isGreaterThan(ttlSeconds * 1000 - 300);
        }
    }

    @Test
    void theLogAppliesAnExpiryOnlyInTheTermThatDecidedItAndOnlyIfTheLeaseWasNotRenewedSince() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            // A ttl that no countdown runs out of during the test: only the expiries sent here act.
            long id = submitToLeader(cluster, new Command.LeaseGrant(600)).getLogIndex();
            client.write(new Command.Put(bytes("x/lock"), bytes("me"), Precondition.NONE, id)).join();
            long keptAlive = submitToLeader(cluster, new Command.LeaseKeepAlive(id)).getLogIndex();
            long term = cluster.division(cluster.awaitLeader()).getInfo().getCurrentTerm();

            LeaseResult counted = leaseResult(submitToLeader(cluster, new Command.LeaseExpire(id, term, id)));
            assertThat(counted.found()).as("an expiry counted from the grant, after a keepalive").isFalse();
            LeaseResult otherTerm = leaseResult(submitToLeader(cluster, new Command.LeaseExpire(id, term - 1, keptAlive)));
            assertThat(otherTerm.found()).as("an expiry decided in an earlier term").isFalse();
            assertThat(client.get(bytes("x/lock"), io.ordinal.client.Consistency.LINEARIZABLE).join()).isNotNull();

            // The decision that still holds (asked again if the leadership moved in between).
            await().atMost(DEADLINE).until(() -> {
                long now = cluster.division(cluster.awaitLeader()).getInfo().getCurrentTerm();
                return leaseResult(submitToLeader(cluster, new Command.LeaseExpire(id, now, keptAlive))).found();
            });
            assertThat(client.get(bytes("x/lock"), io.ordinal.client.Consistency.LINEARIZABLE).join()).isNull();
            assertThat(client.lease(new Command.LeaseKeepAlive(id)).join().found()).isFalse();
        }
    }

    /** Writes a command through the leader's own server, as the leader's lease expiry does, and answers the reply. */
    private static RaftClientReply submitToLeader(TestCluster cluster, Command command) {
        RaftClientReply[] reply = new RaftClientReply[1];
        await().atMost(DEADLINE).until(() -> {
            ReplicaServer leader = cluster.replica(cluster.awaitLeader());
            reply[0] = leader.submit(RaftClientRequest.newBuilder()
                    .setClientId(ClientId.randomId())
                    .setServerId(leader.id())
                    .setGroupId(cluster.topology().groupId())
                    .setCallId(1)
                    .setMessage(Message.valueOf(ByteString.copyFrom(LogFormat.encode(command))))
                    .setType(RaftClientRequest.writeRequestType())
                    .build()).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            return reply[0].isSuccess();
        });
        return reply[0];
    }

    private static LeaseResult leaseResult(RaftClientReply reply) {
        return ResultFormat.decodeLeaseResult(reply.getMessage().getContent().asReadOnlyByteBuffer());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
