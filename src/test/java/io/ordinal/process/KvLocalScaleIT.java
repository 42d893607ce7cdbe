package io.ordinal.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
            HttpWriters writers = new HttpWriters(cluster.endpoint(), "scale");
            writers.start(2);
            writers.awaitAcknowledged(50);

            String up = cluster.run("scale", "5");
            assertThat(up).contains("scaled to 5 replicas");
            assertThat(members(cluster)).containsExactly("kv-store-0", "kv-store-1", "kv-store-2", "kv-store-3", "kv-store-4");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(cluster.pod("kv-store-4").get("ready").asBoolean()).isTrue());
            writers.mark();
            writers.awaitAcknowledged(50);

            String down = cluster.run("scale", "3");
            assertThat(down).contains("scaled to 3 replicas");
            assertThat(members(cluster)).containsExactly("kv-store-0", "kv-store-1", "kv-store-2");
            List<String> pods = new ArrayList<>();
            cluster.pods().forEach(p -> pods.add(p.get("name").asText()));
            assertThat(pods).containsExactly("kv-store-0", "kv-store-1", "kv-store-2", "kv-frontend-0");
            assertThat(Files.exists(Path.of("target/kv-local-scale-it/kv-store-4/left-group")))
                    .as("kv-store-4 left the group before it stopped").isTrue();
            writers.mark();
            writers.awaitAcknowledged(50);
            writers.stop();

            writers.assertNoWriteAppliedTwiceOrRefused();
            writers.assertEveryAcknowledgedWriteIsReadable();
        }
    }

    private static List<String> members(KvLocal cluster) throws Exception {
        HttpResponse<String> r = HttpWriters.send(HttpRequest.newBuilder(URI.create(cluster.endpoint() + "/v1/cluster")).GET());
        assertThat(r).isNotNull();
        List<String> ids = new ArrayList<>();
        for (JsonNode m : new ObjectMapper().readTree(r.body()).get("members")) {
            assertThat(m.get("role").asText()).as(m.get("id").asText()).isIn("LEADER", "FOLLOWER");
            ids.add(m.get("id").asText());
        }
        return ids;
    }
}
