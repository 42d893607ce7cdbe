package io.ordinal.client;

import io.ordinal.cluster.Topology;
import io.ordinal.security.tls.RaftTls;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One Ratis client per replica, each talking to that replica alone, with no Ratis retries: the caller
 * decides which replica to try next. A client whose call failed is replaced ({@link #renew}).
 */
final class ReplicaClients implements Closeable {

    private final Topology topology;
    private final RaftProperties properties;
    private final RaftTls tls;
    private final Map<RaftPeerId, RaftClient> clients = new ConcurrentHashMap<>();
    private final ExecutorService closer;

    /** @param name names the thread that closes replaced clients */
    ReplicaClients(Topology topology, RaftProperties properties, RaftTls tls, String name) {
        this.topology = topology;
        this.properties = properties;
        this.tls = tls;
        this.closer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-client-closer");
            t.setDaemon(true);
            return t;
        });
    }

    RaftClient client(RaftPeer peer) {
        return clients.computeIfAbsent(peer.getId(), id -> RaftClient.newBuilder()
                .setRaftGroup(RaftGroup.valueOf(topology.groupId(), peer))
                .setLeaderId(peer.getId())
                .setProperties(properties)
                .setParameters(tls.parameters())
                .setRetryPolicy(RetryPolicies.noRetry())
                .build());
    }

    /**
     * Replaces a replica's client after a failed call. Ratis keeps one stream per client and replica
     * and, without its retries, never re-opens it: a client whose replica died and came back would
     * fail forever. Closing can block for seconds (draining the old channel), so it happens aside.
     */
    void renew(RaftPeer peer, RaftClient failed) {
        if (clients.remove(peer.getId(), failed)) {
            closer.execute(() -> closeQuietly(failed));
        }
    }

    @Override
    public void close() {
        closer.shutdown();
        clients.values().forEach(ReplicaClients::closeQuietly);
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
