package io.ordinal.replica;

import io.ordinal.cluster.DesiredReplicas;
import io.ordinal.cluster.Topology;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.jboss.logging.Logger;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One Raft peer over RocksDB: wires properties, the peer list and the state machine, and nothing
 * else. Its identity — peer id, ordinal, port — comes from its pod name alone.
 */
public final class ReplicaServer implements Closeable {

    private static final Logger LOG = Logger.getLogger(ReplicaServer.class);

    private final Topology topology;
    private final int ordinal;
    private final RaftPeer self;
    private final ReplicaVolume volume;
    private final ReplicaSettings settings;
    private final DesiredReplicas desired;
    private volatile MembershipReconciler reconciler;
    private final KvStateMachine stateMachine;
    private final RaftServer server;

    public ReplicaServer(Topology topology, ReplicaSettings settings, DesiredReplicas desired) throws IOException {
        this.topology = topology;
        this.settings = settings;
        this.desired = desired;
        this.ordinal = topology.ordinalOf(settings.podName());
        this.self = topology.peer(ordinal);
        this.volume = new ReplicaVolume(settings.dataDir());
        this.stateMachine = new KvStateMachine(volume.dbDir());

        boolean fresh = volume.isFresh();
        RaftGroup group = foundsTheGroup(fresh) ? topology.group() : RaftGroup.valueOf(topology.groupId());
        this.server = RaftServer.newBuilder()
                .setServerId(self.getId())
                .setGroup(group)
                .setStateMachine(stateMachine)
                .setProperties(properties(volume.raftDir(), topology.port(ordinal), settings))
                // A fresh disk formats its storage; a disk that has been used recovers it. A volume
                // must never be silently re-formatted, as that would forget acknowledged writes.
                .setOption(fresh ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER)
                .build();
    }

    /**
     * Whether this replica starts the group with the founding members (ordinals below
     * {@code ordinal.cluster.replicas}) or starts empty and waits for the leader to add it.
     *
     * <p>Only a founding ordinal with a fresh disk founds, and only while no other founding member
     * answers with a group of its own: otherwise a replica whose claim was replaced, or one scaled
     * away and back, could elect itself with other empty replicas into a second group — two
     * leaders. A used disk recovers whatever configuration its log holds, so the choice only
     * matters for the very first start.
     */
    private boolean foundsTheGroup(boolean fresh) {
        if (ordinal >= topology.replicas() || volume.hasLeftGroup()) {
            return false;
        }
        if (!fresh) {
            return true;
        }
        try (PeerProbe probe = new PeerProbe(topology.groupId())) {
            for (int i = 0; i < topology.replicas(); i++) {
                if (i != ordinal && probe.info(topology.peer(i)).filter(ReplicaServer::hasData).isPresent()) {
                    LOG.infof("%s has a fresh disk and %s already runs the group: joining it", self.getId(),
                            topology.podName(i));
                    return false;
                }
            }
        }
        return true;
    }

    /** A log entry of any term (even a leader's first configuration entry) means the group exists. */
    private static boolean hasData(GroupInfoReply info) {
        return info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER
                || info.getLogInfoProto().getLastEntry().getTerm() > 0;
    }

    static RaftProperties properties(Path raftDir, int port, ReplicaSettings settings) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(raftDir.toFile()));
        GrpcConfigKeys.Server.setPort(p, port);

        // Linearizable reads through ReadIndex, never a lease that trusts clocks.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, false);

        RaftServerConfigKeys.Rpc.setTimeoutMin(p, duration(settings.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, duration(settings.electionTimeoutMax()));

        // Snapshots every N entries; the log is purged behind them (in steps of purgeGap) so that a
        // replica that is far behind, or whose disk was wiped, catches up by installing a snapshot.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, settings.snapshotEvery());
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, settings.purgeGap());
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(settings.logSegmentBytes()));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);

        // No metadata entries in the log: every entry is a command, so revisions follow each other.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);

        // The retry cache deduplicates a client's retries of one call; it must outlive them.
        RaftServerConfigKeys.RetryCache.setExpiryTime(p, TimeDuration.valueOf(120, TimeUnit.SECONDS));

        // One log entry (a value of up to the API limit, plus its key) must fit the appender's
        // buffer, 4 MB by default: ReplicaServer's caller keeps ordinal.api.max-value-bytes below it.
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("16MB"));
        return p;
    }

    /** Starts the Raft server, and the membership reconciler that acts whenever this replica leads. */
    public void start() throws IOException {
        server.start();
        reconciler = new MembershipReconciler(this, desired);
        reconciler.start(settings.membershipInterval());
    }

    /**
     * Graceful stop. A replica that was scaled away (its ordinal at or above the desired count) waits
     * to be removed from the group, then clears its volume; any other hands leadership to another
     * voter first, so that clients see a quick leader change rather than an election timeout (as
     * etcd's Stop() and rqlite's shutdown step-down do). A restart is never a scale-down.
     */
    public void stop() throws IOException {
        boolean left = false;
        try {
            OptionalInt want = desired.get();
            if (want.isPresent() && want.getAsInt() >= 1 && ordinal >= want.getAsInt()) {
                LOG.infof("%s is scaled away (%d replicas wanted): waiting to be removed from the group",
                        self.getId(), want.getAsInt());
                left = Leaving.awaitRemoval(this, settings.leaveTimeout());
            } else if (settings.handOverOnStop()) {
                LeadershipTransfer.handOver(this);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("leaving or handing over leadership failed, stopping anyway: %s", e.getMessage());
        }
        close();
        if (left) {
            volume.clearAfterLeaving("removed from the group when scaled below ordinal " + ordinal);
            LOG.infof("%s left the group; its volume is cleared", self.getId());
        }
    }

    public int ordinal() {
        return ordinal;
    }

    ReplicaVolume volume() {
        return volume;
    }

    public RaftPeerId id() {
        return self.getId();
    }

    public RaftPeer peer() {
        return self;
    }

    public Topology topology() {
        return topology;
    }

    public RaftServer.Division division() throws IOException {
        return server.getDivision(topology.groupId());
    }

    public KvStateMachine stateMachine() {
        return stateMachine;
    }

    public RaftServer raftServer() {
        return server;
    }

    /** Stops at once, as a killed pod would: no hand-over, no leaving. */
    @Override
    public void close() throws IOException {
        MembershipReconciler r = reconciler;
        if (r != null) {
            r.close();
        }
        server.close();
    }

    private static TimeDuration duration(java.time.Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }
}
