package io.ordinal.frontend;

import io.ordinal.cluster.Topology;
import io.ordinal.command.Command;
import io.ordinal.command.CommandCodec;
import io.ordinal.command.KeyValue;
import io.ordinal.command.Query;
import io.ordinal.command.RangeResult;
import io.ordinal.command.WriteResult;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

import java.io.Closeable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.Comparator;
import java.util.Collection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The frontend's view of the cluster: an asynchronous Ratis client of the group. Nothing here blocks
 * the caller's thread; every call answers within the request deadline or fails with
 * {@link UnavailableException}.
 *
 * <p>Writes go to the leader (Ratis follows {@code NotLeaderException} redirects). Retries after a
 * leader change are Ratis's own retries of the same call (same client id and call id), which the
 * leader's retry cache deduplicates: a client request is never applied twice.
 */
public final class KvClient implements Closeable {

    private final Topology topology;
    private final Duration deadline;
    private final RaftClient client;
    /**
     * Stale reads go to one chosen replica. Ratis orders a client's async requests in one sliding
     * window per target, and the server keys its window by client id alone, so requests aimed at a
     * replica must not share a client with leader-routed writes: each replica gets its own client.
     */
    private final Map<Integer, RaftClient> staleClients = new ConcurrentHashMap<>();
    private final RaftProperties clientProperties;
    private final List<RaftPeer> peers;
    private final AtomicInteger nextStalePeer = new AtomicInteger();
    /**
     * Ratis's group-management calls block, so cluster status is gathered off the event loop, by
     * clients of its own, one per peer: no retries (a silent replica is reported UNREACHABLE, not
     * waited for) and no influence on where the main client thinks the leader is.
     */
    private final Map<RaftPeerId, RaftClient> adminClients = new ConcurrentHashMap<>();
    /** The configured replicas, and every member learned since from the leader's configuration. */
    private final Map<RaftPeerId, RaftPeer> knownPeers = new ConcurrentHashMap<>();
    private final ExecutorService adminExecutor;

