package io.ordinal.dashboard;

import io.ordinal.replica.ReplicaReport;

import java.util.List;

/**
 * The cluster at one moment, as the page shows it: the group's view (leader, term, every member's role
 * and indexes, from the replicas' Raft group info) joined with what each replica says of its own process
 * and volume.
 *
 * @param at       when the look was taken, milliseconds since the epoch (the page's clock for uptimes)
 * @param leader   the leader's pod name, or null when none is known
 * @param term     the current term
 * @param replicas every member, in ordinal order
 */
public record ClusterView(long at, String leader, long term, List<Replica> replicas) {

    public static final String UNREACHABLE = "UNREACHABLE";

    /**
     * One member of the group.
     *
     * @param role   LEADER, FOLLOWER, CANDIDATE, LISTENER or UNREACHABLE
     * @param lag    how many committed entries of the leader's it has not applied yet; null without a
     *               leader or an answer
     * @param report what the replica says of itself; null when it did not answer in time
     */
    public record Replica(String id, String address, String role, long commitIndex, long appliedIndex, Long lag,
                          ReplicaReport report) {

        public boolean reachable() {
            return !UNREACHABLE.equals(role);
        }
    }
}
