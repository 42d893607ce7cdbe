package io.ordinal.replica;

import io.ordinal.security.tls.RaftTls;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A replica that lost its disk while the group still counts it as a member must not simply start:
 * Raft assumes a voter never forgets its log or its vote, and an empty voter could help elect a
 * leader that lacks acknowledged writes. (Ratis's leader also keeps the old match index of such a
 * follower and may never send it the snapshot it needs.) So, before its server starts, the replica
 * asks the group to remove it; the leader's {@link MembershipReconciler} then adds it back as a new
 * member, which catches up from a snapshot before it votes — what etcd asks an operator to do by
 * hand ({@code member remove}, then {@code member add}) after a lost data directory.
 */
final class Rejoin {

    private static final Logger LOG = Logger.getLogger(Rejoin.class);

    private Rejoin() {
    }

    /**
     * Removes {@code self} from the group's configuration, retrying until {@code timeout}.
     *
     * @throws IOException if the group could not remove it (no leader, no quorum)
     */
    static void removeStaleSelf(RaftGroupId groupId, RaftTls tls, RaftPeer self, List<RaftPeer> members, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        try (PeerProbe probe = new PeerProbe(groupId, tls)) {
            while (System.nanoTime() < deadline) {
                Optional<GroupInfoReply> leader = members.stream()
                        .filter(p -> !p.getId().equals(self.getId()))
                        .map(probe::info)
                        .flatMap(Optional::stream)
                        .filter(info -> info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER)
                        .findFirst();
                if (leader.isPresent() && leader.get().getConf().isPresent()) {
                    RaftConfigurationProto conf = leader.get().getConf().get();
                    List<RaftPeer> voters = peers(conf.getPeersList());
                    List<RaftPeer> listeners = peers(conf.getListenersList());
                    List<RaftPeer> others = voters.stream().filter(p -> !p.getId().equals(self.getId())).toList();
                    if (others.size() == voters.size() && listeners.stream().noneMatch(p -> p.getId().equals(self.getId()))) {
                        return; // already removed
                    }
                    try {
                        remove(groupId, tls, leader.get().getServerId(), voters, listeners, others, self.getId());
                        LOG.infof("%s was removed from the group; it will be added back as a new member", self.getId());
                        return;
                    } catch (IOException e) {
                        last = e;
                    }
                }
                sleep();
            }
        }
        throw new IOException(self.getId() + " has a fresh disk but the group still counts it as a member, and the"
                + " group did not remove it within " + timeout + " (no leader or no quorum?)", last);
    }

    private static void remove(RaftGroupId groupId, RaftTls tls, RaftPeerId leaderId, List<RaftPeer> voters, List<RaftPeer> listeners,
                               List<RaftPeer> others, RaftPeerId self) throws IOException {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(10, TimeUnit.SECONDS));
        try (RaftClient client = RaftClient.newBuilder()
                .setRaftGroup(RaftGroup.valueOf(groupId, voters))
                .setLeaderId(leaderId)
                .setProperties(p)
                .setParameters(tls.parameters())
                .setRetryPolicy(RetryPolicies.noRetry())
                .build()) {
            RaftClientReply reply = client.admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                    .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                    .setServersInCurrentConf(voters)
                    .setListenersInCurrentConf(listeners)
                    .setServersInNewConf(others)
                    .setListenersInNewConf(listeners.stream().filter(l -> !l.getId().equals(self)).toList())
                    .build());
            if (!reply.isSuccess()) {
                throw new IOException("removing " + self + " was refused: " + reply.getException());
            }
        }
    }

    private static List<RaftPeer> peers(List<RaftPeerProto> protos) {
        return protos.stream()
                .map(p -> RaftPeer.newBuilder().setId(RaftPeerId.valueOf(p.getId())).setAddress(p.getAddress()).build())
                .toList();
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(500); // waiting on other processes (an election, a quorum)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while leaving the group", e);
        }
    }
}
