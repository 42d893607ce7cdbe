package io.ordinal.replica;

import io.ordinal.cluster.DesiredReplicas;
import io.ordinal.cluster.Topology;
import io.ordinal.security.tls.RaftTls;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.jboss.logging.Logger;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
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
    private final RaftTls tls;
    private volatile MembershipReconciler reconciler;
    private volatile LeaseExpiry leaseExpiry;
    private final KvStateMachine stateMachine;
    /** Replaced once, when a fresh disk that waited with no group joins a running group. */
    private volatile RaftServer server;
    /** Present when the disk was fresh: it decides whether to found or join the group. */
    private final Founding founding;
    private final long starts;
    private boolean closed;

    /** @param tls plain Raft, or mutual TLS with the other replicas and with every client */
    public ReplicaServer(Topology topology, ReplicaSettings settings, DesiredReplicas desired, RaftTls tls)
            throws IOException {
        this.topology = topology;
        this.settings = settings;
        this.desired = desired;
        this.tls = tls;
        this.ordinal = topology.ordinalOf(settings.podName());
        this.self = topology.peer(ordinal);
        this.volume = new ReplicaVolume(settings.replica().dataDir());
        this.stateMachine = new KvStateMachine(volume.dbDir(), settings.history(), tls);

        boolean fresh = volume.isFresh();
        this.starts = volume.recordStart();
        boolean founder = ordinal < topology.replicas() && !volume.hasLeftGroup() && !volume.hasJoined();
        if (fresh) {
            // A fresh disk starts with no group; Founding decides whether to found or join it.
            this.server = newServer(null, RaftStorage.StartupOption.FORMAT);
            this.founding = new Founding(topology, self, founder, Math.max(topology.replicas(), ordinal + 1),
                    tls, new FoundingSteps());
        } else {
            // A disk that has been used recovers the configuration its log holds. A volume must never
            // be silently re-formatted, as that would forget acknowledged writes.
            this.server = newServer(founder ? topology.group() : RaftGroup.valueOf(topology.groupId()),
                    RaftStorage.StartupOption.RECOVER);
            this.founding = null;
        }
    }

    private RaftServer newServer(RaftGroup group, RaftStorage.StartupOption option) throws IOException {
        RaftServer.Builder builder = RaftServer.newBuilder()
                .setServerId(self.getId())
                .setStateMachine(stateMachine)
                .setProperties(properties(volume.raftDir(), topology.port(ordinal), settings))
                .setParameters(tls.parameters());
        if (group != null) {
            builder.setGroup(group).setOption(option);
        }
        return builder.build();
    }

    /** What a fresh disk does once {@link Founding} has decided. */
    private final class FoundingSteps implements Founding.Steps {

        @Override
        public void found() throws IOException {
            RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(ClientId.randomId(),
                    self.getId(), 0, topology.group(), true));
            if (!reply.isSuccess()) {
                throw new IOException("founding the group " + topology.group() + " failed", reply.getException());
            }
            startLeaderDuties();
        }

        @Override
        public void stopServing() throws IOException {
            server.close();
        }

        @Override
        public void startAsNewMember() throws IOException {
            // No peers: this replica is in no configuration until the leader adds it; it learns the
            // configuration from the leader's log or snapshot, and neither votes nor campaigns before.
            synchronized (ReplicaServer.this) {
                if (closed) {
                    return;
                }
                volume.markJoined();
                RaftServer member = newServer(RaftGroup.valueOf(topology.groupId()), RaftStorage.StartupOption.FORMAT);
                try {
                    member.start();
                } catch (IOException | RuntimeException e) {
                    member.close(); // its port, for the next attempt
                    throw e;
                }
                server = member;
            }
            startLeaderDuties();
        }
    }

    static RaftProperties properties(Path raftDir, int port, ReplicaSettings settings) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(raftDir.toFile()));
        GrpcConfigKeys.Server.setPort(p, port);

        // Linearizable reads through ReadIndex, never a lease that trusts clocks.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, false);
        // A follower serving a read asks the leader for its commit index; if that leader just died
        // the follower must answer (with an error the client retries) quickly, not after the
        // default 10 s: a client attempt that times out costs a reconnect that stalls for seconds.
        RaftServerConfigKeys.Read.setTimeout(p, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));

        RaftServerConfigKeys.Rpc.setTimeoutMin(p, duration(settings.raft().electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, duration(settings.raft().electionTimeoutMax()));

        // Snapshots every N entries; the log is purged behind them (in steps of purgeGap) so that a
        // replica that is far behind, or whose disk was wiped, catches up by installing a snapshot.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, settings.replica().snapshotEvery());
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, settings.replica().purgeGap());
        // A purge keeps the newest snapshot interval of entries. Without it, a purge right after a
        // snapshot removed the very segment that a follower which had just installed the previous
        // snapshot was about to be sent: the leader's log appender for it failed reading the deleted
        // file and was never replaced, so a joining replica got nothing more and the membership change
        // hung (ScalingTest, under the full suite's load). The log then holds up to two intervals.
        RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, settings.replica().snapshotEvery());
        RaftServerConfigKeys.Log.setSegmentSizeMax(p,
                SizeInBytes.valueOf(settings.replica().logSegmentSize().asLongValue()));
        // Ratis keeps up to 6 closed segments (200 MB) of log entries on the heap by default; two are
        // plenty to feed followers that are a little behind (older entries are read from disk), and the
        // heap of a replica then stays within 256 MB (docs/performance.md, footprint).
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p, SizeInBytes.valueOf("64MB"));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
        // How soon the leader tries a follower again after failing to reach it. Ratis's default waits
        // 1 s after the first 10 failures and 5 s after 30, so a replica that was killed and came back
        // within seconds waited up to that long for the leader's first message before it was ready
        // (docs/performance.md, start to ready). Every 100 ms for the first 30 s, then as before.
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, "1ms,10, 100ms,300, 1s,20, 5s,1000");

        // A replica that joins must catch up (often by installing a snapshot) before it becomes a voter.
        // Ratis gives it three election timeouts without progress, then refuses the change; the next
        // attempt starts over with a new snapshot, and on a busy machine that can go on for as long as
        // the load does. Thirty seconds lets a slow join finish (the reconciler waits for it anyway).
        RaftServerConfigKeys.setStagingTimeout(p, TimeDuration.valueOf(30, TimeUnit.SECONDS));

        // A follower appends each leader request only after the one before it is in its log. Ratis 3.3.0
        // can instead accept a request whose previous entry is still on its way to the log ("compose",
        // on by default); after a leader change, when an old and a new stream of the new leader overlap,
        // that path was seen to let a follower acknowledge entries it then truncated: its commit index
        // passed the end of its log, the leader counted it towards a majority, and the follower never
        // caught up again (FaultsIT, partition-leader and disk-full-leader; docs/reliability.md).
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);

        // No metadata entries in the log: every entry is a command, so revisions follow each other.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);

        // The retry cache deduplicates a client's retries of one call; it must outlive them.
        // The state machine keeps its own record of applied calls as long (io.ordinal.storage.ClientCall).
        RaftServerConfigKeys.RetryCache.setExpiryTime(p,
                TimeDuration.valueOf(io.ordinal.storage.ClientCall.RETRY_WINDOW.toSeconds(), TimeUnit.SECONDS));

        // One log entry (a value of up to the API limit, plus its key) must fit the appender's
        // buffer, 4 MB by default: the configuration's rules keep ordinal.api.max-value-bytes below it.
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("16MB"));

        // For measurements only: any Ratis key given as a system property (-Draft.server...=...)
        // overrides the above. Nothing in the project sets one; docs/performance.md says which were tried.
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("raft."))
                .forEach(k -> p.set(k, System.getProperty(k)));
        return p;
    }

    /**
     * Starts the Raft server, and what acts whenever this replica leads: the membership reconciler and
     * lease expiry. On a fresh disk this returns at once and the replica founds or joins the group in
     * the background ({@link Founding}); until then it is not ready.
     */
    public void start() throws IOException {
        server.start();
        if (founding != null) {
            founding.start(); // and the leader's duties once the group is added
        } else {
            startLeaderDuties();
        }
    }

    private synchronized void startLeaderDuties() {
        if (closed) {
            return; // closed while a fresh disk was joining
        }
        reconciler = new MembershipReconciler(this, desired);
        reconciler.start(settings.membership().interval());
        leaseExpiry = new LeaseExpiry(this);
        leaseExpiry.start(settings.replica().leaseCheckInterval());
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
                left = Leaving.awaitRemoval(this, settings.membership().leaveTimeout());
            } else if (settings.replica().transferLeadershipOnStop()) {
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

    /** Why this replica is not in the group yet (a fresh disk deciding whether to found or join it), if it is not. */
    public Optional<String> awaitingGroup() {
        return founding == null ? Optional.empty() : founding.waitingFor();
    }

    /**
     * Whether the replica's server runs: its division is alive or, on a fresh disk, it is still deciding
     * whether to found or join the group (it answers its peers meanwhile).
     */
    public boolean isAlive() {
        if (awaitingGroup().isPresent()) {
            return true; // its server may even be stopped for a moment, while it asks to be removed
        }
        if (server.getLifeCycleState() != LifeCycle.State.RUNNING) {
            return false;
        }
        try {
            return division().getInfo().isAlive();
        } catch (IOException e) {
            return false;
        }
    }

    public int ordinal() {
        return ordinal;
    }

    /** How many times a replica has started on this volume, this start included. */
    public long starts() {
        return starts;
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

    /** How this replica speaks Raft, for the clients it makes of itself and of its peers. */
    RaftTls tls() {
        return tls;
    }

    public RaftServer.Division division() throws IOException {
        return server.getDivision(topology.groupId());
    }

    public KvStateMachine stateMachine() {
        return stateMachine;
    }

    /**
     * Hands a request to this replica's own server, the way a client's reaches it: a follower answers
     * NotLeaderException, and nothing retries or redirects it.
     */
    public CompletableFuture<RaftClientReply> submit(RaftClientRequest request) throws IOException {
        return server.submitClientRequestAsync(request);
    }

    /** Stops at once, as a killed pod would: no hand-over, no leaving. */
    @Override
    public void close() throws IOException {
        if (founding != null) {
            founding.close();
        }
        RaftServer s;
        synchronized (this) {
            closed = true;
            s = server;
        }
        MembershipReconciler r = reconciler;
        if (r != null) {
            r.close();
        }
        LeaseExpiry e = leaseExpiry;
        if (e != null) {
            e.close();
        }
        s.close();
    }

    private static TimeDuration duration(java.time.Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }
}
