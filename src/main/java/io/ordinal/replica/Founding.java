package io.ordinal.replica;

import io.ordinal.cluster.Topology;
import io.ordinal.security.tls.RaftTls;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.jboss.logging.Logger;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a replica on a fresh disk does before it is in the group. Its Raft server runs with no group
 * at all, so that it answers other replicas' probes ("I have nothing") while it asks them the same,
 * again and again, until one of two things is known:
 * <ul>
 *   <li>every other founding ordinal answers and is fresh too (no group, or a group whose log is
 *       empty): this is a new cluster, and the founding ordinal founds the group with all of them;</li>
 *   <li>some replica answers with data: the group exists, and this replica joins it as a new member.
 *       Its server stops first: a server without the group would answer clients with an error that
 *       Ratis's client does not retry, while one that is not there is simply tried again elsewhere.
 *       It asks to be removed if the group still counts it (see {@link Rejoin}), then starts again in
 *       no configuration and waits for the leader to add it.</li>
 * </ul>
 * Anything else — a founding peer that does not answer yet — could be a replica with acknowledged
 * writes whose peers lost their volumes: founding then would make this replica an empty voter that
 * votes for anyone, and could elect a leader without those writes. So it waits, not ready.
 */
final class Founding implements Closeable {

    private static final Logger LOG = Logger.getLogger(Founding.class);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(300);
    /** One attempt to be removed from a group that still counts this replica; the next round tries again. */
    private static final Duration REJOIN_ATTEMPT = Duration.ofSeconds(10);

    /** What one peer answered. */
    enum Answer { SILENT, FRESH, HOLDS_DATA }

    /** One peer and its answer; {@code group} is the configuration it reports when it holds data. */
    record PeerAnswer(int ordinal, Answer answer, RaftGroup group) {
    }

    /** What to do after one round of probes. */
    sealed interface Decision permits Found, Join, Wait {
    }

    record Found() implements Decision {
    }

    /** Join the running group, as reported by a replica that holds data. */
    record Join(RaftGroup group) implements Decision {
    }

    record Wait(String reason) implements Decision {
    }

    private final Topology topology;
    private final RaftPeer self;
    private final boolean founder;
    private final int peersToAsk;
    private final Steps steps;
    private final RaftTls tls;
    private final PeerProbe probe;
    private final ScheduledExecutorService executor;
    private volatile String waitingFor = "probing the other replicas";
    /** Once a replica with data has answered, this replica only ever joins. */
    private boolean joining;

    /** What the replica does once decided. */
    interface Steps {
        /** Adds the group with every founding ordinal to the running server. */
        void found() throws IOException;

        /** Stops the server that has no group (before asking to be removed, and starting again in the group). */
        void stopServing() throws IOException;

        /** Starts the server again in the group's id and no configuration, to be added by the leader. */
        void startAsNewMember() throws IOException;
    }

