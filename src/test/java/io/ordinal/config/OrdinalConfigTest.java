package io.ordinal.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad value stops the process at startup, with a message that names the property and what it must be. */
class OrdinalConfigTest {

    @Test
    void theDefaultsAreValid() {
        OrdinalConfig config = TestConfig.of(Map.of());
        assertThat(config.api().maxValueBytes()).isEqualTo(1 << 20);
        assertThat(config.replica().logSegmentSize().asLongValue()).isEqualTo(8L << 20);
        assertThat(config.role()).isEqualTo(Role.ALL_IN_ONE);
    }

    /** Each value alone, on a replica (which reads every setting), is refused naming its property. */
    @ParameterizedTest
    @CsvSource(delimiter = '=', value = {
            "ordinal.api.max-value-bytes = -1",
            "ordinal.api.max-value-bytes = 4194304", // cannot fit one Raft log entry
            "ordinal.api.txn-max-bytes = 4194304",
            "ordinal.cluster.replicas = 0",
            "ordinal.cluster.peer-host = {pod}.kv-store-peers:9870", // a port in the host
            "ordinal.cluster.peer-host = {podname}.kv-store-peers", // a placeholder misspelt
            "ordinal.cluster.raft-port = 0", // any free port: all-in-one only
            "ordinal.pod-name = kv-frontend-0",
            "ordinal.replica.snapshot-every = 0",
            "ordinal.watch.history-revisions = 0",
            "ordinal.api.request-deadline = 0s",
            "ordinal.dashboard.poll-interval = -1s",
            "ordinal.raft.election-timeout-min = 2s", // above the maximum, 1200ms
            "ordinal.management.port = 0",
            "ordinal.management.port = 65536",
    })
    void aBadValueIsRefusedNamingItsProperty(String property, String value) {
        assertThatThrownBy(() -> TestConfig.of(Map.of("ordinal.role", "replica", property, value)))
                .hasMessageContaining(property + " is ");
    }

    @Test
    void peerHostsOfKubernetesAndOfOneMachineAreAccepted() {
        assertThat(TestConfig.of(Map.of("ordinal.cluster.peer-host", "198.18.7.1{ordinal}")).cluster().peerHost())
                .isEqualTo("198.18.7.1{ordinal}");
        assertThat(TestConfig.of(Map.of("ordinal.cluster.peer-host", "127.0.0.1")).cluster().peerHost())
                .isEqualTo("127.0.0.1");
    }

    @Test
    void raftPortsBeyondTheLastPortAreRefused() {
        assertThatThrownBy(() -> TestConfig.of(Map.of("ordinal.role", "replica", "ordinal.cluster.raft-port", "65535",
                "ordinal.cluster.raft-port-stride", "1"))).hasMessageContaining("ordinal.cluster.raft-port is 65535");
    }

    @Test
    void settingsThatTheRoleDoesNotReadAreNotChecked() {
        assertThat(TestConfig.of(Map.of("ordinal.cluster.raft-port", "0")).cluster().raftPort()).isZero();
        assertThat(TestConfig.of(Map.of("ordinal.role", "frontend", "ordinal.pod-name", "kv-frontend-0")).podName())
                .isEqualTo("kv-frontend-0");
    }

    @Test
    void membershipFromAFileNeedsTheFile() {
        assertThatThrownBy(() -> TestConfig.of(Map.of("ordinal.role", "replica", "ordinal.membership.source", "file")))
                .hasMessageContaining("ordinal.membership.file");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> TestConfig.of(Map.of("ordinal.api.txn-max-ops", "0",
                "ordinal.watch.batch-bytes", "0")))
                .hasMessageContaining("ordinal.api.txn-max-ops")
                .hasMessageContaining("ordinal.watch.batch-bytes");
    }
}
