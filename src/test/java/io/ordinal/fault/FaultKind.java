package io.ordinal.fault;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The faults the {@link Nemesis} can inject, by the names a schedule uses. */
enum FaultKind {
    NONE("none", "no fault: a control step", Needs.NOTHING),
    KILL_LEADER("kill-leader", "SIGKILL the leader's JVM (kv-local starts it again)", Needs.NOTHING),
    KILL_FOLLOWER("kill-follower", "SIGKILL a follower's JVM (kv-local starts it again)", Needs.NOTHING),
    KILL_ALL("kill-all-replicas", "SIGKILL every replica's JVM at once (kv-local starts them again)", Needs.NOTHING),
    PAUSE_LEADER("pause-leader", "SIGSTOP the leader for longer than the election timeout, then SIGCONT", Needs.NOTHING),
    PAUSE_LEADER_PAST_LEASE_TTL("pause-leader-lease", "SIGSTOP the leader for longer than the ttl of a lease a client "
            + "keeps alive through the frontends, then SIGCONT: the lease and its keys must live", Needs.NOTHING),
    PARTITION_LEADER("partition-leader", "cut the leader off from both followers (the frontends still reach it), then heal",
            Needs.NETWORK_NAMESPACES),
    PARTITION_FOLLOWER("partition-follower", "cut one follower off from the other replicas, then heal",
            Needs.NETWORK_NAMESPACES),
    KILL_FRONTEND("kill-frontend", "SIGKILL one of the two frontends' JVM (clients go to the other)", Needs.NOTHING),
    DISK_FULL_FOLLOWER("disk-full-follower", "fill a follower's disk to the last byte under large writes, then free it",
            Needs.SMALL_DISKS),
    DISK_FULL_LEADER("disk-full-leader", "fill the leader's disk to the last byte under large writes, then free it",
            Needs.SMALL_DISKS);

    enum Needs { NOTHING, NETWORK_NAMESPACES, SMALL_DISKS }

    private final String id;
    private final String description;
    private final Needs needs;

    FaultKind(String id, String description, Needs needs) {
        this.id = id;
        this.description = description;
        this.needs = needs;
    }

    String id() {
        return id;
    }

    String description() {
        return description;
    }

    Needs needs() {
        return needs;
    }

    boolean killsOrPausesTheLeader() {
        return this == KILL_LEADER || this == PAUSE_LEADER || this == PAUSE_LEADER_PAST_LEASE_TTL;
    }

    /** Faults whose step keeps a lease alive throughout, which must outlive the fault ({@link LeaseKeeper}). */
    boolean keepsALeaseAlive() {
        return this == PAUSE_LEADER_PAST_LEASE_TTL;
    }

    /** Faults after which clients must see no error beyond connections cut mid-request. */
    boolean mustBeInvisibleToClients() {
        return this == KILL_FOLLOWER || this == KILL_FRONTEND || this == NONE;
    }

    static FaultKind byId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fault '" + id + "'; faults: " + ids(List.of(values()))));
    }

    static String ids(List<FaultKind> kinds) {
        return kinds.stream().map(FaultKind::id).collect(Collectors.joining(", "));
    }
}
