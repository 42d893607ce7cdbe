package io.ordinal.client;

import io.ordinal.cluster.Topology;
import io.ordinal.command.Command;
import io.ordinal.command.KeyValue;
import io.ordinal.command.LeaseInfo;
import io.ordinal.command.LeaseResult;
import io.ordinal.command.LogFormat;
import io.ordinal.command.OrdinalException;
import io.ordinal.command.Query;
import io.ordinal.command.QueryFormat;
import io.ordinal.command.RangeResult;
import io.ordinal.command.ResultFormat;
import io.ordinal.command.StoreStatus;
import io.ordinal.command.TxnResult;
import io.ordinal.command.WriteResult;
import io.ordinal.security.tls.RaftTls;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The frontend's view of the cluster: asynchronous Ratis clients of the group. Nothing here blocks
 * the caller's thread; every call answers within the request deadline or fails with
 * {@link UnavailableException}.
 *
 * <p>Writes go to the leader through {@link LeaderWrites}: each one Ratis call, sent again after a
 * leader change or to a leader that hangs (same client id and call id), which the replicas' retry
 * cache deduplicates: a client request is never applied twice. Linearizable reads go through
 * {@link ConfirmedReads} (answered by the leader and confirmed by a majority, no log entry) and, when
 * that does not work out, {@link ReplicaReads} at a {@link ReadBarrier}; stale reads through
 * {@link ReplicaReads} alone; the group's status through {@link GroupStatus}.
 */
public final class KvClient implements Closeable {

    /**
     * Write entries on their way to the leader at once: one. Everything that arrives meanwhile leaves as
     * the next entry (group commit). Each entry costs the replicas a Raft round whatever it carries,
     * and on a machine where they share the cores that cost is CPU: measured with the quick loop of
     * loadtest/README.md, alternating on one cluster, puts at 64 connections went from about 4,100 per
     * second with four entries in flight, 5,100 with two, to 6,100 with one (docs/performance.md).
     */
    private static final int WRITES_IN_FLIGHT = 1;

