package io.ordinal.it;

import io.ordinal.command.Command;
import io.ordinal.command.KeyValue;
import io.ordinal.command.Precondition;
import io.ordinal.command.WriteResult;
import io.ordinal.command.WriteResult.Outcome;
import io.ordinal.client.ClusterStatus;
import io.ordinal.client.Consistency;
import io.ordinal.client.KvClient;
import io.ordinal.client.UnavailableException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scaling the StatefulSet is a Raft membership change: new ordinals join as listeners, catch up and
 * become voters; ordinals scaled away are removed before they stop — under a running write load,
 * with nothing acknowledged lost and nothing applied twice.
 */
class ScalingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void scalingThreeToFiveToThreeAndBackUnderLoadLosesNoAcknowledgedWrite() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir, 200, 50)) {
            KvClient client = cluster.newClient(DEADLINE);
            try (Writers writers = new Writers(client)) {
                writers.awaitAcknowledged(100);

                cluster.scaleTo(5);
                cluster.awaitVoters(5);
                writers.awaitAcknowledgedSinceLastCheck(50);
                assertReplicaHasCaughtUp(cluster, client, 3);
                assertReplicaHasCaughtUp(cluster, client, 4);
                assertThat(client.cluster().join().members()).extracting(ClusterStatus.Member::id)
                        .containsExactly("kv-store-0", "kv-store-1", "kv-store-2", "kv-store-3", "kv-store-4");

                cluster.scaleTo(3);
                cluster.awaitVoters(3);
                writers.awaitAcknowledgedSinceLastCheck(50);
                for (int ordinal : new int[] {3, 4}) {
                    assertThat(cluster.isRunning(ordinal)).isFalse();
                    assertThat(Files.exists(cluster.dataDir(ordinal).resolve("left-group")))
                            .as("kv-store-%d's volume is marked as having left", ordinal).isTrue();
                    assertThat(Files.exists(cluster.dataDir(ordinal).resolve("raft")))
                            .as("kv-store-%d's Raft storage is cleared", ordinal).isFalse();
                }

                // The same ordinals come back (their claims were kept) and join again from scratch.
                cluster.scaleTo(5);
                cluster.awaitVoters(5);
                writers.awaitAcknowledgedSinceLastCheck(50);
                assertReplicaHasCaughtUp(cluster, client, 4);
                writers.stop();
                writers.assertNothingLostOrAppliedTwice(client);
            }
        }
    }

    @Test
    void aLeaderThatIsScaledAwayHandsOverLeadershipAndLeaves() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            cluster.scaleTo(4);
            cluster.awaitVoters(4);
            WriteResult before = put(client, "before", "1");
            try (RaftClient admin = RaftClient.newBuilder().setRaftGroup(cluster.division(cluster.awaitLeader()).getGroup())
                    .setProperties(new RaftProperties()).build()) {
                admin.admin().transferLeadership(cluster.topology().peer(3).getId(), 5000);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.awaitLeader() == 3);

            cluster.scaleTo(3);
            cluster.awaitVoters(3);
            assertThat(cluster.awaitLeader()).isLessThan(3);
            assertThat(client.get(bytes("before"), Consistency.LINEARIZABLE).join().modRevision())
                    .isEqualTo(before.revision());
            assertThat(put(client, "after", "2").outcome()).isEqualTo(Outcome.CREATED);
        }
    }

    @Test
    void aRestartedReplicaIsNotAScaleDown() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            put(client, "k", "v");
            int follower = (cluster.awaitLeader() + 1) % 3;
            cluster.stopReplicaGracefully(follower);
            assertThat(Files.exists(cluster.dataDir(follower).resolve("left-group"))).isFalse();
            cluster.startReplica(follower);
            cluster.awaitVoters(3);
            WriteResult w = put(client, "k2", "v2");
            cluster.awaitCaughtUp();
            assertThat(client.getFrom(follower, bytes("k")).join()).isNotNull();
        }
    }

    private static void assertReplicaHasCaughtUp(TestCluster cluster, KvClient client, int ordinal) {
        String marker = "marker/" + ordinal + "/" + System.nanoTime();
        WriteResult written = put(client, marker, "m");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            KeyValue kv = client.getFrom(ordinal, bytes(marker)).exceptionally(e -> null).join();
            assertThat(kv).as("%s on kv-store-%d", marker, ordinal).isNotNull();
            assertThat(kv.modRevision()).isEqualTo(written.revision());
        });
    }

    private static WriteResult put(KvClient client, String key, String value) {
        return client.write(new Command.Put(bytes(key), bytes(value), Precondition.NONE)).join();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Two clients writing unique keys, create-only, remembering what was acknowledged. */
    private static final class Writers implements AutoCloseable {
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final List<String> selfConflicts = new ArrayList<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger count = new AtomicInteger();
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        final List<Future<?>> done = new ArrayList<>();
        int lastCheck;

        Writers(KvClient client) {
            for (int w = 0; w < 2; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        String key = "w" + writer + "/" + i;
                        try {
                            WriteResult r = client.write(new Command.Put(bytes(key), bytes(key), Precondition.ABSENT)).join();
                            if (r.outcome() == Outcome.CREATED) {
                                acknowledged.put(key, key);
                                count.incrementAndGet();
                            } else {
                                synchronized (selfConflicts) {
                                    selfConflicts.add(key + " " + r);
                                }
                            }
                        } catch (CompletionException e) {
                            assertThat(e.getCause()).isInstanceOf(UnavailableException.class);
                        }
                    }
                    return null;
                }));
            }
        }

        void awaitAcknowledged(int n) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count.get() >= n);
            lastCheck = count.get();
        }

        void awaitAcknowledgedSinceLastCheck(int n) {
            awaitAcknowledged(lastCheck + n);
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        void assertNothingLostOrAppliedTwice(KvClient client) {
            assertThat(selfConflicts).as("create-only writes that answered 412 for their own success").isEmpty();
            assertThat(acknowledged).hasSizeGreaterThan(200);
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                KeyValue kv = client.get(bytes(e.getKey()), Consistency.LINEARIZABLE).join();
                assertThat(kv).as(e.getKey()).isNotNull();
                assertThat(new String(kv.value(), StandardCharsets.UTF_8)).isEqualTo(e.getValue());
            }
        }

        @Override
        public void close() {
            running.set(false);
            pool.shutdownNow();
        }
    }
}
