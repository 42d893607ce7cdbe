package io.ordinal.replica;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/** Hands leadership from a stopping leader to its most up-to-date follower. */
final class LeadershipTransfer {

    private static final Logger LOG = Logger.getLogger(LeadershipTransfer.class);
    private static final long TIMEOUT_MS = 3000;

    private LeadershipTransfer() {
    }

    static void handOver(ReplicaServer server) {
        RaftServer.Division division;
        try {
            division = server.division();
        } catch (IOException e) {
            return;
        }
        if (!division.getInfo().isLeader()) {
            return;
        }
        // The voter that has committed the most needs the least catching up to lead (listeners cannot).
        Set<RaftPeerId> voters = division.getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER).stream()
                .map(RaftPeer::getId).collect(Collectors.toSet());
        RaftPeerId target = division.getCommitInfos().stream()
                .filter(c -> voters.contains(RaftPeerId.valueOf(c.getServer().getId())))
                .filter(c -> !RaftPeerId.valueOf(c.getServer().getId()).equals(server.id()))
                .max(Comparator.comparingLong(CommitInfoProto::getCommitIndex))
                .map(c -> RaftPeerId.valueOf(c.getServer().getId()))
                .orElse(null);
        if (target == null) {
            return;
        }
        try (RaftClient client = RaftClient.newBuilder()
                .setRaftGroup(division.getGroup())
                .setLeaderId(server.id())
                .setProperties(new RaftProperties())
                .setParameters(server.tls().parameters())
                .build()) {
            LOG.infof("handing leadership from %s to %s before stopping", server.id(), target);
            client.admin().transferLeadership(target, TIMEOUT_MS);
        } catch (IOException e) {
            LOG.warnf("leadership transfer to %s failed: %s", target, e.getMessage());
        }
    }
}