    /**
     * @param founder    whether this replica may found the group (a founding ordinal that never left it)
     * @param peersToAsk how many ordinals to ask (from 0): at least the founding ones
     * @param steps      what to do once decided
     */
    Founding(Topology topology, RaftPeer self, boolean founder, int peersToAsk, RaftTls tls, Steps steps) {
        this.topology = topology;
        this.self = self;
        this.founder = founder;
        this.peersToAsk = peersToAsk;
        this.steps = steps;
        this.tls = tls;
        this.probe = new PeerProbe(topology.groupId(), tls);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, self.getId() + "-founding");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        executor.scheduleWithFixedDelay(this::roundQuietly, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why this replica is not in the group yet, or empty once it is. */
    Optional<String> waitingFor() {
        return Optional.ofNullable(waitingFor);
    }

    private void roundQuietly() {
        try {
            round();
        } catch (Throwable e) { // anything that escapes would cancel the schedule for good
            LOG.warnf("%s: deciding whether to found or join the group failed (tried again in a moment): %s",
                    self.getId(), e.getMessage());
        }
    }

    private void round() throws IOException {
        List<PeerAnswer> answers = new ArrayList<>();
        for (int i = 0; i < peersToAsk; i++) {
            if (!topology.peer(i).getId().equals(self.getId())) {
                answers.add(ask(i));
            }
        }
        Decision decision = decide(founder && !joining, topology.replicas(), answers);
        if (decision instanceof Wait wait) {
            if (!wait.reason().equals(waitingFor)) {
                LOG.infof("%s has a fresh disk and %s", self.getId(), wait.reason());
            }
            waitingFor = wait.reason();
            return;
        }
        if (decision instanceof Join join) {
            if (!joining) {
                joining = true;
                steps.stopServing();
            }
            if (join.group().getPeer(self.getId()) != null) {
                LOG.warnf("%s has a fresh disk but the group still counts it as a member: it asks to be removed and"
                        + " added back, so that it catches up before it votes", self.getId());
                waitingFor = "waiting to be removed from the group, which still counts this replica as a member";
                Rejoin.removeStaleSelf(topology.groupId(), tls, self, List.copyOf(join.group().getPeers()), REJOIN_ATTEMPT);
            }
            LOG.infof("%s has a fresh disk and waits for the leader to add it to %s", self.getId(),
                    join.group().getPeers());
            steps.startAsNewMember();
        } else {
            LOG.infof("%s: every founding replica answers with a fresh disk: founding the group %s", self.getId(),
                    topology.group().getPeers());
            steps.found();
        }
        waitingFor = null;
        executor.shutdown(); // decided and done: no more rounds
    }

    /**
     * One round's decision. A replica that holds data wins over everything (the group exists); a founder
     * founds only when every other founding ordinal answers fresh; otherwise wait.
     */
    static Decision decide(boolean founder, int foundingReplicas, List<PeerAnswer> answers) {
        Optional<PeerAnswer> holder = answers.stream()
                .filter(a -> a.answer() == Answer.HOLDS_DATA && !a.group().getPeers().isEmpty())
                .findFirst();
        if (holder.isPresent()) {
            return new Join(holder.get().group());
        }
        if (answers.stream().anyMatch(a -> a.answer() == Answer.HOLDS_DATA)) {
            return new Wait("waits for a replica that holds data to report the group's members");
        }
        if (!founder) {
            return new Wait("waits for a replica of the running group to answer, to join it");
        }
        List<Integer> silent = answers.stream()
                .filter(a -> a.answer() == Answer.SILENT && a.ordinal() < foundingReplicas)
                .map(PeerAnswer::ordinal)
                .toList();
        return silent.isEmpty() ? new Found()
                : new Wait("waits for the founding ordinals " + silent + " to answer before it founds or joins the group");
    }

    private PeerAnswer ask(int ordinal) {
        RaftPeer peer = topology.peer(ordinal);
        Optional<Boolean> hasGroup = probe.hasGroup(peer);
        if (hasGroup.isEmpty()) {
            probe.forget(peer); // the next round connects afresh
            return new PeerAnswer(ordinal, Answer.SILENT, null);
        }
        if (!hasGroup.get()) {
            return new PeerAnswer(ordinal, Answer.FRESH, null); // a fresh disk that is still deciding, too
        }
        Optional<GroupInfoReply> info = probe.info(peer);
        if (info.isEmpty()) {
            return new PeerAnswer(ordinal, Answer.SILENT, null); // has the group but cannot tell of it yet
        }
        return hasData(info.get()) ? new PeerAnswer(ordinal, Answer.HOLDS_DATA, info.get().getGroup())
                : new PeerAnswer(ordinal, Answer.FRESH, null);
    }

    /**
     * A log entry of any term (even a leader's first configuration entry), a snapshot, or leadership
     * means the group exists. A replica that has founded but whose group has not elected a leader yet
     * holds nothing: its peers may still found with it.
     */
    static boolean hasData(GroupInfoReply info) {
        var log = info.getLogInfoProto();
        return info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER
                || log.getLastEntry().getTerm() > 0
                || log.getLastSnapshot().getTerm() > 0
                || log.getApplied().getTerm() > 0;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        probe.close();
    }
}
