package io.ordinal.replica;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Asks one replica at a time what it knows of the group (Ratis group info: role, leader, log,
 * configuration), with a short timeout and no retries: a replica that does not answer at once is
 * simply "not answering" to the callers, which decide again a moment later.
 */
final class PeerProbe implements Closeable {

    private final RaftGroupId groupId;
    private final Map<RaftPeerId, RaftClient> clients = new ConcurrentHashMap<>();

    PeerProbe(RaftGroupId groupId) {
        this.groupId = groupId;
    }

    /** The peer's view of the group, or empty if it does not answer or does not have the group. */
    Optional<GroupInfoReply> info(RaftPeer peer) {
        RaftClient client = clients.computeIfAbsent(peer.getId(), id -> newClient(peer));
        try {
            GroupInfoReply reply = client.getGroupManagementApi(peer.getId()).info(groupId);
            return reply != null && reply.isSuccess() ? Optional.of(reply) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private RaftClient newClient(RaftPeer peer) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
        return RaftClient.newBuilder()
                .setRaftGroup(RaftGroup.valueOf(groupId, peer))
                .setProperties(p)
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
    }

    @Override
    public void close() {
        for (RaftClient c : clients.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        clients.clear();
    }
}
