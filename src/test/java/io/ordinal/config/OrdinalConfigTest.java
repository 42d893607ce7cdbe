package io.ordinal.config;

import org.junit.jupiter.api.Test;

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

    @Test
    void aNegativeValueSizeIsRefused() {
        assertRefused(Map.of("ordinal.api.max-value-bytes", "-1"), "ordinal.api.max-value-bytes");
    }

    @Test
    void aValueThatCannotFitOneLogEntryIsRefused() {
        assertRefused(Map.of("ordinal.api.max-value-bytes", "4194304"), "ordinal.api.max-value-bytes");
        assertRefused(Map.of("ordinal.api.txn-max-bytes", "4194304"), "ordinal.api.txn-max-bytes");
    }

    @Test
    void aGroupOfNoReplicasIsRefused() {
        assertRefused(Map.of("ordinal.role", "replica", "ordinal.cluster.replicas", "0"), "ordinal.cluster.replicas");
    }

    @Test
    void aPeerHostThatIsNoHostIsRefused() {
        // A port in the host, or a placeholder misspelt, makes a peer list nobody can reach.
        assertRefused(Map.of("ordinal.cluster.peer-host", "{pod}.kv-store-peers:9870"), "ordinal.cluster.peer-host");
        assertRefused(Map.of("ordinal.cluster.peer-host", "{podname}.kv-store-peers"), "ordinal.cluster.peer-host");
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
        assertRefused(Map.of("ordinal.role", "replica", "ordinal.cluster.raft-port", "65535",
                "ordinal.cluster.raft-port-stride", "1"), "ordinal.cluster.raft-port");
    }

    @Test
    void anyFreeRaftPortIsOnlyForAllInOne() {
        assertThat(TestConfig.of(Map.of("ordinal.cluster.raft-port", "0")).cluster().raftPort()).isZero();
        assertRefused(Map.of("ordinal.role", "replica", "ordinal.cluster.raft-port", "0"), "ordinal.cluster.raft-port");
    }

    @Test
    void aReplicaWhosePodNameIsNoReplicaNameIsRefused() {
        assertRefused(Map.of("ordinal.role", "replica", "ordinal.pod-name", "kv-frontend-0"), "ordinal.pod-name");
        assertThat(TestConfig.of(Map.of("ordinal.role", "frontend", "ordinal.pod-name", "kv-frontend-0")).podName())
                .isEqualTo("kv-frontend-0");
    }

    @Test
    void anElectionTimeoutRangeUpsideDownIsRefused() {
        assertRefused(Map.of("ordinal.raft.election-timeout-min", "2s"), "ordinal.raft.election-timeout-min");
    }

    @Test
    void membershipFromAFileNeedsTheFile() {
        assertRefused(Map.of("ordinal.role", "replica", "ordinal.membership.source", "file"), "ordinal.membership.file");
    }

    @Test
    void zeroOrNegativeAmountsAreRefused() {
        assertRefused(Map.of("ordinal.replica.snapshot-every", "0"), "ordinal.replica.snapshot-every");
        assertRefused(Map.of("ordinal.watch.history-revisions", "0"), "ordinal.watch.history-revisions");
        assertRefused(Map.of("ordinal.api.request-deadline", "0s"), "ordinal.api.request-deadline");
        assertRefused(Map.of("ordinal.dashboard.poll-interval", "-1s"), "ordinal.dashboard.poll-interval");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> TestConfig.of(Map.of("ordinal.api.txn-max-ops", "0",
                "ordinal.watch.batch-bytes", "0")))
                .hasMessageContaining("ordinal.api.txn-max-ops")
                .hasMessageContaining("ordinal.watch.batch-bytes");
    }

    private static void assertRefused(Map<String, String> properties, String property) {
        assertThatThrownBy(() -> TestConfig.of(properties)).hasMessageContaining(property);
    }
}
