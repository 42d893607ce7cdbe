package io.ordinal.replica;

import io.ordinal.command.CodecException;
import io.ordinal.command.Command;
import io.ordinal.command.LeaseResult;
import io.ordinal.command.LogFormat;
import io.ordinal.command.StampedCommand;
import io.ordinal.storage.ClientCall;
import io.ordinal.storage.HistoryRetention;
import io.ordinal.security.tls.RaftTls;
import io.ordinal.storage.KvStore;
import io.ordinal.storage.Mutation;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The replicated state machine: applies the Raft log, in order, to a RocksDB {@link KvStore}. Only the
 * Ratis callbacks are here: the key-value rules are the {@link io.ordinal.storage.Applier}'s, reads are
 * answered by {@link QueryAnswers}, and snapshots are {@link CheckpointSnapshots}'.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A write's revision is the store's count of successful writes, kept in RocksDB with the data:
 *       strictly increasing, never reused, the same on every replica (all apply the same entries in
 *       the same order). A write that changes nothing takes none.</li>
 *   <li>Preconditions are decided by the Applier, in log order, against the applied state — the frontend never
 *       decides them.</li>
 *   <li>Each entry's effect and the new appliedIndex are one RocksDB write batch; an entry at or below
 *       the stored appliedIndex (replayed after a restart) is skipped, so none is applied twice.</li>
 *   <li>No client call is applied twice either: the same batch records the entry's client id, call id
 *       and reply, for {@link ClientCall#RETRY_WINDOW}, and a second entry of a recorded call (a retry
 *       that reached a leader whose retry cache never saw the call) changes nothing and is answered
 *       with the recorded reply.</li>
 *   <li>Ratis starts replaying just after the latest snapshot, and purges the log only up to it, so no
 *       entry is ever skipped either.</li>
 *   <li>No replica's clock decides an entry's effect. A lease's countdown runs in the leader's memory
 *       ({@link LeaseClock}); only the expiry the leader decides on when it runs out is written, fenced
 *       by the leader's term and the lease's renewal it counted from, and every replica applies it only
 *       if both still hold at its place in the log. The only time in the log is the leader's clock
 *       stamped on each entry, which ages the records of applied calls, the same way on every replica.</li>
 * </ul>
 */
public final class KvStateMachine extends BaseStateMachine {

    private static final Logger LOG = Logger.getLogger(KvStateMachine.class);

