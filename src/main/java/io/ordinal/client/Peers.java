package io.ordinal.client;

import io.ordinal.cluster.Topology;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The replicas a frontend knows: the configured ones, every member learned since from the leader's
 * configuration (the group grows when the StatefulSet is scaled), and which one led last.
 */
final class Peers {

    private final Topology topology;
    private final Map<RaftPeerId, RaftPeer> known = new ConcurrentHashMap<>();
    private final AtomicReference<RaftPeerId> leader = new AtomicReference<>();

    Peers(Topology topology) {
        this.topology = topology;
        topology.peers().forEach(this::learn);
    }

    void learn(RaftPeer peer) {
        known.putIfAbsent(peer.getId(), peer);
    }

    /** Every known replica, in ordinal order. */
    List<RaftPeer> all() {
        List<RaftPeer> all = new ArrayList<>(known.values());
        all.sort(Comparator.comparing(this::order));
        return all;
    }

    /** Every known replica, the last known leader first. */
    List<RaftPeer> leaderFirst() {
        List<RaftPeer> all = all();
        RaftPeerId hint = leader.get();
        if (hint != null) {
            all.sort(Comparator.comparing(p -> !p.getId().equals(hint)));
        }
        return all;
    }

    /** The replica that led last, as far as this frontend knows; null when it knows none. */
    RaftPeerId leader() {
        return leader.get();
    }

    void leaderIs(RaftPeerId id) {
        if (id != null && known.containsKey(id)) {
            leader.set(id);
        }
    }

    /** Replicas in ordinal order, anything else after them by name. */
    String order(RaftPeer peer) {
        try {
            return String.format("%010d", topology.ordinalOf(peer.getId().toString()));
        } catch (IllegalArgumentException e) {
            return "~" + peer.getId();
        }
    }
}
