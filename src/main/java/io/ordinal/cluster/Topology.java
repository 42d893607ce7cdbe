package io.ordinal.cluster;

import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of the cluster, derived from names alone, exactly as a StatefulSet derives it:
 * replica {@code i} is the pod {@code <prefix>-<i>}, its peer id is that name, its address comes
 * from a host pattern and a port, and the group id comes from the cluster name. Every replica and
 * every frontend computes the same peer list from the same few settings; nothing is discovered.
 *
 * @param clusterName     the cluster's name, from which the Raft group id is derived
 * @param replicaPrefix   pod name prefix, {@code kv-store}
 * @param replicas        number of replicas
 * @param peerHost        host pattern with {@code {pod}}, {@code {ordinal}}, {@code {namespace}}
 * @param namespace       Kubernetes namespace
 * @param raftPort        Raft port of replica 0
 * @param raftPortStride  port step per ordinal (0 in Kubernetes, 1 on one machine)
 */
public record Topology(String clusterName, String replicaPrefix, int replicas, String peerHost,
                       String namespace, int raftPort, int raftPortStride) {

    public Topology {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
        }
        if (replicaPrefix == null || replicaPrefix.isBlank()) {
            throw new IllegalArgumentException("the replica prefix must not be empty");
        }
        if (raftPort < 1 || raftPort + (long) (replicas - 1) * raftPortStride > 65535) {
            throw new IllegalArgumentException("raft ports out of range: " + raftPort + " + i * " + raftPortStride);
        }
    }

    /** The ordinal of a pod name: {@code kv-store-2} → 2. */
    public int ordinalOf(String podName) {
        Matcher m = replicaName(replicaPrefix, podName);
        if (!m.matches()) {
            throw new IllegalArgumentException("pod name '" + podName + "' is not '" + replicaPrefix
                    + "-<ordinal>': a replica takes its identity from its StatefulSet pod name");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Whether {@code podName} is a replica's, {@code <replicaPrefix>-<ordinal>}. */
    public static boolean isReplicaName(String replicaPrefix, String podName) {
        return replicaName(replicaPrefix, podName).matches();
    }

    private static Matcher replicaName(String replicaPrefix, String podName) {
        return Pattern.compile(Pattern.quote(replicaPrefix) + "-(0|[1-9][0-9]{0,8})").matcher(podName);
    }

    public String podName(int ordinal) {
        return replicaPrefix + "-" + ordinal;
    }

    public String host(int ordinal) {
        return peerHost.replace("{pod}", podName(ordinal))
                .replace("{ordinal}", Integer.toString(ordinal))
                .replace("{namespace}", namespace);
    }

    public int port(int ordinal) {
        return raftPort + ordinal * raftPortStride;
    }

    public String address(int ordinal) {
        return host(ordinal) + ":" + port(ordinal);
    }

    public RaftPeer peer(int ordinal) {
        return RaftPeer.newBuilder()
                .setId(RaftPeerId.valueOf(podName(ordinal)))
                .setAddress(address(ordinal))
                .build();
    }

    public List<RaftPeer> peers() {
        List<RaftPeer> peers = new ArrayList<>(replicas);
        for (int i = 0; i < replicas; i++) {
            peers.add(peer(i));
        }
        return List.copyOf(peers);
    }

    /** The same name always gives the same group id, on every pod. */
    public RaftGroupId groupId() {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
                ("ordinal:" + clusterName).getBytes(StandardCharsets.UTF_8)));
    }

    public RaftGroup group() {
        return RaftGroup.valueOf(groupId(), peers());
    }
}