    private final Topology topology;
    private final Duration deadline;
    private final RaftTls tls;
    private final Peers peers;
    private final LeaderWrites leader;
    private final WriteBatcher batcher;
    /** The clients of each replica that reads use: {@link ConfirmedReads}' rounds and {@link ReplicaReads}' attempts. */
    private final ReplicaClients readClients;
    private final ReplicaReads reads;
    private final ConfirmedReads confirmed;
    private final GroupStatus status;
    private final ChangeFeed changes;
    /**
     * Sends the next write batch or read barrier once one completes: never from the Ratis thread
     * that completed it (see {@link WriteBatcher}).
     */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ordinal-log-sender");
        t.setDaemon(true);
        return t;
    });
    /** Ratis's admin calls block: they run here, never on the caller's thread. */
    private final ExecutorService admin = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ordinal-admin");
        t.setDaemon(true);
        return t;
    });

    public KvClient(Topology topology, Duration deadline) {
        this(topology, deadline, Duration.ofSeconds(5));
    }

    /** A client that speaks plain Raft (security disabled). */
    public KvClient(Topology topology, Duration deadline, Duration pollWait) {
        this(topology, deadline, pollWait, RaftTls.plain());
    }

    /**
     * @param pollWait how long one long poll of a watch waits on a replica for a change
     * @param tls      plain Raft, or mutual TLS with every replica
     */
    public KvClient(Topology topology, Duration deadline, Duration pollWait, RaftTls tls) {
        this.topology = topology;
        this.deadline = deadline;
        this.tls = tls;
        this.peers = new Peers(topology);
        RaftProperties p = new RaftProperties();
        // Generous per attempt: when an attempt times out, Ratis reconnects to that replica and waits
        // up to 3 s for the old channel's calls to drain before it retries, so a replica must answer
        // (even with an error) well before this.
        Duration attemptTimeout = deadline.dividedBy(2).compareTo(Duration.ofSeconds(3)) > 0
                ? Duration.ofSeconds(3) : deadline.dividedBy(2);
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(attemptTimeout));
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 10_000);
        // A write's attempt at one replica may wait the whole deadline: LeaderWrites asks the others
        // meanwhile, and takes its answer if it comes.
        RaftProperties writes = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(writes, millis(deadline));
        this.leader = new LeaderWrites(topology, peers, new ReplicaClients(topology, writes, tls, "ordinal-write"), sender);
        this.batcher = new WriteBatcher(this::sendEncoded, sender, WRITES_IN_FLIGHT, 512, 4 << 20);
        // The read path, in order: a round of ConfirmedReads; what it cannot confirm, at a barrier
        // (a log entry, written through the leader like any command) by ReplicaReads.
        this.readClients = new ReplicaClients(topology, p, tls, "ordinal-read");
        this.reads = new ReplicaReads(peers, readClients, new ReadBarrier(leader, deadline, sender), sender);
        this.confirmed = new ConfirmedReads(peers, ConfirmedReads.ratis(readClients), reads::atABarrier, sender);
        this.status = new GroupStatus(topology, peers, Duration.ofMillis(Math.min(2000, deadline.toMillis())), tls);
        this.changes = new ChangeFeed(topology, peers, pollWait, tls);
    }

    /**
     * Ratis retries a call (same client id and call id) every 100 ms until the request deadline has
     * passed since the call began, then gives up (leadership transfers). The bound matters for
     * exactly-once: the replicas' retry cache (120 s) must outlive every retry of a call, or a late
     * retry of a committed write would be applied again.
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

    /** Orders a write through the leader; the state machine's answer says what happened. */
    public CompletableFuture<WriteResult> write(Command.KeyCommand command) {
        // The deadline counts from here: a write that waited for a slot has less time once sent.
        return batcher.submit(command).orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, error) -> {
                    if (error != null) {
                        throw translate(error);
                    }
                    return result;
                });
    }

    /**
     * A transaction, as one log entry: like every write, sent again as the same call (deduplicated
     * by the retry cache, so never applied twice); after a {@code 503} its outcome is unknown.
     */
    public CompletableFuture<TxnResult> txn(Command.Txn txn) {
        return send(txn, ResultFormat::decodeTxnResult);
    }

    /** Grants, keeps alive or revokes a lease, through the log. */
    public CompletableFuture<LeaseResult> lease(Command.LeaseCommand command) {
        return send(command, ResultFormat::decodeLeaseResult);
    }

    private <T> CompletableFuture<T> send(Command command, Function<ByteBuffer, T> decode) {
        return sendEncoded(LogFormat.encode(command)).thenApply(decode);
    }

    /** Sends one encoded command through the log; answers the state machine's reply. */
    private CompletableFuture<ByteBuffer> sendEncoded(byte[] command) {
        return within(leader.send(message(command), deadline), KvClient::notEmpty);
    }

    /**
     * A replica answers a command with nothing only when it had applied the call before and no longer
     * has its result: the record of applied calls that replicas keep with the data (replayed entries
     * and retries are answered from it) is gone, because the retry came more than two minutes of log
     * time later or the answer was over 64 KiB. The write was committed; what it returned is lost. That
     * is an unknown outcome (503), not a server failure.
     */
    static ByteBuffer notEmpty(ByteBuffer reply) {
        if (!reply.hasRemaining()) {
            throw new UnavailableException("the write was committed, but the replica that answered its retry "
                    + "had applied it before and no longer has its result", null);
        }
        return reply;
    }

    /** The store's revision and the oldest revision of its history, linearizably. */
    public CompletableFuture<StoreStatus> storeStatus() {
        return read(new Query.Status(), Consistency.LINEARIZABLE, ResultFormat::decodeStoreStatus);
    }

    /** A lease and its keys, linearizably (from the leader when it answers: only it knows the time left). */
    public CompletableFuture<LeaseInfo> leaseInfo(long id, int maxKeys) {
        return read(new Query.LeaseInfo(id, maxKeys), Consistency.LINEARIZABLE, ResultFormat::decodeLeaseInfo);
    }

    /** Starts following changes at {@code fromRevision}; see {@link Watcher}. */
    public Watcher watch(byte[] key, boolean prefix, long fromRevision, int batchBytes) {
        return watch(key, prefix, Watcher.Position.at(fromRevision), batchBytes);
    }

    /** Starts following changes at {@code from} (a resumed watch's place, possibly inside a revision). */
    public Watcher watch(byte[] key, boolean prefix, Watcher.Position from, int batchBytes) {
        return new Watcher(changes, key, prefix, from, batchBytes, changes.pollWait());
    }

    /**
     * A watch whose polls wait at most {@code pollWait} (up to this client's own) for a change: each
     * answer, even an empty one, confirms that nothing changed up to the poll's start, so a short wait
     * bounds how old that confirmation gets (the access records' cache, {@code security.AuthCache}).
     */
    public Watcher watch(byte[] prefix, Watcher.Position from, int batchBytes, Duration pollWait) {
        Duration wait = pollWait.compareTo(changes.pollWait()) < 0 ? pollWait : changes.pollWait();
        return new Watcher(changes, prefix, true, from, batchBytes, wait);
    }

    /**
     * Hands leadership to {@code target} (a member's id) and waits until it leads, within the request
     * deadline. Already the leader: nothing to do. Fails with {@link NotAMemberException} when the
     * target is not a voting member, and with {@link UnavailableException} when leadership did not move
     * in time.
     */
    public CompletableFuture<ClusterStatus> transferLeadership(String target) {
        return status.get().thenCompose(current -> {
            Optional<ClusterStatus.Member> member = current.members().stream()
                    .filter(m -> m.id().equals(target)).findFirst();
            if (member.isEmpty() || member.get().role().equals("LISTENER")) {
                throw new NotAMemberException("'" + target + "' is not a voting member of the group; members: "
                        + current.members().stream().map(ClusterStatus.Member::id).toList());
            }
            if (target.equals(current.leader())) {
                return CompletableFuture.completedFuture(current);
            }
            return CompletableFuture.supplyAsync(() -> {
                // Sent to the leader the group reports: a replica that does not lead refuses a transfer
                // (DIFFERENT_LEADER) without naming the leader, and no Ratis client of this frontend
                // learns the leader from writes any more (LeaderWrites sends them).
                try (RaftClient client = RaftClient.newBuilder()
                        .setRaftGroup(org.apache.ratis.protocol.RaftGroup.valueOf(topology.groupId(), peers.all()))
                        .setLeaderId(current.leader() == null ? null : RaftPeerId.valueOf(current.leader()))
                        .setProperties(new RaftProperties())
                        .setParameters(tls.parameters())
                        .setRetryPolicy(retryPolicy(deadline))
                        .build()) {
                    RaftClientReply reply = client.admin().transferLeadership(RaftPeerId.valueOf(target), deadline.toMillis());
                    if (!reply.isSuccess()) {
                        throw new UnavailableException("leadership did not move to " + target + " within "
                                + deadline.toMillis() + " ms", reply.getException());
                    }
                    peers.leaderIs(RaftPeerId.valueOf(target));
                    return null;
                } catch (java.io.IOException e) {
                    throw new UnavailableException("leadership did not move to " + target + " within "
                            + deadline.toMillis() + " ms", e);
                }
            }, admin).thenCompose(v -> status.get());
        });
    }

    public CompletableFuture<KeyValue> get(byte[] key, Consistency consistency) {
        return read(new Query.Get(key), consistency, buf -> ResultFormat.decodeGetResult(key, buf));
    }

    public CompletableFuture<RangeResult> range(Query.Range range, Consistency consistency) {
        return read(range, consistency, ResultFormat::decodeRangeResult);
    }

    /** A stale read from one given replica's local state (for operators and tests). */
    public CompletableFuture<KeyValue> getFrom(int ordinal, byte[] key) {
        Message m = message(QueryFormat.encode(new Query.Get(key)));
        return within(reads.staleFrom(topology.peer(ordinal), m, deadline), buf -> ResultFormat.decodeGetResult(key, buf));
    }

    /** One poll of one given replica's history, answered at once (for operators and tests). */
    public CompletableFuture<io.ordinal.command.ChangesResult> changesFrom(int ordinal, byte[] prefix, long fromRevision) {
        Message m = message(QueryFormat.encode(new Query.Changes(fromRevision, 0, prefix, true, 4 << 20, 0)));
        return within(reads.staleFrom(topology.peer(ordinal), m, deadline), ResultFormat::decodeChangesResult);
    }

    private <T> CompletableFuture<T> read(Query query, Consistency consistency, Function<ByteBuffer, T> decode) {
        if (consistency == Consistency.LINEARIZABLE) {
            return answer(confirmed.read(query, deadline), decode);
        }
        return within(reads.stale(message(QueryFormat.encode(query)), deadline), decode);
    }

    /** Bounds an answer by the request deadline and turns its failures into ours (see {@link #within}). */
    private <T> CompletableFuture<T> answer(CompletableFuture<ByteBuffer> answer, Function<ByteBuffer, T> decode) {
        return answer.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .handle((buf, error) -> {
                    if (error != null) {
                        throw translate(error);
                    }
                    return decode.apply(buf);
                });
    }

    /** Status of every member of the group; see {@link GroupStatus}. */
    public CompletableFuture<ClusterStatus> cluster() {
        return status.get();
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
        if (cause instanceof OrdinalException ours) {
            return ours; // translated already: no answer in time, or a replica's answer that does not fit
        }
        if (cause instanceof StateMachineException failed) {
            // The request failed on a replica (its query or command threw): a failure of ours (a 500), not
            // a cluster that did not answer.
            return new ReplicaFailedException("a replica failed to serve the request: " + failed.getMessage(), failed);
        }
        if (cause instanceof IllegalStateException) {
            return new CompletionException(cause); // a bug in our own code: a 500 too, not a cluster that did not answer
        }
        if (cause instanceof TimeoutException) {
            return new UnavailableException("no answer from a quorum of replicas within " + deadline.toMillis() + " ms", cause);
        }
        return new UnavailableException("no leader and quorum answered within " + deadline.toMillis() + " ms", cause);
    }

    private static Message message(byte[] bytes) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        admin.shutdownNow();
        sender.shutdownNow();
        changes.close();
        status.close();
        readClients.close();
        leader.close();
    }
}
