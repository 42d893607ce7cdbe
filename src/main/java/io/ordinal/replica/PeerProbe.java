package io.ordinal.replica;

import io.ordinal.security.tls.RaftTls;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.GroupListReply;
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
    private final RaftTls tls;
    private final Map<RaftPeerId, RaftClient> clients = new ConcurrentHashMap<>();

    PeerProbe(RaftGroupId groupId, RaftTls tls) {
        this.groupId = groupId;
        this.tls = tls;
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

    /**
     * Whether the peer has the group: empty if it does not answer, false if it answers without it (a
     * replica on a fresh disk that has not yet decided to found or join the group).
     */
    Optional<Boolean> hasGroup(RaftPeer peer) {
        RaftClient client = clients.computeIfAbsent(peer.getId(), id -> newClient(peer));
        try {
            GroupListReply reply = client.getGroupManagementApi(peer.getId()).list();
            return reply != null && reply.isSuccess() ? Optional.of(reply.getGroupIds().contains(groupId))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Drops the connection to a peer that did not answer. Its channel would otherwise try again only
     * after gRPC's reconnect backoff, which grows to many seconds: a peer that has just started would
     * seem silent for that long.
     */
    void forget(RaftPeer peer) {
        RaftClient c = clients.remove(peer.getId());
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private RaftClient newClient(RaftPeer peer) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
        return RaftClient.newBuilder()
                .setRaftGroup(RaftGroup.valueOf(groupId, peer))
                .setProperties(p)
                .setParameters(tls.parameters())
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
