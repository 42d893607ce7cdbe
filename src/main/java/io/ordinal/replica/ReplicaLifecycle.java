package io.ordinal.replica;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordinal.cluster.DesiredReplicas;
import io.ordinal.cluster.Topology;
import io.ordinal.config.OrdinalConfig;
import io.ordinal.config.Role;
import io.ordinal.security.tls.RaftTls;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Starts this process's Raft replica when its role has one, stops it gracefully, and publishes its
 * Raft and storage gauges.
 */
@ApplicationScoped
public class ReplicaLifecycle {

    private static final Logger LOG = Logger.getLogger(ReplicaLifecycle.class);
    private static final long PROCESS_STARTED_AT = ManagementFactory.getRuntimeMXBean().getStartTime();
    private static final long PID = ProcessHandle.current().pid();

    private final OrdinalConfig config;
    private final Topology topology;
    private final DesiredReplicas desired;
    private final MeterRegistry registry;
    private final RaftTls tls;
    private volatile ReplicaServer replica;

    @Inject
    public ReplicaLifecycle(OrdinalConfig config, Topology topology, DesiredReplicas desired, MeterRegistry registry,
                            RaftTls tls) {
        this.config = config;
        this.topology = topology;
        this.desired = desired;
        this.registry = registry;
        this.tls = tls;
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        if (!config.role().runsReplica()) {
            return;
        }
        String podName = config.role() == Role.ALL_IN_ONE ? topology.podName(0) : config.podName();
        OrdinalConfig.Replica r = config.replica();
        ReplicaSettings settings = ReplicaSettings.of(podName, config);
        DiskSpace.awaitFree(r.dataDir(), r.minFreeSpace().asLongValue());
        try {
            ReplicaServer server = new ReplicaServer(topology, settings, desired, tls);
            // A replica whose log cannot be written is of no use to the group until it restarts:
            // end the process at once (no graceful stop: that would write to the failed disk too).
            // Its volume holds every entry it acknowledged; the next start replays them.
            server.stateMachine().onLogFailed(cause -> Runtime.getRuntime().halt(EXIT_LOG_FAILED));
            server.start();
            replica = server;
            LOG.infof("replica %s started: raft %s, data %s", server.id(), server.peer().getAddress(),
                    r.dataDir().toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start replica " + podName, e);
        }
        gauge("ordinal_raft_term", "Current Raft term", d -> d.getInfo().getCurrentTerm());
        gauge("ordinal_raft_commit_index", "Highest log index known to be committed",
                d -> d.getRaftLog().getLastCommittedIndex());
        gauge("ordinal_raft_applied_index", "Highest log index applied to the state machine",
                d -> d.getInfo().getLastAppliedIndex());
        gauge("ordinal_raft_is_leader", "1 if this replica is the leader",
                d -> d.getInfo().isLeader() ? 1 : 0);
        gauge("ordinal_raft_role", "Raft role: 0 follower, 1 candidate, 2 leader, 3 listener",
                d -> roleCode(d.getInfo().getCurrentRole()));
        Gauge.builder("ordinal_rocksdb_size_bytes", this,
                        self -> self.replica == null ? 0 : self.replica.stateMachine().dataSizeBytes())
                .description("Size of the replica's RocksDB data (SST files and memtables)")
                .baseUnit("bytes")
                .register(registry);
    }

    /** The exit status of a replica that stopped because its Raft log could not be written. */
    static final int EXIT_LOG_FAILED = 74; // EX_IOERR

    /** Graceful stop: see {@link ReplicaServer#stop()}. */
    void stop(@Observes ShutdownEvent event) {
        ReplicaServer server = replica;
        if (server == null) {
            return;
        }
        replica = null;
        try {
            server.stop();
        } catch (IOException e) {
            LOG.warn("error while stopping the replica", e);
        }
    }

    /** The running replica, if this process has one. */
    public Optional<ReplicaServer> replica() {
        return Optional.ofNullable(replica);
    }

    /** This replica's Raft division, if it is running. */
    public Optional<RaftServer.Division> division() {
        ReplicaServer server = replica;
        if (server == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(server.division());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** This replica's report of itself ({@code GET /v1/replica}), if it is running. */
    public Optional<ReplicaReport> report() {
        ReplicaServer server = replica;
        Optional<RaftServer.Division> division = division();
        if (server == null || division.isEmpty()) {
            return Optional.empty();
        }
        RaftServer.Division d = division.get();
        var info = d.getInfo();
        KvStateMachine sm = server.stateMachine();
        return Optional.of(new ReplicaReport(d.getId().toString(), info.getCurrentRole().name(),
                info.getCurrentTerm(), info.getLeaderId() == null ? null : info.getLeaderId().toString(),
                d.getRaftLog().getLastCommittedIndex(), info.getLastAppliedIndex(), PROCESS_STARTED_AT, PID,
                server.starts(), sm.dataSizeBytes(), sm.snapshotIndex(), sm.snapshotsInstalled()));
    }

    public Optional<RaftPeerId> id() {
        return replica().map(ReplicaServer::id);
    }

    private void gauge(String name, String description, ToDoubleFunction<RaftServer.Division> f) {
        Gauge.builder(name, this, self -> self.division().map(f::applyAsDouble).orElse(Double.NaN))
                .description(description)
                .register(registry);
    }

    private static int roleCode(RaftPeerRole role) {
        return switch (role) {
            case FOLLOWER -> 0;
            case CANDIDATE -> 1;
            case LEADER -> 2;
            case LISTENER -> 3;
            default -> -1;
        };
    }
}
