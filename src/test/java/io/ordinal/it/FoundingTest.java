package io.ordinal.it;

import io.ordinal.command.Command;
import io.ordinal.command.KeyValue;
import io.ordinal.command.Precondition;
import io.ordinal.command.WriteResult;
import io.ordinal.command.WriteResult.Outcome;
import io.ordinal.client.Consistency;
import io.ordinal.client.KvClient;
import io.ordinal.client.UnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A founding ordinal whose disk is fresh founds the group only when every founding peer answers and
 * is fresh too; otherwise it must never become an empty voter, which would vote for a replica that
 * lacks acknowledged writes (a StatefulSet with {@code podManagementPolicy: Parallel} starts a pod
 * whose volume was lost while its peers are still starting).
 */
class FoundingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void freshFoundingReplicaNeverHelpsElectALeaderThatLacksAnAcknowledgedWrite() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            cluster.stopReplica(0);
            WriteResult w = put(client, "w", "acknowledged by kv-store-1 and kv-store-2");
            assertThat(w.outcome()).isEqualTo(Outcome.CREATED);
            cluster.stopReplica(1);
            cluster.stopReplica(2);
            cluster.wipe(2);

            // kv-store-2 starts on a new volume while kv-store-1 is still down, then kv-store-0 (without W)
            // comes back: any leader these two elect lacks W.
            cluster.startReplica(2);
            cluster.startReplica(0);
            await("no leader while only kv-store-0 (without W) and the wiped kv-store-2 run")
                    .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !cluster.isLeader(0) && !cluster.isLeader(2));
            KvClient impatient = cluster.newClient(Duration.ofSeconds(1));
            assertThatThrownBy(() -> impatient.get(bytes("w"), Consistency.LINEARIZABLE).join())
                    .as("a read of W without a quorum that holds it").hasCauseInstanceOf(UnavailableException.class);
            assertThatThrownBy(() -> put(impatient, "new", "x"))
                    .as("a write without a quorum that holds W").hasCauseInstanceOf(UnavailableException.class);

            // With kv-store-1 back, a quorum that holds W exists: W is there, and the wiped replica is
            // rebuilt as a new member.
            cluster.startReplica(1);
            KeyValue read = client.get(bytes("w"), Consistency.LINEARIZABLE).join();
            assertThat(read).as("W after a quorum that holds it is back").isNotNull();
            assertThat(read.modRevision()).isEqualTo(w.revision());
            assertThat(put(client, "after", "x").revision()).isGreaterThan(w.revision());
            cluster.awaitVoters(3);
            cluster.awaitCaughtUp();
            assertThat(client.getFrom(2, bytes("w")).join()).as("W on the rebuilt replica").isNotNull();
        }
    }

    @Test
    void freshClusterFoundsItselfOnceEveryFoundingPeerAnswers() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            cluster.awaitVoters(3);
            KvClient client = cluster.newClient(DEADLINE);
            assertThat(put(client, "first", "1").outcome()).isEqualTo(Outcome.CREATED);
            cluster.awaitCaughtUp();
            IntStream.range(0, 3).forEach(i ->
                    assertThat(client.getFrom(i, bytes("first")).join()).as("replica %d", i).isNotNull());
        }
    }

    @Test
    void freshReplicasDoNotFoundTheGroupWhileAFoundingPeerIsMissing() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            for (int i = 0; i < 3; i++) {
                cluster.stopReplica(i);
                cluster.wipe(i);
            }
            // A brand-new cluster, but kv-store-2 is not up yet: it might be a replica with data whose
            // peers lost their volumes, so the other two wait for it.
            cluster.startReplica(0);
            cluster.startReplica(1);
            await("no leader while kv-store-2, a founding replica, has not answered")
                    .during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !cluster.isLeader(0) && !cluster.isLeader(1));
            assertThat(cluster.replica(0).awaitingGroup()).as("why kv-store-0 is not ready").isPresent();
            assertThat(cluster.replica(0).isAlive()).as("kv-store-0 is live while it waits").isTrue();
            // A replica that is waiting has written nothing of a group: restarted, its disk is still fresh.
            cluster.stopReplica(0);
            try (Stream<Path> raft = Files.list(cluster.dataDir(0).resolve("raft"))) {
                assertThat(raft).as("kv-store-0's Raft storage while it waited").isEmpty();
            }
            cluster.startReplica(0);

            cluster.startReplica(2);
            cluster.awaitVoters(3);
            KvClient client = cluster.newClient(DEADLINE);
            assertThat(put(client, "first", "1").outcome()).isEqualTo(Outcome.CREATED);
        }
    }

    private static WriteResult put(KvClient client, String key, String value) {
        return client.write(new Command.Put(bytes(key), bytes(value), Precondition.NONE)).join();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
