package io.ordinal.fault;

import io.ordinal.drill.Pod;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Breaks the cluster one fault at a time: {@link #inject} starts a fault and returns it; {@link Active#heal}
 * ends what needs ending (a pause, a partition, a full disk). Faults that kill a JVM end by themselves:
 * kv-local, the StatefulSet controller of the local cluster, starts the pod again as itself.
 */
final class Nemesis {

    /** A fault in progress. */
    static final class Active {
        final FaultKind kind;
        final String target;
        /** The JVMs killed, whose pods must come back (name → old pid). */
        final List<Pod> killed;
        /** The replica whose disk is full, if any. */
        final Pod diskFull;
        final String notes;
        /** When the fault took effect ({@link System#nanoTime()}): right after the breaking action. */
        final long at = System.nanoTime();
        private final Runnable heal;

        Active(FaultKind kind, String target, List<Pod> killed, Pod diskFull, String notes, Runnable heal) {
            this.kind = kind;
            this.target = target;
            this.killed = List.copyOf(killed);
            this.diskFull = diskFull;
            this.notes = notes;
            this.heal = heal;
        }

        void heal() {
            heal.run();
        }
    }

    private final LocalCluster cluster;
    private final Random random;

    Nemesis(LocalCluster cluster, long seed) {
        this.cluster = cluster;
        this.random = new Random(seed);
    }

    /** Whether this cluster can have that fault; if not, why. */
    String unavailable(FaultKind kind) {
        return switch (kind.needs()) {
            case NOTHING -> null;
            case NETWORK_NAMESPACES -> cluster.networkNamespaces() ? null
                    : "the replicas do not run in network namespaces: " + LocalCluster.whyNoNetworkNamespaces().orElse("not asked for");
            case SMALL_DISKS -> cluster.smallDisks() ? null
                    : "the replicas' data directories are not on small disks: "
                    + LocalCluster.whyNoSmallDisks(cluster.home().getParent()).orElse("not asked for");
        };
    }

    Active inject(FaultKind kind) {
        String why = unavailable(kind);
        if (why != null) {
            throw new IllegalStateException(kind.id() + " is not possible here: " + why);
        }
        return switch (kind) {
            case NONE -> new Active(kind, "-", List.of(), null, "", () -> { });
            case KILL_LEADER -> kill(kind, List.of(leader()));
            case KILL_FOLLOWER -> kill(kind, List.of(follower(leader())));
            case KILL_ALL -> kill(kind, cluster.replicas());
            case PAUSE_LEADER, PAUSE_LEADER_PAST_LEASE_TTL -> {
                Pod leader = leader();
                cluster.pause(leader);
                yield new Active(kind, leader.name() + " (pid " + leader.pid() + ")", List.of(), null, "", () -> cluster.resume(leader));
            }
            case PARTITION_LEADER -> {
                Pod leader = leader();
                cluster.isolate(leader);
                yield new Active(kind, leader.name(), List.of(), null, "", cluster::heal);
            }
            case PARTITION_FOLLOWER -> {
                Pod follower = follower(leader());
                cluster.isolate(follower);
                yield new Active(kind, follower.name(), List.of(), null, "", cluster::heal);
            }
            case KILL_FRONTEND -> {
                List<Pod> frontends = cluster.pods().stream().filter(p -> !p.isReplica()).toList();
                yield kill(kind, List.of(frontends.get(random.nextInt(frontends.size()))));
            }
            case DISK_FULL_FOLLOWER -> fillDisk(kind, follower(leader()));
            case DISK_FULL_LEADER -> fillDisk(kind, leader());
        };
    }

    private Active kill(FaultKind kind, List<Pod> pods) {
        cluster.killAll(pods);
        List<String> names = new ArrayList<>();
        pods.forEach(p -> names.add(p.name() + " (pid " + p.pid() + ")"));
        return new Active(kind, String.join(", ", names), pods, null, "", () -> { });
    }

    private Active fillDisk(FaultKind kind, Pod replica) {
        long bytes = cluster.fillDisk(replica);
        return new Active(kind, replica.name(), List.of(), replica,
                "ballast of " + (bytes >> 20) + " MiB filled the disk", () -> cluster.freeDisk(replica));
    }

    private Pod leader() {
        return cluster.awaitLeader(Duration.ofSeconds(30));
    }

    private Pod follower(Pod leader) {
        List<Pod> followers = cluster.followers(leader);
        return followers.get(random.nextInt(followers.size()));
    }
}
