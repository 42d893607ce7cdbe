package io.ordinal.replica;

import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftConfiguration;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A replica that was scaled away (its ordinal is at or above the desired replica count) does not
 * simply stop: it waits, within a bound, until the leader has removed it from the group — the
 * leader's {@link MembershipReconciler} does that, handing leadership over first if it must — and
 * then clears its volume. A restart is not a scale-down: a replica whose ordinal is still wanted
 * never leaves.
 */
final class Leaving {

    private static final Logger LOG = Logger.getLogger(Leaving.class);

    private Leaving() {
    }

    /** @return true once the leader's committed configuration no longer has {@code replica} */
    static boolean awaitRemoval(ReplicaServer replica, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (PeerProbe probe = new PeerProbe(replica.topology().groupId(), replica.tls())) {
            while (System.nanoTime() < deadline) {
                if (removedByLeader(replica, probe)) {
                    return true;
                }
                try {
                    Thread.sleep(250); // polling another process's state: nothing to wait on locally
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        LOG.warnf("%s was not removed from the group within %s; stopping without clearing its volume",
                replica.id(), timeout);
        return false;
    }

    private static boolean removedByLeader(ReplicaServer replica, PeerProbe probe) throws IOException {
        RaftConfiguration local = replica.division().getRaftConf();
        Set<RaftPeer> peers = new LinkedHashSet<>(local.getAllPeers());
        peers.addAll(local.getPreviousPeers());
        peers.addAll(local.getPreviousPeers(RaftPeerRole.LISTENER));
        for (RaftPeer peer : peers) {
            if (peer.getId().equals(replica.id())) {
                continue;
            }
            Optional<GroupInfoReply> info = probe.info(peer);
            if (info.isPresent() && info.get().getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                return info.get().getConf().map(conf -> isStableWithout(conf, replica.id().toString())).orElse(false);
            }
        }
        return false;
    }

    private static boolean isStableWithout(RaftConfigurationProto conf, String id) {
        boolean stable = conf.getOldPeersCount() == 0 && conf.getOldListenersCount() == 0;
        return stable && Stream.concat(conf.getPeersList().stream(), conf.getListenersList().stream())
                .map(RaftPeerProto::getId)
                .noneMatch(peerId -> peerId.toStringUtf8().equals(id));
    }
}
