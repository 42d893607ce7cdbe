package io.ordinal.replica;

import io.ordinal.config.TestConfig;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Raft settings every replica runs with that safety depends on. */
class ReplicaPropertiesTest {

    private static RaftProperties properties() {
        ReplicaSettings settings = ReplicaSettings.of("kv-store-0", TestConfig.of(Map.of(
                "ordinal.replica.snapshot-every", "10000", "ordinal.replica.purge-gap", "1000")));
        return ReplicaServer.properties(Path.of("target/unused/raft"), 0, settings);
    }

    @Test
    void followersAppendOneLeaderRequestAfterAnother() {
        // Composed appends let a follower acknowledge entries it later truncated (see ReplicaServer).
        assertThat(RaftServerConfigKeys.Log.appendEntriesComposeEnabled(properties())).isFalse();
    }

    @Test
    void readsAreLinearizableWithoutTrustingClocks() {
        RaftProperties p = properties();
        assertThat(RaftServerConfigKeys.Read.option(p)).isEqualTo(RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        assertThat(RaftServerConfigKeys.Read.leaderLeaseEnabled(p)).isFalse();
    }

    @Test
    void theLeaderTriesAFollowerThatCameBackWithinATenthOfASecond() {
        // "wait,count" pairs: after the first ten quick retries, every 100 ms for 30 s.
        String policy = RaftServerConfigKeys.Log.Appender.retryPolicy(properties());
        assertThat(policy.replace(" ", "")).startsWith("1ms,10,100ms,300,");
    }

    @Test
    void aPurgeKeepsOneSnapshotIntervalOfEntriesForFollowersThatJustInstalledOne() {
        assertThat(RaftServerConfigKeys.Log.purgePreservationLogNum(properties())).isEqualTo(10_000);
    }
}