    private final Path dbDir;
    /** This replica's configured retention: proposed through the log when it leads; never applied from here. */
    private final HistoryRetention retention;
    /** For the client that proposes the history retention to this replica itself. */
    private final RaftTls tls;
    private final CheckpointSnapshots snapshots = new CheckpointSnapshots();
    private final LoadedStore stores = new LoadedStore();
    private final LeaseClock leaseClock = new LeaseClock(System::nanoTime);
    private final ChangeWaiters changeWaiters = new ChangeWaiters(stores::changes, stores::revision);
    /** Answers leader reads that had to wait for the apply to reach the commit index. */
    private final ExecutorService leaderReader = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "ordinal-leader-reader");
        t.setDaemon(true);
        return t;
    });
    private final AppliedWaiters appliedWaiters = new AppliedWaiters(leaderReader);
    private final QueryAnswers answers = new QueryAnswers(stores, leaseClock, changeWaiters, appliedWaiters,
            () -> getServer().getNow(null).getDivision(getGroupId()));
    /** What to do once the Raft log can no longer be written; see {@link #notifyLogFailed}. */
    private volatile Consumer<Throwable> onLogFailed = cause -> { };

    public KvStateMachine(Path dbDir) {
        this(dbDir, HistoryRetention.DEFAULT, RaftTls.plain());
    }

    public KvStateMachine(Path dbDir, HistoryRetention retention, RaftTls tls) {
        this.dbDir = dbDir.toAbsolutePath();
        this.retention = retention;
        this.tls = tls;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, storage);
            snapshots.init(storage);
            load();
        });
    }

    /** Opens the database, from the latest snapshot if it is ahead ({@link CheckpointSnapshots#open}). */
    private void load() throws IOException {
        stores.replace(() -> snapshots.open(dbDir));
        TermIndex snapshot = snapshots.getLatestSnapshot() == null ? null
                : snapshots.getLatestSnapshot().getTermIndex();
        setLastAppliedTermIndex(snapshot);
        LOG.infof("state machine ready: appliedIndex %d, snapshot %s", stores.store().appliedIndex(), snapshot);
    }

    /**
     * Ratis is about to replace the state machine directory with an installed snapshot, and then asks
     * for {@link #reinitialize()}. When the replacing fails it calls nothing: the leader tries again
     * (and Ratis calls this again, while still paused), or the replica goes on from its log
     * ({@link CheckpointSnapshots#applied}).
     */
    @Override
    public void pause() {
        snapshots.pause(lastLogIndex(), () -> {
            getLifeCycle().compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING);
            getLifeCycle().compareAndTransition(LifeCycle.State.PAUSING, LifeCycle.State.PAUSED);
        });
    }

    /** The index of the last entry in this replica's Raft log; the last applied if it cannot be asked. */
    private long lastLogIndex() {
        try {
            return getServer().getNow(null).getDivision(getGroupId()).getRaftLog().getNextIndex() - 1;
        } catch (IOException | RuntimeException e) {
            TermIndex applied = getLastAppliedTermIndex();
            return applied == null ? 0 : applied.getIndex();
        }
    }

    /** Called after Ratis installed a snapshot from the leader into the state machine directory. */
    @Override
    public void reinitialize() throws IOException {
        snapshots.refresh();
        load(); // closes the store it replaces
        snapshots.installed();
        leaseClock.disarm();
        changeWaiters.storeReplaced();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    /**
     * Rejects, on the leader and before it reaches the log, anything that is not a command; stamps the
     * rest with the leader's clock, which every replica then reads from the entry to age the records
     * of applied calls alike ({@link ClientCall}).
     */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        ByteString command = request.getMessage().getContent();
        try {
            LogFormat.decodeCommand(command.asReadOnlyByteBuffer());
        } catch (CodecException e) {
            throw new IOException("not a valid command: " + e.getMessage(), e);
        }
        ByteString stamped = UnsafeByteOperations.unsafeWrap(LogFormat.stampHeader(System.currentTimeMillis()))
                .concat(command);
        return TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request)
                .setLogData(stamped).build();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        KvStore s = stores.store();
        StateMachineLogEntryProto logged = entry.getStateMachineLogEntry();
        StampedCommand stamped = LogFormat.decodeLogEntry(logged.getLogData().asReadOnlyByteBuffer());
        ClientCall call = call(logged, stamped);
        Message reply;
        if (index <= s.appliedIndex()) {
            // Replayed after a restart: its effect is already in RocksDB. Ratis puts this answer in its
            // retry cache, so a retry of the call gets the reply recorded with it.
            reply = call == null ? Message.EMPTY : QueryAnswers.message(s.recordedReply(call));
        } else {
            long revisionBefore = s.revision();
            try (Mutation m = stores.applier().apply(index, entry.getTerm(), stamped.command(), call)) {
                s.commit(m, index);
                // No result: a retry of a call applied before, which changed nothing.
                if (m.result() instanceof LeaseResult lease) {
                    leaseClock.applied((Command.LeaseCommand) stamped.command(), lease, index);
                }
                reply = m.reply() == null ? Message.EMPTY : QueryAnswers.message(m.reply());
            }
            if (s.revision() != revisionBefore) {
                changeWaiters.applied(s.revision());
            }
        }
        updateLastAppliedTermIndex(entry.getTerm(), index);
        return CompletableFuture.completedFuture(reply);
    }

    /** The client call an entry carries; null for an entry from before stamps (applied without a record). */
    private static ClientCall call(StateMachineLogEntryProto logged, StampedCommand stamped) {
        return stamped.leaderMillis() < 0 ? null
                : new ClientCall(logged.getClientId().toByteArray(), logged.getCallId(), stamped.leaderMillis());
    }

    /** Every entry (commands, configurations, the leader's first entry) passes here once applied. */
    @Override
    protected boolean updateLastAppliedTermIndex(TermIndex applied) {
        boolean updated = super.updateLastAppliedTermIndex(applied);
        snapshots.applied(applied.getIndex(), this::resumeAfterAnInstallThatFailed);
        appliedWaiters.applied(applied.getIndex());
        return updated;
    }

    /** The lifecycle left paused would refuse the next install. */
    private void resumeAfterAnInstallThatFailed() {
        if (getLifeCycle().compareAndTransition(LifeCycle.State.PAUSED, LifeCycle.State.STARTING)) {
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    /** The applied index set at once: at start, and after a snapshot was installed (a jump). */
    @Override
    protected void setLastAppliedTermIndex(TermIndex applied) {
        super.setLastAppliedTermIndex(applied);
        if (applied != null && appliedWaiters != null) { // null: called by BaseStateMachine's constructor
            appliedWaiters.applied(applied.getIndex());
        }
    }

    /**
     * A read once {@code minIndex} is applied (a linearizable read at a barrier, on a replica that has
     * committed the barrier). Not Ratis 3.3.0's {@code BaseStateMachine.queryStale}: it completes its
     * waiters only when the applied index is set again to the value it already has — never when it
     * advances or jumps — so such a read hung until the frontend gave up on this replica.
     */
    @Override
    public CompletableFuture<Message> queryStale(Message request, long minIndex) {
        return appliedWaiters.await(minIndex).thenCompose(applied -> query(request));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return answers.query(request);
    }

    /**
     * What to do when Ratis reports that this replica's Raft log can no longer be written (a full or
     * failing disk). Ratis never retries such a log: every later write fails with "Log already
     * failed", so the replica would stay behind forever while its liveness check said UP. The
     * replica process ends itself ({@code ReplicaLifecycle}), as etcd does on a WAL write error, and
     * is started again by Kubernetes (or bin/kv-local) on the same volume, replaying its log.
     */
    public void onLogFailed(Consumer<Throwable> action) {
        this.onLogFailed = action;
    }

    @Override
    public void notifyLogFailed(Throwable cause, LogEntryProto failedEntry) {
        LOG.errorf(cause, "the Raft log cannot be written (entry %s): this replica stops",
                failedEntry == null ? "?" : failedEntry.getIndex());
        onLogFailed.accept(cause);
    }

    /**
     * This replica leads, and has applied every entry of earlier terms: it starts counting down every
     * lease from its full time to live, and proposes its configured history retention if the log's differs.
     */
    @Override
    public void notifyLeaderReady() {
        OptionalLong term = answers.currentTerm();
        stores.read(s -> {
            if (s != null && term.isPresent()) {
                leaseClock.arm(term.getAsLong(), s.leases());
                LOG.debugf("leader of term %d counts down %s", term.getAsLong(), s.leases().keySet());
            }
            if (s != null && !s.historyRetention().equals(retention)) {
                HistoryRetentionProposal.send(getServer().getNow(null), getGroupId(), retention, tls);
            }
            return null;
        });
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        if (!groupMemberId.getPeerId().equals(newLeaderId)) {
            leaseClock.disarm();
        }
    }

    /**
     * The expiries to write for leases whose time ran out, if this replica is the leader that counts
     * them down in this term: each fenced by that term and the renewal its countdown ran from.
     */
    List<Command.LeaseExpire> expiredLeases(long term) {
        return leaseClock.expired(term);
    }

    /** See {@link CheckpointSnapshots#takeSnapshot}. */
    @Override
    public long takeSnapshot() {
        return snapshots.takeSnapshot(getLastAppliedTermIndex(), stores);
    }

    @Override
    public CheckpointSnapshots getStateMachineStorage() {
        return snapshots;
    }

    /** How many snapshots this replica has installed from the leader since its process started. */
    public long snapshotsInstalled() {
        return snapshots.installedCount();
    }

    /** The log index of the latest snapshot this replica holds (taken or installed), 0 when none. */
    public long snapshotIndex() {
        var latest = snapshots.getLatestSnapshot();
        return latest == null ? 0 : latest.getIndex();
    }

    public long dataSizeBytes() {
        return stores.read(s -> s == null ? 0 : s.sizeBytes());
    }

    @Override
    public void close() throws IOException {
        changeWaiters.close();
        appliedWaiters.failAll(new IOException("the replica is stopping"));
        leaderReader.shutdownNow();
        snapshots.stop();
        stores.replace(null);
        super.close();
    }
}
