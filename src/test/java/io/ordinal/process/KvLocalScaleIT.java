package io.ordinal.process;

import io.ordinal.drill.ClusterProbe;
import io.ordinal.drill.CreateOnlyWriters;
import io.ordinal.drill.GroupView;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.ordinal.process.WriterChecks.assertEveryAcknowledgedWriteIsReadable;
import static io.ordinal.process.WriterChecks.assertNoWriteAppliedTwiceOrRefused;
import static io.ordinal.process.WriterChecks.awaitAcknowledged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bin/kv-local scale} under a running write load: 3 → 5 → 3 changes the Raft membership both
 * ways, the scaled-away replicas leave the group before they stop, and nothing acknowledged is lost.
 */
class KvLocalScaleIT {

    @Test
    void scalingThreeToFiveToThreeUnderLoadMovesMembershipBothWaysAndLosesNothing() throws Exception {
        try (KvLocal cluster = new KvLocal(Path.of("target/kv-local-scale-it"))) {
            cluster.run("up");
            CreateOnlyWriters writers = new CreateOnlyWriters(URI.create(cluster.endpoint()), "scale");
            writers.start(2, 0);
            awaitAcknowledged(writers, 50);

            String up = cluster.run("scale", "5");
            assertThat(up).contains("scaled to 5 replicas");
            assertThat(members(cluster)).containsExactly("kv-store-0", "kv-store-1", "kv-store-2", "kv-store-3", "kv-store-4");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(cluster.pod("kv-store-4").get("ready").asBoolean()).isTrue());
            writers.mark();
            awaitAcknowledged(writers, 50);

            String down = cluster.run("scale", "3");
            assertThat(down).contains("scaled to 3 replicas");
            assertThat(members(cluster)).containsExactly("kv-store-0", "kv-store-1", "kv-store-2");
            List<String> pods = new ArrayList<>();
            cluster.pods().forEach(p -> pods.add(p.get("name").asText()));
            assertThat(pods).containsExactly("kv-store-0", "kv-store-1", "kv-store-2", "kv-frontend-0");
            assertThat(Files.exists(Path.of("target/kv-local-scale-it/kv-store-4/left-group")))
                    .as("kv-store-4 left the group before it stopped").isTrue();
            writers.mark();
            awaitAcknowledged(writers, 50);
            writers.stop();

            assertNoWriteAppliedTwiceOrRefused(writers);
            assertEveryAcknowledgedWriteIsReadable(writers);
        }
    }

    private static List<String> members(KvLocal cluster) {
        Optional<GroupView> group = new ClusterProbe(Duration.ofSeconds(10)).group(URI.create(cluster.endpoint()));
        assertThat(group).isPresent();
        List<String> ids = new ArrayList<>();
        for (GroupView.Member m : group.get().members()) {
            assertThat(m.role()).as(m.id()).isIn("LEADER", "FOLLOWER");
            ids.add(m.id());
        }
        return ids;
    }
}
