package io.ordinal.client;

import io.ordinal.cluster.Topology;
import io.ordinal.security.tls.RaftTls;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The group as its members report it: every member is asked for its Ratis group info, in parallel,
 * within a short bound. The members are the leader's current configuration (voters and listeners),
 * so the answer follows scaling; without a leader, the known replicas are shown.
 *
 * <p>Ratis's group-management calls block, so they run off the event loop, through clients of their
 * own, one per replica: no retries (a silent replica is reported UNREACHABLE, not waited for).
 */
final class GroupStatus implements Closeable {

    private final Topology topology;
    private final Peers peers;
    private final Duration bound;
    private final RaftTls tls;
    private final Map<RaftPeerId, RaftClient> clients = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ordinal-cluster-status");
        t.setDaemon(true);
        return t;
    });

    GroupStatus(Topology topology, Peers peers, Duration bound, RaftTls tls) {
        this.topology = topology;
        this.peers = peers;
        this.bound = bound;
        this.tls = tls;
    }

    CompletableFuture<ClusterStatus> get() {
        return infos(peers.all()).thenCompose(first -> {
            List<RaftPeer> members = membersFrom(first.values());
            List<RaftPeer> unasked = members.stream().filter(p -> !first.containsKey(p.getId())).toList();
            return infos(unasked).thenApply(more -> {
                Map<RaftPeerId, GroupInfoReply> all = new HashMap<>(first);
                all.putAll(more);
                return status(members, all);
            });
        });
    }

    /** Group info from each peer, in parallel; peers that do not answer in time are left out. */
    private CompletableFuture<Map<RaftPeerId, GroupInfoReply>> infos(Collection<RaftPeer> asked) {
        Map<RaftPeerId, CompletableFuture<GroupInfoReply>> calls = new LinkedHashMap<>();
        for (RaftPeer peer : asked) {
            calls.put(peer.getId(), CompletableFuture.supplyAsync(() -> {
                        try {
                            return client(peer).getGroupManagementApi(peer.getId()).info(topology.groupId());
                        } catch (IOException e) {
                            throw new CompletionException(e);
                        }
                    }, executor)
                    .completeOnTimeout(null, bound.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(e -> null));
        }
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<RaftPeerId, GroupInfoReply> answers = new HashMap<>();
            calls.forEach((id, call) -> {
                GroupInfoReply reply = call.join();
                if (reply != null && reply.isSuccess()) {
                    answers.put(id, reply);
                }
            });
            return answers;
        });
    }

    /** The configuration of the replica with the highest term that knows one, the leader's when there is a leader. */
    private List<RaftPeer> membersFrom(Collection<GroupInfoReply> replies) {
        Comparator<GroupInfoReply> authority = Comparator
                .comparing((GroupInfoReply r) -> r.getRoleInfoProto().getRole() == RaftPeerRole.LEADER)
                .thenComparingLong(r -> r.getLogInfoProto().getLastEntry().getTerm());
        return replies.stream()
                .filter(r -> r.getConf().isPresent() && r.getConf().get().getPeersCount() > 0)
                .max(authority)
                .map(r -> {
                    List<RaftPeer> members = new ArrayList<>();
                    r.getConf().get().getPeersList().forEach(p -> members.add(peerOf(p)));
                    r.getConf().get().getListenersList().forEach(p -> members.add(peerOf(p)));
                    members.forEach(peers::learn);
                    members.sort(Comparator.comparing(peers::order));
                    return members;
                })
                .orElseGet(peers::all);
    }

    private ClusterStatus status(List<RaftPeer> members, Map<RaftPeerId, GroupInfoReply> infos) {
        List<ClusterStatus.Member> list = new ArrayList<>();
        String leader = null;
        long leaderTerm = -1;
        long maxTerm = 0;
        for (RaftPeer peer : members) {
            GroupInfoReply info = infos.get(peer.getId());
            if (info == null) {
                list.add(new ClusterStatus.Member(peer.getId().toString(), peer.getAddress(), "UNREACHABLE", 0, 0));
                continue;
            }
            var role = info.getRoleInfoProto();
            var log = info.getLogInfoProto();
            maxTerm = Math.max(maxTerm, log.getLastEntry().getTerm());
            if (role.getRole() == RaftPeerRole.LEADER && role.getLeaderInfo().getTerm() > leaderTerm) {
                leader = peer.getId().toString();
                leaderTerm = role.getLeaderInfo().getTerm();
            }
            list.add(new ClusterStatus.Member(peer.getId().toString(), peer.getAddress(),
                    roleName(role.getRole()), log.getCommitted().getIndex(), log.getApplied().getIndex()));
        }
        if (leader != null) {
            peers.leaderIs(RaftPeerId.valueOf(leader));
        }
        return new ClusterStatus(leader, Math.max(leaderTerm, maxTerm), list);
    }

    private static RaftPeer peerOf(RaftPeerProto proto) {
        return RaftPeer.newBuilder().setId(RaftPeerId.valueOf(proto.getId())).setAddress(proto.getAddress()).build();
    }

    private static String roleName(RaftPeerRole role) {
        return switch (role) {
            case LEADER -> "LEADER";
            case FOLLOWER -> "FOLLOWER";
            case CANDIDATE -> "CANDIDATE";
            case LISTENER -> "LISTENER";
            default -> "UNREACHABLE";
        };
    }

    private RaftClient client(RaftPeer peer) {
        return clients.computeIfAbsent(peer.getId(), id -> {
            RaftProperties p = new RaftProperties();
            RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
            return RaftClient.newBuilder()
                    .setRaftGroup(RaftGroup.valueOf(topology.groupId(), peer))
                    .setProperties(p)
                    .setParameters(tls.parameters())
                    .setRetryPolicy(RetryPolicies.noRetry())
                    .build();
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
        for (RaftClient c : clients.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
