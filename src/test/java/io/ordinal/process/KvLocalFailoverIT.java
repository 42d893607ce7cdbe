package io.ordinal.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordinal.drill.ClusterProbe;
import io.ordinal.drill.CreateOnlyWriters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.ordinal.process.WriterChecks.assertEveryAcknowledgedWriteIsReadable;
import static io.ordinal.process.WriterChecks.assertNoWriteAppliedTwiceOrRefused;
import static io.ordinal.process.WriterChecks.awaitAcknowledged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real JVMs started by {@code bin/kv-local}, killed with SIGKILL while clients write through the
 * frontend: no acknowledged write is lost, none is applied twice, and killed pods come back as
 * themselves.
 */
class KvLocalFailoverIT {

    private static KvLocal cluster;

    @BeforeAll
    static void up() {
        cluster = new KvLocal(Path.of("target/kv-local-it"));
        cluster.run("up");
    }

    @AfterAll
    static void down() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void podsStartFromTheClassDataArchiveAndReplicasFromTheKeptRocksDbLibrary() throws Exception {
        String replica = awaitLeaderName();
        List<String> replicaMaps = java.nio.file.Files.readAllLines(
                Path.of("/proc/" + cluster.pod(replica).get("pid").asLong() + "/maps"));
        List<String> frontendMaps = java.nio.file.Files.readAllLines(
                Path.of("/proc/" + cluster.pod("kv-frontend-0").get("pid").asLong() + "/maps"));

        // RocksDB's native library: the copy kept across starts, not one RocksJava unpacked afresh
        assertThat(replicaMaps.stream().filter(line -> line.contains("rocksdbjni")))
                .isNotEmpty().allMatch(line -> line.contains("/ordinal-rocksdbjni-"));
        // the application's classes: kv-local's archive, made by its training run (AppCDS)
        assertThat(replicaMaps).anyMatch(line -> line.endsWith("/kv-local-cds.jsa"));
        assertThat(frontendMaps).anyMatch(line -> line.endsWith("/kv-local-cds.jsa"));
    }

    @Test
    void sigkillOfTheLeaderWhileClientsWriteLosesNoAcknowledgedWrite() throws Exception {
        String leader = awaitLeaderName();
        long oldPid = cluster.pod(leader).get("pid").asLong();

        CreateOnlyWriters writers = new CreateOnlyWriters(URI.create(cluster.endpoint()), "leader-kill");
        writers.start(4, 0);
        awaitAcknowledged(writers, 100);
        ProcessHandle.of(oldPid).orElseThrow().destroyForcibly();
        writers.mark();
        awaitAcknowledged(writers, 100);
        writers.stop();

        assertNoWriteAppliedTwiceOrRefused(writers);
        assertEveryAcknowledgedWriteIsReadable(writers);

        // The killed pod is started again as itself: same name, new JVM, and it rejoins the group.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode pod = cluster.pod(leader);
            assertThat(pod.get("pid").asLong()).isNotEqualTo(oldPid).isPositive();
            assertThat(pod.get("ready").asBoolean()).isTrue();
            assertThat(pod.get("role").asText()).isIn("LEADER", "FOLLOWER");
        });
    }

    @Test
    void sigkillOfEveryReplicaAtOnceLosesNoAcknowledgedWrite() throws Exception {
        CreateOnlyWriters writers = new CreateOnlyWriters(URI.create(cluster.endpoint()), "all-killed");
        writers.start(2, 0);
        awaitAcknowledged(writers, 50);
        writers.stop();
        for (JsonNode pod : cluster.pods()) {
            if (pod.get("name").asText().startsWith("kv-store-")) {
                ProcessHandle.of(pod.get("pid").asLong()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        awaitLeaderName();
        assertEveryAcknowledgedWriteIsReadable(writers);
    }

    @Test
    void deletePodKillsAnyPodByNameAndItComesBackAsItself() {
        for (String name : List.of("kv-store-0", "kv-store-2", "kv-frontend-0")) {
            JsonNode before = cluster.pod(name);
            long oldPid = before.get("pid").asLong();
            String output = cluster.run("delete-pod", name);
            assertThat(output).contains("SIGKILL to pid " + oldPid);
            await("the old JVM of " + name + " is gone").atMost(Duration.ofSeconds(10))
                    .until(() -> ProcessHandle.of(oldPid).map(h -> !h.isAlive()).orElse(true));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                JsonNode pod = cluster.pod(name);
                assertThat(pod.get("pid").asLong()).isNotEqualTo(oldPid).isPositive();
                assertThat(pod.get("ready").asBoolean()).isTrue();
                assertThat(pod.get("http").asText()).isEqualTo(before.get("http").asText());
                if (before.has("dataDir")) {
                    assertThat(pod.get("dataDir").asText()).isEqualTo(before.get("dataDir").asText());
                    assertThat(pod.get("raft").asText()).isEqualTo(before.get("raft").asText());
                }
            });
        }
    }

    private static String awaitLeaderName() {
        return new ClusterProbe(Duration.ofSeconds(10)).awaitLeaderName(URI.create(cluster.endpoint()), Duration.ofSeconds(90))
                .orElseThrow(() -> new AssertionError("no leader within 90 s"));
    }
}
