package io.ordinal.it;

import io.ordinal.command.Change;
import io.ordinal.command.Command;
import io.ordinal.command.Precondition;
import io.ordinal.command.TxnOp;
import io.ordinal.command.WriteResult;
import io.ordinal.client.KvClient;
import io.ordinal.client.Watcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Watches on three real replicas: no change lost or repeated when the replica serving a watch dies. */
class WatchClusterTest {

    @TempDir
    Path dir;

    @Test
    void everyChangeIsSeenOnceInRevisionOrderAcrossKillingTheReplicaThatServedIt() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir);
             KvClient client = new KvClient(cluster.topology(), Duration.ofSeconds(10), Duration.ofSeconds(1))) {
            cluster.awaitVoters(3);
            List<Long> acknowledged = new ArrayList<>();
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 60; i++) {
                    try {
                        WriteResult r = client.write(new Command.Put(bytes("w/" + i), bytes("v" + i), Precondition.NONE)).join();
                        synchronized (acknowledged) {
                            acknowledged.add(r.revision());
                        }
                    } catch (CompletionException e) {
                        // a write whose outcome is unknown: the history says whether it happened
                    }
                    sleep(40); // the writer's pace, so that the leader dies amid the writes: the scenario
                }
            });
            Watcher watcher = client.watch(bytes("w/"), true, 1, 1 << 20);
            writer.start();

            List<Change> seen = new ArrayList<>();
            String killed = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (writer.isAlive() || seen.size() < acknowledgedCount(acknowledged)) {
                assertThat(System.nanoTime()).as("all changes seen within 60 s").isLessThan(until);
                seen.addAll(watcher.next().get(30, TimeUnit.SECONDS).changes());
                if (killed == null && seen.size() >= 15) {
                    killed = watcher.replica();
                    cluster.stopReplica(cluster.topology().ordinalOf(killed));
                }
            }
            writer.join();
            assertThat(killed).isNotNull();
            assertThat(watcher.replica()).as("the watch moved to another replica").isNotEqualTo(killed);

            List<Long> revisions = seen.stream().map(Change::modRevision).toList();
            assertThat(revisions).as("strictly increasing: no duplicate, in order").isSorted().doesNotHaveDuplicates();
            assertThat(revisions).containsAll(acknowledged);
            // and nothing but what the history holds: a new watch from the start sees the same changes
            Watcher again = client.watch(bytes("w/"), true, 1, 1 << 20);
            List<Long> replay = new ArrayList<>();
            while (replay.size() < revisions.size()) {
                List<Change> batch = again.next().get(30, TimeUnit.SECONDS).changes();
                if (batch.isEmpty()) {
                    break;
                }
                batch.forEach(c -> replay.add(c.modRevision()));
            }
            assertThat(replay).isEqualTo(revisions);
        }
    }

    @Test
    void aWatchBehindTheHistoryIsToldItWasCompactedAndEveryReplicaKeepsTheSameHistory() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, dir, 100_000, 1024, new io.ordinal.storage.HistoryRetention(5, Long.MAX_VALUE));
             KvClient client = new KvClient(cluster.topology(), Duration.ofSeconds(10), Duration.ofSeconds(1))) {
            for (int i = 0; i < 12; i++) {
                client.write(new Command.Put(bytes("k"), bytes("v" + i), Precondition.NONE)).join();
            }
            cluster.awaitCaughtUp();
            Watcher watcher = client.watch(bytes("k"), false, 1, 1 << 20);
            Watcher.Batch batch = watcher.next().get(30, TimeUnit.SECONDS);
            assertThat(batch.compacted()).isTrue();
            assertThat(batch.oldestRevision()).isEqualTo(8);
            for (int i = 0; i < 3; i++) {
                var history = client.changesFrom(i, bytes(""), 8).join();
                assertThat(history.oldestRevision()).as("replica %d", i).isEqualTo(8);
                assertThat(history.changes()).extracting(Change::modRevision).containsExactly(8L, 9L, 10L, 11L, 12L);
            }
        }
    }

    @Test
    void aWatchResumedInsideARevisionGoesOnWithTheRestOfItAndEveryChangeSaysWhereItLeavesTheStream() throws Exception {
        try (TestCluster cluster = TestCluster.start(1, dir);
             KvClient client = new KvClient(cluster.topology(), Duration.ofSeconds(10), Duration.ofSeconds(1))) {
            List<TxnOp> puts = List.of(put("t/1"), put("other"), put("t/2"), put("t/3"));
            long r = client.txn(new Command.Txn(List.of(), puts, List.of())).join().revision();

            // a one-byte batch: every poll stops after one matching change, inside the revision
            Watcher watcher = client.watch(bytes("t/"), true, r, 1);
            List<Watcher.Watched> seen = new ArrayList<>();
            while (seen.size() < 3) {
                seen.addAll(watcher.next().get(30, TimeUnit.SECONDS).watched());
            }
            assertThat(seen).extracting(WatchClusterTest::key, Watcher.Watched::after)
                    .containsExactly(tuple("t/1", new Watcher.Position(r, 1)), tuple("t/2", new Watcher.Position(r, 2)),
                            tuple("t/3", Watcher.Position.at(r + 1)));

            for (int after = 1; after <= 2; after++) {
                Watcher resumed = client.watch(bytes("t/"), true, new Watcher.Position(r, after), 1 << 20);
                assertThat(resumed.next().get(30, TimeUnit.SECONDS).watched()).as("resumed after %d", after)
                        .extracting(WatchClusterTest::key, Watcher.Watched::after)
                        .containsExactlyElementsOf(seen.subList(after, 3).stream().map(w -> tuple(key(w), w.after())).toList());
            }
        }
    }

    private static String key(Watcher.Watched watched) {
        return new String(watched.change().key(), StandardCharsets.UTF_8);
    }

    private static TxnOp put(String key) {
        return new TxnOp.Put(bytes(key), bytes("v"), 0);
    }

    private static int acknowledgedCount(List<Long> acknowledged) {
        synchronized (acknowledged) {
            return acknowledged.size();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
