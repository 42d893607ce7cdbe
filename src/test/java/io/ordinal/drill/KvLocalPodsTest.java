package io.ordinal.drill;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver reads bin/kv-local's status (here a stand-in script) as docs/local-cluster.md describes it. */
class KvLocalPodsTest {

    @TempDir
    Path dir;

    private static final String STATUS = """
            {"pods":[{"name":"kv-store-0","pid":4242,"ready":true,"role":"LEADER","http":"http://127.0.0.1:9880",
            "raft":"10.77.0.2:9870","netns":"kvl-0","dataDir":"/tmp/kvl/kv-store-0"},
            {"name":"kv-frontend-0","pid":null,"ready":false,"http":"http://127.0.0.1:8080"}]}""";

    private Path script(String body) throws IOException {
        Path script = dir.resolve("kv-local");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private KvLocalPods pods(String body) throws IOException {
        return new KvLocalPods(script(body), Map.of("KV_WHO", "the test"), Duration.ofSeconds(10), 4096);
    }

    @Test
    void statusJsonBecomesPods() throws Exception {
        Files.writeString(dir.resolve("status.json"), STATUS);
        KvLocalPods pods = pods("cat " + dir.resolve("status.json"));

        assertThat(pods.pods()).containsExactly(
                new Pod("kv-store-0", 4242, true, "LEADER", "http://127.0.0.1:9880", "10.77.0.2:9870", "kvl-0",
                        Path.of("/tmp/kvl/kv-store-0")),
                new Pod("kv-frontend-0", 0, false, "", "http://127.0.0.1:8080", "", null, null));
        Pod replica = pods.pod("kv-store-0").orElseThrow();
        assertThat(replica.isReplica()).isTrue();
        assertThat(replica.host()).isEqualTo("10.77.0.2");
        assertThat(replica.isBackFrom(4241)).isTrue();
        assertThat(replica.isBackFrom(4242)).isFalse();
        assertThat(pods.pod("kv-frontend-0").orElseThrow().isBackFrom(4242)).isFalse();
        assertThat(pods.pod("kv-store-9")).isEmpty();
    }

    @Test
    void aCheckoutsStatusIsReadInThisProcessWithoutRunningTheScript() throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("checkout/bin"));
        Files.move(script("echo 'not run' >&2; exit 1"), checkout.resolve("kv-local"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("replicas"), "1\n");
        KvLocalPods pods = KvLocalPods.checkout(checkout.getParent(), Map.of("KV_LOCAL_HOME", home.toString(),
                "KV_HTTP_PORT", "18080", "KV_RAFT_BASE_PORT", "19870", "KV_REPLICA_HTTP_BASE_PORT", "19880"), Duration.ofSeconds(10), 4096);

        assertThat(pods.pods()).containsExactly(
                new Pod("kv-store-0", 0, false, "UNREACHABLE", "http://127.0.0.1:19880", "127.0.0.1:19870", null,
                        home.resolve("kv-store-0")),
                new Pod("kv-frontend-0", 0, false, "", "http://127.0.0.1:18080", "", null, null));
        assertThat(pods.deletePod("kv-store-0").output()).isEqualTo("not run");
    }

    @Test
    void commandsGetTheirArgumentsAndTheClustersSettings() throws Exception {
        KvLocalPods pods = pods("echo \"$KV_WHO: $@\"");
        assertThat(pods.deletePod("kv-store-1").output()).isEqualTo("the test: delete-pod kv-store-1");
        assertThat(pods.pausePod("kv-store-2", 8).output()).isEqualTo("the test: pause-pod kv-store-2 8");
    }

    @Test
    void aFailingOrSlowCommandSaysSo() throws Exception {
        HostCommand.Result failed = pods("echo 'kv-local: no such pod' >&2; exit 3").deletePod("x");
        assertThat(failed.exit()).isEqualTo(3);
        assertThat(failed.output()).isEqualTo("kv-local: no such pod");
        assertThatThrownBy(() -> pods("exit 1").pods()).isInstanceOf(IllegalStateException.class).hasMessageContaining("status --json");

        KvLocalPods slow = new KvLocalPods(script("sleep 5"), Map.of(), Duration.ofMillis(200), 4096);
        assertThat(slow.deletePod("x").exit()).isEqualTo(HostCommand.TIMED_OUT);
    }
}
