package io.ordinal.it;

import io.ordinal.command.Change;
import io.ordinal.command.Command;
import io.ordinal.command.LeaseResult;
import io.ordinal.command.Precondition;
import io.ordinal.frontend.KvClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.ordinal.it.WatchClusterTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Leases on three real replicas: expiry decided by the leader, applied by all; leases outlive their leader. */
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
            await().atMost(Duration.ofSeconds(10)).until(() -> client.get(bytes("e/a"), io.ordinal.frontend.Consistency.LINEARIZABLE).join() == null);
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
                    .until(() -> client.get(bytes("l/k"), io.ordinal.frontend.Consistency.LINEARIZABLE).join() == null);
            long expiredAfterMs = (System.nanoTime() - keptAlive) / 1_000_000;
            assertThat(expiredAfterMs).as("expired no sooner than a ttl after the last keepalive")
                    .isGreaterThanOrEqualTo(ttlSeconds * 1000 - 300);
            assertThat((System.nanoTime() - newLeaderReady) / 1_000_000).isGreaterThan(ttlSeconds * 1000 - 300);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
