package io.ordinal.replica;

import io.ordinal.cluster.Topology;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Raft peer over RocksDB: wires properties, the peer list and the state machine, and nothing
 * else. Its identity — peer id, ordinal, port — comes from its pod name alone.
 */
public final class ReplicaServer implements Closeable {

    private final Topology topology;
    private final RaftPeer self;
    private final KvStateMachine stateMachine;
    private final RaftServer server;

    public ReplicaServer(Topology topology, ReplicaSettings settings) throws IOException {
        this.topology = topology;
        int ordinal = topology.ordinalOf(settings.podName());
        if (ordinal >= topology.replicas()) {
            throw new IllegalArgumentException(settings.podName() + " is not among the " + topology.replicas()
                    + " replicas of " + topology.replicaPrefix());
        }
        this.self = topology.peer(ordinal);
        Path dataDir = settings.dataDir().toAbsolutePath();
        Path raftDir = dataDir.resolve("raft");
        Files.createDirectories(raftDir);
        this.stateMachine = new KvStateMachine(dataDir.resolve("db"));

        RaftGroup group = topology.group();
        boolean fresh = isEmpty(raftDir);
        this.server = RaftServer.newBuilder()
                .setServerId(self.getId())
                .setGroup(group)
                .setStateMachine(stateMachine)
                .setProperties(properties(raftDir, topology.port(ordinal), settings))
                // A fresh disk formats its storage; a disk that has been used recovers it. A volume
                // must never be silently re-formatted, as that would forget acknowledged writes.
                .setOption(fresh ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER)
                .build();
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

    public void start() throws IOException {
        server.start();
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

    @Override
    public void close() throws IOException {
        server.close();
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static TimeDuration duration(java.time.Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }
}
