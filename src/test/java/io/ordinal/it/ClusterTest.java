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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Three real replicas in one JVM: replication, failover, catch-up, and exactly-once conditional writes. */
class ClusterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void writeThroughTheLeaderIsAppliedOnEveryReplicaWithTheSameRevision() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            WriteResult result = put(client, "a", "1");
            assertThat(result.outcome()).isEqualTo(Outcome.CREATED);

            cluster.awaitCaughtUp();
            for (int i = 0; i < 3; i++) {
                KeyValue kv = client.getFrom(i, bytes("a")).join();
                assertThat(kv).as("replica %d", i).isNotNull();
                assertThat(new String(kv.value(), StandardCharsets.UTF_8)).isEqualTo("1");
                assertThat(kv.modRevision()).isEqualTo(result.revision());
            }
        }
    }

    @Test
    void revisionsStrictlyIncreaseAcrossKeysAndDeletes() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            long last = 0;
            for (int i = 0; i < 20; i++) {
                WriteResult r = i % 3 == 2
                        ? client.write(new Command.Delete(bytes("k" + (i - 1)), Precondition.NONE)).join()
                        : put(client, "k" + i, "v");
                assertThat(r.outcome().applied()).isTrue();
                assertThat(r.revision()).isGreaterThan(last);
                last = r.revision();
            }
        }
    }

    @Test
    void leaderKilledMidWriteLosesNoAcknowledgedWriteAndAppliesNothingTwice() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            List<String> selfConflicts = new ArrayList<>();
            AtomicInteger afterKill = new AtomicInteger();
            AtomicBoolean killed = new AtomicBoolean();
            CountDownLatch warmedUp = new CountDownLatch(4 * 20);
            ExecutorService writers = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    // 150 writes each, and on until each writer has sent 20 after the kill:
                    // batched writes can be fast enough to finish before the kill takes effect.
                    int mineAfterKill = 0;
                    for (int i = 0; (i < 150 || mineAfterKill < 20) && i < 5000; i++) {
                        if (killed.get()) {
                            mineAfterKill++;
                        }
                        String key = "w" + writer + "/" + i;
                        String value = "value-" + writer + "-" + i;
                        try {
                            // Create-only: if a retry of an already committed write were applied
                            // again, it would fail its own condition and answer 412.
                            WriteResult r = client.write(new Command.Put(bytes(key), bytes(value),
                                    Precondition.ABSENT)).join();
                            if (r.outcome() == Outcome.CREATED) {
                                acknowledged.put(key, value);
                                if (killed.get()) {
                                    afterKill.incrementAndGet();
                                }
                            } else {
                                synchronized (selfConflicts) {
                                    selfConflicts.add(key + " " + r);
                                }
                            }
                        } catch (CompletionException e) {
                            assertThat(e.getCause()).isInstanceOf(UnavailableException.class);
                        }
                        warmedUp.countDown();
                    }
                    return null;
                }));
            }
            assertThat(warmedUp.await(60, TimeUnit.SECONDS)).isTrue();
            int leader = cluster.awaitLeader();
            cluster.stopReplica(leader);
            killed.set(true);
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            writers.shutdown();

            assertThat(selfConflicts).as("writes that failed their own create-only condition").isEmpty();
            assertThat(afterKill.get()).as("writes acknowledged after the leader died").isPositive();
            assertThat(acknowledged).hasSizeGreaterThan(300);
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                KeyValue kv = client.get(bytes(e.getKey()), Consistency.LINEARIZABLE).join();
                assertThat(kv).as(e.getKey()).isNotNull();
                assertThat(new String(kv.value(), StandardCharsets.UTF_8)).isEqualTo(e.getValue());
            }

            // The old leader comes back as itself and catches up.
            cluster.startReplica(leader);
            long commit = cluster.division(cluster.awaitLeader()).getRaftLog().getLastCommittedIndex();
            cluster.awaitApplied(commit);
            String someKey = acknowledged.keySet().iterator().next();
            assertThat(client.getFrom(leader, bytes(someKey)).join()).isNotNull();
        }
    }

    @Test
    void linearizableReadsDuringALeaderKillAreSlowerNotFailed() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(Duration.ofSeconds(5));
            put(client, "r", "1");
            AtomicBoolean running = new AtomicBoolean(true);
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger reads = new AtomicInteger();
            ExecutorService readers = Executors.newFixedThreadPool(3);
            List<Future<?>> done = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                done.add(readers.submit(() -> {
                    while (running.get()) {
                        try {
                            assertThat(client.get(bytes("r"), Consistency.LINEARIZABLE).join()).isNotNull();
                            reads.incrementAndGet();
                        } catch (CompletionException e) {
                            failures.add(e.getCause());
                        }
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > 50);
            cluster.stopReplica(cluster.awaitLeader());
            int before = reads.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> reads.get() > before + 50);
            running.set(false);
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            readers.shutdown();
            assertThat(failures).as("reads that failed instead of waiting for the new leader").isEmpty();
            assertThat(put(client, "w", "after").outcome()).isEqualTo(Outcome.CREATED);
        }
    }

    @Test
    void restartedFollowerCatchesUpFromTheLog() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            int follower = (cluster.awaitLeader() + 1) % 3;
            put(client, "before", "1");
            cluster.stopReplica(follower);
            WriteResult last = null;
            for (int i = 0; i < 50; i++) {
                last = put(client, "during/" + i, Integer.toString(i));
            }
            cluster.startReplica(follower);
            cluster.awaitCaughtUp();
            assertThat(client.getFrom(follower, bytes("during/49")).join().modRevision()).isEqualTo(last.revision());
            assertThat(client.getFrom(follower, bytes("before")).join()).isNotNull();
        }
    }

    @Test
    void followerWithWipedDiskCatchesUpBySnapshot() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir, 40, 5)) {
            KvClient client = cluster.newClient(DEADLINE);
            int leader = cluster.awaitLeader();
            int follower = (leader + 1) % 3;
            for (int i = 0; i < 150; i++) {
                put(client, "k/" + i, "v" + i);
            }
            cluster.stopReplica(follower);
            cluster.wipe(follower);
            WriteResult last = null;
            for (int i = 150; i < 200; i++) {
                last = put(client, "k/" + i, "v" + i);
            }
            // The leader has purged the start of its log: a wiped follower can only be rebuilt
            // from a snapshot.
            leader = cluster.awaitLeader();
            assertThat(cluster.division(leader).getRaftLog().getStartIndex()).isGreaterThan(1);

            cluster.startReplica(follower);
            cluster.awaitCaughtUp();
            for (int i = 0; i < 200; i += 7) {
                KeyValue kv = client.getFrom(follower, bytes("k/" + i)).join();
                assertThat(kv).as("k/%d on the wiped follower", i).isNotNull();
                assertThat(new String(kv.value(), StandardCharsets.UTF_8)).isEqualTo("v" + i);
            }
            try (Stream<Path> sm = Files.walk(cluster.dataDir(follower).resolve("raft"))) {
                assertThat(sm.anyMatch(p -> p.getFileName().toString().startsWith("snapshot.")))
                        .as("an installed snapshot in the follower's state machine directory").isTrue();
            }
            // And it keeps following after the install.
            WriteResult after = put(client, "after-install", "x");
            cluster.awaitCaughtUp();
            assertThat(client.getFrom(follower, bytes("after-install")).join()).isNotNull();
        }
    }

    @Test
    void concurrentIfMatchWritersOnOneRevisionHaveExactlyOneWinner() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            long base = put(client, "counter", "0").revision();
            int n = 16;
            ExecutorService pool = Executors.newFixedThreadPool(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<WriteResult>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String value = "writer-" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return client.write(new Command.Put(bytes("counter"), bytes(value),
                            Precondition.modRevisionIs(base))).join();
                }));
            }
            go.countDown();
            List<WriteResult> outcomes = new ArrayList<>();
            for (Future<WriteResult> f : results) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            pool.shutdown();

            List<WriteResult> winners = outcomes.stream().filter(r -> r.outcome() == Outcome.UPDATED).toList();
            assertThat(winners).hasSize(1);
            long winning = winners.get(0).revision();
            assertThat(outcomes).filteredOn(r -> r.outcome() == Outcome.PRECONDITION_FAILED)
                    .hasSize(n - 1)
                    .allSatisfy(r -> assertThat(r.previousRevision()).isEqualTo(winning));
            KeyValue now = client.get(bytes("counter"), Consistency.LINEARIZABLE).join();
            assertThat(now.modRevision()).isEqualTo(winning);
        }
    }

    @Test
    void everyReplicaRestartedAtOnceKeepsEveryAcknowledgedWrite() {
        try (TestCluster cluster = TestCluster.start(3, dir, 30, 5)) {
            KvClient client = cluster.newClient(DEADLINE);
            for (int i = 0; i < 100; i++) {
                put(client, "durable/" + i, "v" + i);
            }
            for (int i = 0; i < 3; i++) {
                cluster.stopReplica(i);
            }
            for (int i = 0; i < 3; i++) {
                cluster.startReplica(i);
            }
            cluster.awaitLeader();
            for (int i = 0; i < 100; i++) {
                KeyValue kv = client.get(bytes("durable/" + i), Consistency.LINEARIZABLE).join();
                assertThat(kv).as("durable/%d", i).isNotNull();
                assertThat(new String(kv.value(), StandardCharsets.UTF_8)).isEqualTo("v" + i);
            }
            // Revisions go on from where they were, never reused.
            long before = client.get(bytes("durable/99"), Consistency.LINEARIZABLE).join().modRevision();
            assertThat(put(client, "after-restart", "x").revision()).isGreaterThan(before);
        }
    }

    @Test
    void staleReadsNeverShowAValueThatWasNotWritten() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(DEADLINE);
            for (int i = 0; i < 20; i++) {
                put(client, "s", "v" + i);
                KeyValue kv = client.get(bytes("s"), Consistency.STALE).join();
                if (kv != null) {
                    String v = new String(kv.value(), StandardCharsets.UTF_8);
                    assertThat(Integer.parseInt(v.substring(1))).isBetween(0, i);
                }
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (int i = 0; i < 3; i++) {
                    assertThat(new String(client.getFrom(i, bytes("s")).join().value(), StandardCharsets.UTF_8))
                            .isEqualTo("v19");
                }
            });
        }
    }

    @Test
    void withoutAQuorumAWriteIsUnavailableWithinTheDeadlineAndTheClusterRecovers() {
        try (TestCluster cluster = TestCluster.start(3, dir)) {
            KvClient client = cluster.newClient(Duration.ofSeconds(2));
            put(client, "before", "1");
            int leader = cluster.awaitLeader();
            cluster.stopReplica((leader + 1) % 3);
            cluster.stopReplica((leader + 2) % 3);

            long start = System.nanoTime();
            assertThatThrownBy(() -> put(client, "no-quorum", "x"))
                    .hasCauseInstanceOf(UnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

            cluster.startReplica((leader + 1) % 3);
            cluster.startReplica((leader + 2) % 3);
            cluster.awaitLeader();
            // The same client (a frontend keeps one) answers again once a quorum is back: a failed
            // call must not leave it broken.
            assertThat(put(client, "after", "1").outcome()).isEqualTo(Outcome.CREATED);
            assertThat(client.get(bytes("before"), Consistency.LINEARIZABLE).join()).isNotNull();
            assertThat(put(client, "after-2", "1").outcome()).isEqualTo(Outcome.CREATED);
        }
    }

    private static WriteResult put(KvClient client, String key, String value) {
        return client.write(new Command.Put(bytes(key), bytes(value), Precondition.NONE)).join();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
