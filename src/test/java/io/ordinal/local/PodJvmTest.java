package io.ordinal.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A pod's identity — peer id, ports, data directory — comes from its ordinal name and the cluster's settings alone. */
class PodJvmTest {

    @TempDir
    Path home;

    private Cluster cluster(Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("KV_LOCAL_HOME", home.toString(), "KV_HTTP_PORT", "18080",
                "KV_RAFT_BASE_PORT", "19870", "KV_REPLICA_HTTP_BASE_PORT", "19880", "KV_CDS", "0"));
        env.putAll(more);
        return new Cluster(Path.of("/checkout"), env);
    }

    @Test
    void aReplicaIsItsOrdinalsPortsDataDirectoryAndPeerId() {
        Cluster cluster = cluster(Map.of());
        List<String> cmd = new PodJvm(cluster).command(Pod.replica(2));

        assertThat(cmd).containsSubsequence("java", "-Xmx192m", "-XX:+UseSerialGC",
                "-Dkv.local.pod=kv-store-2", "-Dkv.local.home=" + home, "-Dordinal.pod-name=kv-store-2");
        assertThat(cmd).contains("-Dordinal.cluster.replicas=3", "-Dordinal.cluster.peer-host=127.0.0.1",
                "-Dordinal.cluster.raft-port=19870", "-Dordinal.cluster.raft-port-stride=1",
                "-Dordinal.membership.source=file", "-Dordinal.membership.file=" + home.resolve("replicas"),
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=19882", "-Dordinal.role=replica",
                "-Dordinal.replica.data-dir=" + home.resolve("kv-store-2"));
        assertThat(cmd.subList(cmd.size() - 2, cmd.size())).containsExactly("-jar", "/checkout/target/quarkus-app/quarkus-run.jar");
        assertThat(cluster.raftPort(Pod.replica(2))).isEqualTo(19872);
        assertThat(String.join(" ", cmd)).hasSizeLessThan(4096);
    }

    @Test
    void onlyTheFirstFrontendRunsTheDrills() {
        Cluster cluster = cluster(Map.of("KV_FRONTENDS", "2"));
        List<String> first = new PodJvm(cluster).command(Pod.frontend(0));
        List<String> second = new PodJvm(cluster).command(Pod.frontend(1));

        assertThat(first).contains("-Xmx256m", "-Dordinal.role=frontend", "-Dquarkus.http.port=18080",
                "-Dordinal.dashboard.drills.kv-local=/checkout/bin/kv-local");
        assertThat(second).contains("-Dordinal.role=frontend", "-Dquarkus.http.port=18081")
                .noneMatch(arg -> arg.startsWith("-Dordinal.dashboard.drills"));
        assertThat(cluster.pods()).extracting(Pod::name)
                .containsExactly("kv-store-0", "kv-store-1", "kv-store-2", "kv-frontend-0", "kv-frontend-1");
    }

    @Test
    void inItsNetworkNamespaceAReplicaListensOnItsOwnAddress() {
        Cluster cluster = cluster(Map.of("KV_JAVA_OPTS", "-Xmx100m"));
        cluster.setNetns(7);
        List<String> cmd = new PodJvm(cluster).command(Pod.replica(1));

        assertThat(cmd.subList(0, 3)).containsExactly("nsenter", "--net=/run/netns/kvl7-kv-store-1", "java");
        assertThat(cmd).contains("-Xmx100m", "-Dordinal.cluster.peer-host=198.18.7.1{ordinal}", "-Dquarkus.http.host=198.18.7.11")
                .doesNotContain("-Xmx192m");
        assertThat(new PodJvm(cluster).command(Pod.frontend(0))).contains("-Dquarkus.http.host=127.0.0.1").doesNotContain("nsenter");
    }

    @Test
    void aSecureClustersPodsServeOnlyHttpsWithTheirOwnCertificateAndKnowTheRootToken() {
        Cluster cluster = cluster(Map.of("KV_HTTPS_PORT", "18443"));
        assertThat(new PodJvm(cluster).command(Pod.frontend(0))).noneMatch(arg -> arg.contains("security"));

        cluster.setSecure(true);
        List<String> frontend = new PodJvm(cluster).command(Pod.frontend(0));
        List<String> replica = new PodJvm(cluster).command(Pod.replica(1));

        assertThat(frontend).contains("-Dordinal.security.enabled=true",
                "-Dordinal.security.tls.dir=" + home.resolve("tls/kv-frontend-0"),
                "-Dordinal.security.root-token-file=" + home.resolve("root-token"),
                "-Dquarkus.http.ssl-port=18443", "-Dquarkus.http.insecure-requests=disabled");
        assertThat(replica).contains("-Dordinal.security.enabled=true", "-Dordinal.security.tls.dir=" + home.resolve("tls/kv-store-1"),
                "-Dquarkus.http.ssl-port=19881", "-Dquarkus.http.insecure-requests=disabled");
        assertThat(String.join(" ", frontend)).hasSizeLessThan(4096);
        assertThat(cluster.identity()).containsEntry("KV_HTTPS_PORT", "18443");
    }
}
