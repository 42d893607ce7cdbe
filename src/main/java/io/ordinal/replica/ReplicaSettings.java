package io.ordinal.replica;

import io.ordinal.storage.HistoryRetention;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a replica needs to start, besides the topology: its own name and disk, and Raft tuning.
 *
 * @param podName            this replica's pod name; its peer id and ordinal come from it
 * @param dataDir            the replica's volume: {@code raft/} (log, snapshots) and {@code db/} (RocksDB)
 * @param snapshotEvery      take a snapshot every this many log entries
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound of the randomized election timeout
 * @param purgeGap           purge the log behind a snapshot only in steps of this many entries
 * @param logSegmentBytes    size of a Raft log segment file; only whole closed segments are purged
 * @param membershipInterval how often the leader compares the group with the desired replica count
 * @param leaveTimeout       how long a scaled-away replica waits, when stopping, to be removed
 * @param handOverOnStop     whether a stopping leader hands leadership to another voter first
 * @param history            how much history of changes to keep for watches: proposed through the log when
 *                           this replica leads, and then kept by every replica
 * @param leaseCheckInterval how often the leader looks for expired leases
 */
public record ReplicaSettings(String podName, Path dataDir, long snapshotEvery,
                              Duration electionTimeoutMin, Duration electionTimeoutMax, int purgeGap,
                              long logSegmentBytes, Duration membershipInterval, Duration leaveTimeout,
                              boolean handOverOnStop, HistoryRetention history, Duration leaseCheckInterval) {

    /** With the default history retention and lease check interval. */
    public ReplicaSettings(String podName, Path dataDir, long snapshotEvery,
                           Duration electionTimeoutMin, Duration electionTimeoutMax, int purgeGap,
                           long logSegmentBytes, Duration membershipInterval, Duration leaveTimeout,
                           boolean handOverOnStop) {
        this(podName, dataDir, snapshotEvery, electionTimeoutMin, electionTimeoutMax, purgeGap, logSegmentBytes,
                membershipInterval, leaveTimeout, handOverOnStop, HistoryRetention.DEFAULT, Duration.ofMillis(200));
    }
}
