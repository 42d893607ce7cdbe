package io.ordinal.replica;

import io.ordinal.cluster.DesiredReplicas;
import io.ordinal.cluster.MembershipPlan;
import io.ordinal.cluster.MembershipPlan.AddVoter;
import io.ordinal.cluster.MembershipPlan.HandOverLeadership;
import io.ordinal.cluster.MembershipPlan.Remove;
import io.ordinal.cluster.MembershipPlan.Step;
import io.ordinal.cluster.MembershipPlan.Wait;
import io.ordinal.cluster.Topology;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.TimeDuration;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Keeps the Raft group's membership equal to the desired replica count. It runs on every replica and
 * acts only on the leader: every interval it reads the desired count, asks {@link MembershipPlan} for
 * the next step and applies it with a compare-and-set configuration change, so that a step computed
 * from an outdated view fails instead of undoing someone else's.
 */
final class MembershipReconciler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MembershipReconciler.class);
    /** A member within this many entries of the leader's commit index counts as caught up (Ratis's staging gap). */
    static final long CATCH_UP_GAP = 1000;

    private final ReplicaServer replica;
    private final Topology topology;
    private final DesiredReplicas desired;
    private final PeerProbe probe;
    private final ScheduledExecutorService executor;
    private volatile String lastReason = "";

    MembershipReconciler(ReplicaServer replica, DesiredReplicas desired) {
        this.replica = replica;
        this.topology = replica.topology();
        this.desired = desired;
        this.probe = new PeerProbe(topology.groupId(), replica.tls());
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, replica.id() + "-membership");
            t.setDaemon(true);
            return t;
        });
    }

    void start(Duration interval) {
        executor.scheduleWithFixedDelay(this::reconcileQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void reconcileQuietly() {
        try {
            reconcileOnce();
        } catch (Throwable e) { // anything that escapes would cancel the schedule for good
            LOG.warnf("membership change failed (retried in a moment): %s", e.getMessage());
        }
    }

    /** One look at the group, and at most one change. */
    Step reconcileOnce() throws IOException {
        RaftServer.Division division = replica.division();
        if (!division.getInfo().isLeader() || !division.getInfo().isLeaderReady()) {
            return new Wait("not the leader");
        }
        OptionalInt want = desired.get();
        if (want.isEmpty()) {
            return note(new Wait("the desired replica count is unknown"));
        }
        RaftConfiguration conf = division.getRaftConf();
        Collection<RaftPeer> voters = conf.getCurrentPeers(RaftPeerRole.FOLLOWER);
        Collection<RaftPeer> listeners = conf.getCurrentPeers(RaftPeerRole.LISTENER);
        Map<Integer, Long> commitIndex = division.getCommitInfos().stream()
                .filter(c -> isReplica(RaftPeerId.valueOf(c.getServer().getId())))
                .collect(Collectors.toMap(c -> ordinal(RaftPeerId.valueOf(c.getServer().getId())),
                        CommitInfoProto::getCommitIndex, Math::max));
        long leaderCommit = division.getRaftLog().getLastCommittedIndex();
        MembershipPlan.View view = new MembershipPlan.View(ordinals(voters), ordinals(listeners), replica.ordinal(),
                conf.getPreviousPeers().isEmpty() && conf.getPreviousPeers(RaftPeerRole.LISTENER).isEmpty(),
                o -> commitIndex.getOrDefault(o, 0L) >= leaderCommit - CATCH_UP_GAP,
                o -> probe.info(topology.peer(o)).isPresent());
        Step step = MembershipPlan.next(view, want.getAsInt());
        apply(step, voters, listeners);
        return note(step);
    }

    private void apply(Step step, Collection<RaftPeer> voters, Collection<RaftPeer> listeners) throws IOException {
        List<RaftPeer> newVoters = new ArrayList<>(voters);
        List<RaftPeer> newListeners = new ArrayList<>(listeners);
        if (step instanceof AddVoter add) {
            newVoters.add(topology.peer(add.ordinal()));
        } else if (step instanceof Remove remove) {
            RaftPeerId id = topology.peer(remove.ordinal()).getId();
            newVoters.removeIf(p -> p.getId().equals(id));
            newListeners.removeIf(p -> p.getId().equals(id));
        } else if (step instanceof HandOverLeadership handOver) {
            LOG.infof("membership: %s is scaled away and leads; handing leadership to %s", replica.id(),
                    topology.podName(handOver.to()));
            try (RaftClient client = adminClient(voters, listeners)) {
                client.admin().transferLeadership(topology.peer(handOver.to()).getId(), 5000);
            }
            return;
        } else {
            return;
        }
        LOG.infof("membership: %s (voters %s, listeners %s)", describe(step), names(newVoters), names(newListeners));
        SetConfigurationRequest.Arguments arguments = SetConfigurationRequest.Arguments.newBuilder()
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                .setServersInCurrentConf(new ArrayList<>(voters))
                .setListenersInCurrentConf(new ArrayList<>(listeners))
                .setServersInNewConf(newVoters)
                .setListenersInNewConf(newListeners)
                .build();
        try (RaftClient client = adminClient(voters, listeners)) {
            RaftClientReply reply = client.admin().setConfiguration(arguments);
            if (!reply.isSuccess()) {
                throw new IOException(describe(step) + " was refused: " + reply.getException());
            }
        }
    }

    /**
     * A client of this leader alone, for one configuration change. A change returns once committed;
     * adding a replica first waits for it to catch up, which may outlast this client's timeout: the
     * leader goes on, and the next round finds the change in progress or done.
     */
    private RaftClient adminClient(Collection<RaftPeer> voters, Collection<RaftPeer> listeners) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(30, TimeUnit.SECONDS));
        List<RaftPeer> all = new ArrayList<>(voters);
        all.addAll(listeners);
        return RaftClient.newBuilder()
                .setRaftGroup(RaftGroup.valueOf(topology.groupId(), all))
                .setLeaderId(replica.id())
                .setProperties(p)
                .setParameters(replica.tls().parameters())
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
    }

    private Step note(Step step) {
        String reason = step instanceof Wait wait ? wait.reason() : describe(step);
        if (!reason.equals(lastReason)) {
            LOG.debugf("membership: %s", reason);
            lastReason = reason;
        }
        return step;
    }

    private String describe(Step step) {
        if (step instanceof AddVoter s) {
            return "adding " + topology.podName(s.ordinal()) + " (it catches up before it votes)";
        } else if (step instanceof Remove s) {
            return "removing " + topology.podName(s.ordinal());
        } else if (step instanceof HandOverLeadership s) {
            return "handing leadership to " + topology.podName(s.to());
        }
        return ((Wait) step).reason();
    }

    private TreeSet<Integer> ordinals(Collection<RaftPeer> peers) {
        TreeSet<Integer> ordinals = new TreeSet<>();
        for (RaftPeer p : peers) {
            if (isReplica(p.getId())) {
                ordinals.add(ordinal(p.getId()));
            }
        }
        return ordinals;
    }

    private boolean isReplica(RaftPeerId id) {
        try {
            topology.ordinalOf(id.toString());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private int ordinal(RaftPeerId id) {
        return topology.ordinalOf(id.toString());
    }

    private static List<String> names(Collection<RaftPeer> peers) {
        return peers.stream().map(p -> p.getId().toString()).sorted().toList();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        probe.close();
    }
}