    public KvClient(Topology topology, Duration deadline) {
        this.topology = topology;
        this.deadline = deadline;
        this.peers = topology.peers();
        RaftProperties p = new RaftProperties();
        Duration attemptTimeout = deadline.dividedBy(2).compareTo(Duration.ofSeconds(3)) > 0
                ? Duration.ofSeconds(3) : deadline.dividedBy(2);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(attemptTimeout));
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 10_000);
        this.client = RaftClient.newBuilder()
                .setRaftGroup(topology.group())
                .setProperties(p)
                .setRetryPolicy(retryPolicy(deadline))
                .build();
        this.clientProperties = p;
        peers.forEach(peer -> knownPeers.put(peer.getId(), peer));
        this.adminExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ordinal-cluster-status");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Ratis retries a call (same client id and call id) every 100 ms until the request deadline has
     * passed since the call began, then gives up. The bound matters for exactly-once: the replicas'
     * retry cache (120 s) must outlive every retry of a call, or a late retry of a committed write
     * would be applied again.
     */
    static RetryPolicy retryPolicy(Duration deadline) {
        RetryPolicy everyTenthOfASecond = RetryPolicies.retryForeverWithSleep(
                TimeDuration.valueOf(100, TimeUnit.MILLISECONDS));
        TimeDuration giveUpAfter = millis(deadline);
        RequestTypeDependentRetryPolicy.Builder b = RequestTypeDependentRetryPolicy.newBuilder();
        for (RaftClientRequestProto.TypeCase type : RaftClientRequestProto.TypeCase.values()) {
            b.setRetryPolicy(type, everyTenthOfASecond).setTimeout(type, giveUpAfter);
        }
        return b.build();
    }

    public Topology topology() {
        return topology;
    }

    public Duration deadline() {
        return deadline;
    }

    /** Orders a write through the leader; the state machine's answer says what happened. */
    public CompletableFuture<WriteResult> write(Command command) {
        return within(client.async().send(message(CommandCodec.encode(command))), CommandCodec::decodeWriteResult);
    }

    public CompletableFuture<KeyValue> get(byte[] key, Consistency consistency) {
        return read(new Query.Get(key), consistency, buf -> CommandCodec.decodeGetResult(key, buf));
    }

    /** A stale read from one given replica's local state (for operators and tests). */
    public CompletableFuture<KeyValue> getFrom(int ordinal, byte[] key) {
        Message m = message(CommandCodec.encode(new Query.Get(key)));
        return within(staleClient(ordinal).async().sendStaleRead(m, 0, topology.peer(ordinal).getId()),
                buf -> CommandCodec.decodeGetResult(key, buf));
    }

    public CompletableFuture<RangeResult> range(Query.Range range, Consistency consistency) {
        return read(range, consistency, CommandCodec::decodeRangeResult);
    }

    private <T> CompletableFuture<T> read(Query query, Consistency consistency, Function<ByteBuffer, T> decode) {
        Message m = message(CommandCodec.encode(query));
        if (consistency == Consistency.LINEARIZABLE) {
            return within(client.async().sendReadOnlyUnordered(m), decode);
        }
        return within(staleRead(m, 0, nextStalePeer.getAndIncrement()), decode);
    }

    /** The client that sends stale reads to replica {@code ordinal} alone (any ordinal, scaled-up ones too). */
    private RaftClient staleClient(int ordinal) {
        return staleClients.computeIfAbsent(ordinal, o -> RaftClient.newBuilder()
                .setRaftGroup(RaftGroup.valueOf(topology.groupId(), topology.peer(o)))
                .setLeaderId(topology.peer(o).getId())
                .setProperties(clientProperties)
                .setRetryPolicy(RetryPolicies.noRetry())
                .build());
    }

    /** A stale read from one replica after another, until one answers. */
    private CompletableFuture<RaftClientReply> staleRead(Message m, int tried, int start) {
        int i = Math.floorMod(start + tried, peers.size());
        return staleClient(i).async().sendStaleRead(m, 0, peers.get(i).getId())
                .orTimeout(Math.max(200, deadline.toMillis() / peers.size()), TimeUnit.MILLISECONDS)
                .handle((reply, error) -> {
                    if (error == null && reply.isSuccess()) {
                        return CompletableFuture.completedFuture(reply);
                    }
                    if (tried + 1 >= peers.size()) {
                        return error != null ? CompletableFuture.<RaftClientReply>failedFuture(error)
                                : CompletableFuture.completedFuture(reply);
                    }
                    return staleRead(m, tried + 1, start);
                })
                .thenCompose(Function.identity());
    }

    /**
     * Status of every member of the group, asked of each one in parallel; silent ones are
     * UNREACHABLE. The members are the leader's current configuration (voters and listeners), so the
     * answer follows scaling; without a leader, the configured replicas are shown.
     */
    public CompletableFuture<ClusterStatus> cluster() {
        return infos(knownPeers.values()).thenCompose(first -> {
            List<RaftPeer> members = membersFrom(first.values());
            List<RaftPeer> unasked = members.stream().filter(p -> !first.containsKey(p.getId())).toList();
            return infos(unasked).thenApply(more -> {
                Map<RaftPeerId, GroupInfoReply> all = new HashMap<>(first);
                all.putAll(more);
                return status(members, all);
            });
        });
    }

    /** Group info from each peer, in parallel, within a short bound; peers that do not answer are left out. */
    private CompletableFuture<Map<RaftPeerId, GroupInfoReply>> infos(Collection<RaftPeer> peers) {
        long timeoutMs = Math.min(2000, deadline.toMillis());
        Map<RaftPeerId, CompletableFuture<GroupInfoReply>> calls = new LinkedHashMap<>();
        for (RaftPeer peer : peers) {
            calls.put(peer.getId(), CompletableFuture.supplyAsync(() -> {
                        try {
                            return adminClients.computeIfAbsent(peer.getId(), id -> adminClient(peer))
                                    .getGroupManagementApi(peer.getId()).info(topology.groupId());
                        } catch (IOException e) {
                            throw new CompletionException(e);
                        }
                    }, adminExecutor)
                    .completeOnTimeout(null, timeoutMs, TimeUnit.MILLISECONDS)
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
                    members.forEach(p -> knownPeers.putIfAbsent(p.getId(), p));
                    members.sort(Comparator.comparing(this::memberOrder));
                    return members;
                })
                .orElse(peers);
    }

    private static RaftPeer peerOf(RaftPeerProto proto) {
        return RaftPeer.newBuilder().setId(RaftPeerId.valueOf(proto.getId())).setAddress(proto.getAddress()).build();
    }

    /** Replicas in ordinal order, anything else after them by name. */
    private String memberOrder(RaftPeer peer) {
        try {
            return String.format("%010d", topology.ordinalOf(peer.getId().toString()));
        } catch (IllegalArgumentException e) {
            return "~" + peer.getId();
        }
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
        return new ClusterStatus(leader, Math.max(leaderTerm, maxTerm), list);
    }

    /** A client of one peer for group info: no retries, a short timeout. */
    private RaftClient adminClient(RaftPeer peer) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
        return RaftClient.newBuilder()
                .setRaftGroup(RaftGroup.valueOf(topology.groupId(), peer))
                .setProperties(p)
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
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

    /**
     * Bounds a Ratis call by the request deadline and turns its failures into ours: anything that
     * means "no answer from a quorum" becomes {@link UnavailableException}.
     */
    private <T> CompletableFuture<T> within(CompletableFuture<RaftClientReply> call, Function<ByteBuffer, T> decode) {
        return call.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .handle((reply, error) -> {
                    if (error == null && !reply.isSuccess()) {
                        error = reply.getException();
                    }
                    if (error != null) {
                        throw translate(error);
                    }
                    return decode.apply(reply.getMessage().getContent().asReadOnlyByteBuffer());
                });
    }

    private RuntimeException translate(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof StateMachineException sme) {
            return new IllegalStateException("a replica failed to execute the request: " + sme.getMessage(), sme);
        }
        if (cause instanceof TimeoutException) {
            return new UnavailableException("no answer from a quorum of replicas within " + deadline.toMillis() + " ms", cause);
        }
        return new UnavailableException("the cluster could not answer: " + cause.getMessage(), cause);
    }

    private static Message message(byte[] bytes) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        adminExecutor.shutdownNow();
        for (RaftClient c : adminClients.values()) {
            c.close();
        }
        for (RaftClient c : staleClients.values()) {
            c.close();
        }
        client.close();
    }
}
