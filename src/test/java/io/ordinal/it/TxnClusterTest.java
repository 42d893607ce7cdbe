package io.ordinal.it;

import io.ordinal.command.Command;
import io.ordinal.command.Compare;
import io.ordinal.command.TxnOp;
import io.ordinal.command.TxnResult;
import io.ordinal.client.ClusterStatus;
import io.ordinal.client.KvClient;
import io.ordinal.client.NotAMemberException;
import io.ordinal.client.UnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ordinal.it.WatchClusterTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Transactions and leader transfer on three real replicas. */
class TxnClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /**
     * Each transaction creates its own key only if it is absent, else reads it: if a retry of a
     * committed transaction were applied again, its second application would find its own key and take
     * the failure branch, and the answer would say so.
     */
    @Test
    void aTransactionRetriedAcrossALeaderChangeIsAppliedOnce() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            cluster.awaitVoters(3); // a replica that started late must not be rejoining when the leader dies
            KvClient client = cluster.newClient(DEADLINE);
            List<String> selfConflicts = new ArrayList<>();
            AtomicInteger answered = new AtomicInteger();
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 120; i++) {
                    byte[] key = bytes("t/" + i);
                    try {
                        TxnResult r = client.txn(new Command.Txn(
                                List.of(new Compare(key, Compare.Target.EXISTS, Compare.Op.EQUAL, 0, null)),
                                List.of(new TxnOp.Put(key, bytes("1"), 0), new TxnOp.Put(bytes("t/also/" + i), bytes("1"), 0)),
                                List.of(new TxnOp.Get(key)))).join();
                        if (!r.succeeded()) {
                            synchronized (selfConflicts) {
                                selfConflicts.add("t/" + i);
                            }
                        }
                    } catch (CompletionException e) {
                        assertThat(e.getCause()).isInstanceOf(UnavailableException.class);
                    }
                    answered.incrementAndGet();
                }
            });
            writer.start();
            // the leader dies while transactions are under way: some answered, most still to come
            await().atMost(DEADLINE).until(() -> answered.get() >= 5);
            cluster.stopReplica(cluster.awaitLeader());
            writer.join();
            assertThat(selfConflicts).isEmpty();
        }
    }

    @Test
    void leadershipMovesToTheNamedMember() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            int leader = cluster.awaitLeader();
            String target = cluster.topology().podName((leader + 1) % 3);
            ClusterStatus status = client.transferLeadership(target).join();
            assertThat(status.leader()).isEqualTo(target);
            assertThat(cluster.awaitLeader()).isEqualTo((leader + 1) % 3);
            assertThat(client.transferLeadership(target).join().leader()).isEqualTo(target);
            assertThatThrownBy(() -> client.transferLeadership("kv-store-9").join())
                    .hasCauseInstanceOf(NotAMemberException.class);
        }
    }
}
