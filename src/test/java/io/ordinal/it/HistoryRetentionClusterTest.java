package io.ordinal.it;

import io.ordinal.command.Command;
import io.ordinal.command.Precondition;
import io.ordinal.client.KvClient;
import io.ordinal.storage.HistoryRetention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The history of changes is compacted while applying; its retention is part of the replicated state,
 * so replicas whose configurations differ (halfway through a rolling configuration change) keep the
 * same history, and a new configuration reaches every replica through the log.
 */
class HistoryRetentionClusterTest {

    private static final HistoryRetention SHORT = new HistoryRetention(5, Long.MAX_VALUE);

    @TempDir
    Path dir;

    @Test
    void replicasConfiguredWithDifferentRetentionsKeepTheSameHistory() {
        try (TestCluster cluster = TestCluster.start(3, dir);
             KvClient client = new KvClient(cluster.topology(), Duration.ofSeconds(10), Duration.ofSeconds(1))) {
            int follower = (cluster.awaitLeader() + 1) % 3;
            cluster.stopReplica(follower);
            cluster.startReplica(follower, SHORT);
            cluster.awaitLeader();
            for (int i = 0; i < 12; i++) {
                client.write(new Command.Put(bytes("k"), bytes("v" + i), Precondition.NONE)).join();
            }
            cluster.awaitCaughtUp();
            List<Long> oldest = oldestRevisions(cluster, client);
            assertThat(oldest).as("each replica's oldest revision in its history").containsOnly(oldest.get(0));
        }
    }

    @Test
    void aRollingConfigurationChangeReachesEveryReplicaThroughTheLog() {
        try (TestCluster cluster = TestCluster.start(3, dir);
             KvClient client = new KvClient(cluster.topology(), Duration.ofSeconds(10), Duration.ofSeconds(1))) {
            for (int i = 0; i < 3; i++) {
                client.write(new Command.Put(bytes("k"), bytes("before" + i), Precondition.NONE)).join();
            }
            for (int ordinal = 0; ordinal < 3; ordinal++) {
                cluster.stopReplica(ordinal);
                cluster.startReplica(ordinal, SHORT);
                cluster.awaitLeader();
                cluster.awaitCaughtUp();
            }
            // The leader proposes its configured retention once it leads; every write after it is
            // applied compacts the history to it, on every replica.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                long revision = client.write(new Command.Put(bytes("k"), bytes("after"), Precondition.NONE)).join()
                        .revision();
                cluster.awaitCaughtUp();
                assertThat(oldestRevisions(cluster, client)).containsOnly(revision - 4);
            });
        }
    }

    private static List<Long> oldestRevisions(TestCluster cluster, KvClient client) {
        List<Long> oldest = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            oldest.add(client.changesFrom(i, bytes(""), 1).join().oldestRevision());
        }
        return oldest;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
