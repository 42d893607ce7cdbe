package io.ordinal.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code status --json} has the shape of docs/local-cluster.md, member for member, in that order. */
class StatusCommandTest {

    @TempDir
    Path home;

    @Test
    void aClusterThatIsDownShowsEveryPodWithoutAPid() {
        Cluster cluster = new Cluster(Path.of("/checkout"), Map.of("KV_LOCAL_HOME", home.toString(),
                "KV_HTTP_PORT", "1", "KV_RAFT_BASE_PORT", "3", "KV_REPLICA_HTTP_BASE_PORT", "5"));
        cluster.setReplicaCount(2);

        assertThat(StatusCommand.status(cluster).toString()).isEqualTo("{\"pods\":["
                + "{\"name\":\"kv-store-0\",\"pid\":null,\"ready\":false,\"role\":\"UNREACHABLE\",\"http\":\"http://127.0.0.1:5\","
                + "\"raft\":\"127.0.0.1:3\",\"dataDir\":\"" + home.resolve("kv-store-0") + "\",\"log\":\"" + home.resolve("logs/kv-store-0.log") + "\"},"
                + "{\"name\":\"kv-store-1\",\"pid\":null,\"ready\":false,\"role\":\"UNREACHABLE\",\"http\":\"http://127.0.0.1:6\","
                + "\"raft\":\"127.0.0.1:4\",\"dataDir\":\"" + home.resolve("kv-store-1") + "\",\"log\":\"" + home.resolve("logs/kv-store-1.log") + "\"},"
                + "{\"name\":\"kv-frontend-0\",\"pid\":null,\"ready\":false,\"http\":\"http://127.0.0.1:1\",\"log\":\""
                + home.resolve("logs/kv-frontend-0.log") + "\"}]}");
    }

    @Test
    void aSecureClustersPodsAreHttpsUrlsAndItsFrontendIsOnTheHttpsPort() {
        Cluster cluster = new Cluster(Path.of("/checkout"), Map.of("KV_LOCAL_HOME", home.toString(),
                "KV_HTTP_PORT", "1", "KV_HTTPS_PORT", "2", "KV_RAFT_BASE_PORT", "3", "KV_REPLICA_HTTP_BASE_PORT", "5"));
        cluster.setReplicaCount(1);
        cluster.setSecure(true);

        assertThat(StatusCommand.status(cluster).get("pods")).extracting(pod -> pod.get("http").asText())
                .containsExactly("https://127.0.0.1:5", "https://127.0.0.1:2");

        cluster.setSecure(false);
        assertThat(StatusCommand.status(cluster).get("pods")).extracting(pod -> pod.get("http").asText())
                .containsExactly("http://127.0.0.1:5", "http://127.0.0.1:1");
    }
}
