package io.ordinal.client;

import java.util.List;

/**
 * The Raft group as the replicas report it.
 *
 * @param leader  the leader's pod name, or null when none is known
 * @param term    the current term
 * @param members every configured replica, in ordinal order
 */
public record ClusterStatus(String leader, long term, List<Member> members) {

    /** One replica; role is LEADER, FOLLOWER, CANDIDATE, LISTENER or UNREACHABLE. */
    public record Member(String id, String address, String role, long commitIndex, long appliedIndex) {
    }
}
