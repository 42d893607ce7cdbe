package io.ordinal.replica;

import io.ordinal.config.OrdinalConfig;
import io.ordinal.storage.HistoryRetention;

/**
 * What a replica needs to start, besides the topology: its own name, and the configuration of its
 * disk and Raft tuning, of membership changes and of the history (each setting is documented, with its
 * default, in {@link OrdinalConfig} and docs/configuration.md).
 *
 * @param podName    this replica's pod name; its peer id and ordinal come from it
 * @param replica    its volume, snapshots, log segments, hand-over on stop and lease checks
 * @param raft       the election timeout
 * @param membership how often the leader follows the desired count, and how long a scaled-away replica waits
 * @param history    how much history of changes to keep for watches: proposed through the log when this
 *                   replica leads, and then kept by every replica
 */
public record ReplicaSettings(String podName, OrdinalConfig.Replica replica, OrdinalConfig.Raft raft,
                              OrdinalConfig.Membership membership, HistoryRetention history) {

    /** The settings of the replica {@code podName} from the configuration, whose rules it has passed. */
    public static ReplicaSettings of(String podName, OrdinalConfig config) {
        return new ReplicaSettings(podName, config.replica(), config.raft(), config.membership(),
                new HistoryRetention(config.watch().historyRevisions(), config.watch().historyBytes().asLongValue()));
    }
}
