package io.ordinal.replica;

import io.ordinal.config.OrdinalConfig;
import io.ordinal.storage.HistoryRetention;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a replica needs to start, besides the topology: its own name, and what the configuration says
 * about its disk, Raft tuning, membership and history (each setting is documented, with its default,
 * in {@link OrdinalConfig} and docs/configuration.md).
 *
 * @param podName this replica's pod name; its peer id and ordinal come from it
 * @param config  the configuration, whose rules it has already passed
 */
public record ReplicaSettings(String podName, OrdinalConfig config) {

    /** The replica's volume: {@code raft/} (log, snapshots) and {@code db/} (RocksDB). */
    public Path dataDir() {
        return config.replica().dataDir();
    }

    /** Take a snapshot every this many log entries. */
    public long snapshotEvery() {
        return config.replica().snapshotEvery();
    }

    /** Purge the log behind a snapshot only in steps of this many entries. */
    public int purgeGap() {
        return config.replica().purgeGap();
    }

    /** Size of a Raft log segment file; only whole closed segments are purged. */
    public long logSegmentBytes() {
        return config.replica().logSegmentSize().asLongValue();
    }

    /** Whether a stopping leader hands leadership to another voter first. */
    public boolean handOverOnStop() {
        return config.replica().transferLeadershipOnStop();
    }

    /** How often the leader looks for expired leases. */
    public Duration leaseCheckInterval() {
        return config.replica().leaseCheckInterval();
    }

    public Duration electionTimeoutMin() {
        return config.raft().electionTimeoutMin();
    }

    public Duration electionTimeoutMax() {
        return config.raft().electionTimeoutMax();
    }

    /** How often the leader compares the group with the desired replica count. */
    public Duration membershipInterval() {
        return config.membership().interval();
    }

    /** How long a scaled-away replica waits, when stopping, to be removed. */
    public Duration leaveTimeout() {
        return config.membership().leaveTimeout();
    }

    /**
     * How much history of changes to keep for watches: proposed through the log when this replica
     * leads, and then kept by every replica.
     */
    public HistoryRetention history() {
        return new HistoryRetention(config.watch().historyRevisions(), config.watch().historyBytes().asLongValue());
    }
}
