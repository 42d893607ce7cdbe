package io.ordinal.replica;

import io.ordinal.command.ChangesResult;
import io.ordinal.command.CodecException;
import io.ordinal.command.Command;
import io.ordinal.command.CommandResult;
import io.ordinal.command.LeaderReadResult;
import io.ordinal.command.LeaseInfo;
import io.ordinal.command.LeaseResult;
import io.ordinal.command.LogFormat;
import io.ordinal.command.Query;
import io.ordinal.command.QueryFormat;
import io.ordinal.command.ResultFormat;
import io.ordinal.command.StampedCommand;
import io.ordinal.storage.Checkpoints;
import io.ordinal.storage.ClientCall;
import io.ordinal.storage.HistoryRetention;
import io.ordinal.storage.KvStore;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The replicated state machine: applies the Raft log, in order, to a RocksDB {@link KvStore}.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A write's revision is the store's count of successful writes, kept in RocksDB with the data:
 *       strictly increasing, never reused, the same on every replica (all apply the same entries in
 *       the same order). A write that changes nothing takes none.</li>
 *   <li>Preconditions are decided here, in log order, against the applied state — the frontend never
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
    private final CheckpointSnapshots snapshots = new CheckpointSnapshots();
    private final LeaseClock leaseClock = new LeaseClock(System::nanoTime);
    private final ChangeWaiters changeWaiters = new ChangeWaiters(this::readChanges, this::revision);
    /** Answers leader reads that had to wait for the apply to reach the commit index. */
    private final java.util.concurrent.ExecutorService leaderReader = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "ordinal-leader-reader");
        t.setDaemon(true);
        return t;
    });
    private final AppliedWaiters appliedWaiters = new AppliedWaiters(leaderReader);
    /** Readers hold it shared; swapping the database (snapshot install) holds it exclusively. */
    private final ReadWriteLock storeLock = new ReentrantReadWriteLock();
    private volatile KvStore store;
    /** Writes checkpoints, one at a time, off Ratis's apply thread; see {@link #takeSnapshot()}. */
    private final java.util.concurrent.ExecutorService checkpointer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ordinal-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private final Checkpointing checkpointing = new Checkpointing();
    /** Snapshots installed from the leader since this process started. */
    private final AtomicLong snapshotsInstalled = new AtomicLong();
    /** What to do once the Raft log can no longer be written; see {@link #notifyLogFailed}. */
    private volatile java.util.function.Consumer<Throwable> onLogFailed = cause -> { };

    public KvStateMachine(Path dbDir) {
        this(dbDir, HistoryRetention.DEFAULT);
    }

    public KvStateMachine(Path dbDir, HistoryRetention retention) {
        this.dbDir = dbDir.toAbsolutePath();
        this.retention = retention;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, storage);
            snapshots.init(storage);
            load();
        });
    }

    /** Opens the database, first restoring it from the latest snapshot if the snapshot is ahead of it. */
    private void load() throws IOException {
        Checkpoints.recover(dbDir);
        Path checkpoint = snapshots.latestCheckpoint();
        KvStore opened = KvStore.open(dbDir);
        if (checkpoint != null && opened.appliedIndex() < snapshots.latestDataIndex()) {
            // A snapshot installed from the leader (or a wiped database): the snapshot is the truth.
            LOG.infof("restoring %s from snapshot %s", dbDir, snapshots.getLatestSnapshot().getTermIndex());
            opened.close();
            Checkpoints.restore(checkpoint, dbDir);
            opened = KvStore.open(dbDir);
        }
        store = opened;
        TermIndex snapshot = snapshots.getLatestSnapshot() == null ? null
                : snapshots.getLatestSnapshot().getTermIndex();
        setLastAppliedTermIndex(snapshot);
        LOG.infof("state machine ready: appliedIndex %d, snapshot %s", opened.appliedIndex(), snapshot);
    }

    /**
     * Ratis is about to replace the state machine directory with an installed snapshot, and then asks
     * for {@link #reinitialize()}. When the replacing fails it calls nothing: the leader tries again
     * (and Ratis calls this again, while still paused), or the replica goes on from its log
     * ({@link #resumeAfterAnInstallThatFailed}).
     */
    @Override
    public void pause() {
        pauseCheckpoints(lastLogIndex());
        synchronized (checkpointing) {
            getLifeCycle().compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING);
            getLifeCycle().compareAndTransition(LifeCycle.State.PAUSING, LifeCycle.State.PAUSED);
        }
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

    /**
     * An entry past the end of the log as it was when Ratis paused this state machine: the install it
     * paused for did not happen (after one, Ratis calls {@link #reinitialize()} before it applies any
     * entry), and the replica goes on from its log. Checkpoints go on too: left paused, the log would
     * never be purged again, and the lifecycle left paused refused the next install.
     */
    private void resumeAfterAnInstallThatFailed(long index) {
        synchronized (checkpointing) {
            if (index <= checkpointing.resumeAbove) {
                return;
            }
            LOG.warnf("entry %d applied after an install of a snapshot that did not complete: checkpoints go on",
                    index);
            checkpointing.paused = false;
            checkpointing.resumeAbove = Long.MAX_VALUE;
            if (getLifeCycle().compareAndTransition(LifeCycle.State.PAUSED, LifeCycle.State.STARTING)) {
                getLifeCycle().transition(LifeCycle.State.RUNNING);
            }
        }
    }

    /** Called after Ratis installed a snapshot from the leader into the state machine directory. */
    @Override
    public void reinitialize() throws IOException {
        storeLock.writeLock().lock();
        try {
            snapshots.refresh();
            KvStore old = store;
            store = null;
            if (old != null) {
                old.close();
            }
            load();
        } finally {
            storeLock.writeLock().unlock();
        }
        resumeCheckpoints();
        leaseClock.disarm();
        changeWaiters.storeReplaced();
        snapshotsInstalled.incrementAndGet();
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
        KvStore s = store;
        Message reply;
        if (index <= s.appliedIndex()) {
            // Replayed after a restart: its effect is already in RocksDB. Ratis puts this answer in its
            // retry cache, so a retry of the call gets the reply recorded with it.
            reply = recordedReply(s, entry.getStateMachineLogEntry());
        } else {
            StateMachineLogEntryProto logged = entry.getStateMachineLogEntry();
            StampedCommand stamped = LogFormat.decodeLogEntry(logged.getLogData().asReadOnlyByteBuffer());
            Command command = stamped.command();
            if (command instanceof Command.Barrier) {
                s.applyNothing(index);
                reply = Message.EMPTY;
            } else if (command instanceof Command.SetHistoryRetention retentionChange) {
                s.apply(index, retentionChange);
                reply = Message.EMPTY;
            } else {
                long revisionBefore = s.revision();
                KvStore.Applied applied = s.apply(index, entry.getTerm(), command, call(logged, stamped));
                CommandResult result = applied.result(); // null: a retry of a call applied before, no change
                if (result instanceof LeaseResult lease) {
                    countDown((Command.LeaseCommand) command, lease, index);
                }
                reply = message(applied.reply());
                if (s.revision() != revisionBefore) {
                    changeWaiters.applied(s.revision());
                }
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

    /** The reply recorded with an entry's call, empty when there is none (a barrier, or a record gone). */
    private static Message recordedReply(KvStore s, StateMachineLogEntryProto logged) {
        ClientCall call = call(logged, LogFormat.decodeLogEntry(logged.getLogData().asReadOnlyByteBuffer()));
        return call == null ? Message.EMPTY : message(s.recordedReply(call));
    }

    /** Every entry (commands, configurations, the leader's first entry) passes here once applied. */
    @Override
    protected boolean updateLastAppliedTermIndex(TermIndex applied) {
        boolean updated = super.updateLastAppliedTermIndex(applied);
        if (applied.getIndex() > checkpointing.resumeAbove) {
            resumeAfterAnInstallThatFailed(applied.getIndex());
        }
        appliedWaiters.applied(applied.getIndex());
        return updated;
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

    /** Keeps the countdown in step with the store: entry {@code index} granted, renewed or ended the lease. */
    private void countDown(Command.LeaseCommand command, LeaseResult result, long index) {
        if (!result.found()) {
            return; // nothing changed: the lease is gone, or an expiry that no longer held
        }
        if (command instanceof Command.LeaseRevoke || command instanceof Command.LeaseExpire) {
            leaseClock.remove(result.id());
        } else {
            leaseClock.renew(result.id(), result.ttlSeconds(), index);
        }
    }

    /**
     * This replica leads, and has applied every entry of earlier terms: it starts counting down every
     * lease from its full time to live.
     */
    /**
     * What to do when Ratis reports that this replica's Raft log can no longer be written (a full or
     * failing disk). Ratis never retries such a log: every later write fails with "Log already
     * failed", so the replica would stay behind forever while its liveness check said UP. The
     * replica process ends itself ({@code ReplicaLifecycle}), as etcd does on a WAL write error, and
     * is started again by Kubernetes (or bin/kv-local) on the same volume, replaying its log.
     */
    public void onLogFailed(java.util.function.Consumer<Throwable> action) {
        this.onLogFailed = action;
    }

    @Override
    public void notifyLogFailed(Throwable cause, LogEntryProto failedEntry) {
        LOG.errorf(cause, "the Raft log cannot be written (entry %s): this replica stops",
                failedEntry == null ? "?" : failedEntry.getIndex());
        onLogFailed.accept(cause);
    }

    @Override
    public void notifyLeaderReady() {
        OptionalLong term = currentTerm();
        storeLock.readLock().lock();
        try {
            KvStore s = store;
            if (s != null && term.isPresent()) {
                leaseClock.arm(term.getAsLong(), s.leases());
                LOG.debugf("leader of term %d counts down %s", term.getAsLong(), s.leases().keySet());
            }
            if (s != null && !s.historyRetention().equals(retention)) {
                HistoryRetentionProposal.send(getServer().getNow(null), getGroupId(), retention);
            }
        } finally {
            storeLock.readLock().unlock();
        }
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

    private OptionalLong currentTerm() {
        try {
            return OptionalLong.of(getServer().getNow(null).getDivision(getGroupId()).getInfo().getCurrentTerm());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private boolean isLeader() {
        try {
            return getServer().getNow(null).getDivision(getGroupId()).getInfo().isLeader();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private long revision() {
        KvStore s = store;
        return s == null ? 0 : s.revision();
    }

    private ChangesResult readChanges(Query.Changes query) {
        storeLock.readLock().lock();
        try {
            KvStore s = store;
            if (s == null) {
                throw new IllegalStateException("the replica is installing a snapshot");
            }
            return s.changes(query);
        } finally {
            storeLock.readLock().unlock();
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            return answer(QueryFormat.decodeQuery(request.getContent().asReadOnlyByteBuffer()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Message> answer(Query query) {
        storeLock.readLock().lock();
        try {
            KvStore s = store;
            if (s == null) {
                return CompletableFuture.failedFuture(new IOException("the replica is installing a snapshot"));
            }
            if (query instanceof Query.AtLeader atLeader) {
                return atLeader(atLeader.inner());
            }
            if (query instanceof Query.Term) {
                return CompletableFuture.completedFuture(message(ResultFormat.encodeTermResult(
                        currentTerm().orElse(Long.MAX_VALUE)))); // unknown: never confirms a leader
            }
            if (query instanceof Query.Get get) {
                return CompletableFuture.completedFuture(message(ResultFormat.encodeGetResult(s.get(get.key()))));
            }
            if (query instanceof Query.GetMany many) {
                return CompletableFuture.completedFuture(message(getMany(s, many)));
            }
            if (query instanceof Query.Range range) {
                return CompletableFuture.completedFuture(message(ResultFormat.encode(s.range(range))));
            }
            if (query instanceof Query.Status) {
                return CompletableFuture.completedFuture(message(ResultFormat.encode(s.status())));
            }
            if (query instanceof Query.LeaseInfo lease) {
                LeaseInfo info = s.leaseInfo(lease.id(), lease.maxKeys());
                long remaining = info.found() && isLeader() ? leaseClock.remainingMillis(lease.id()) : -1;
                return CompletableFuture.completedFuture(message(ResultFormat.encode(
                        new LeaseInfo(info.found(), info.id(), info.ttlSeconds(), remaining, info.keys()))));
            }
            // A long poll: answered when a matching change is applied, or when its wait is over.
            return changeWaiters.poll((Query.Changes) query)
                    .thenApply(result -> message(ResultFormat.encode(result)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            storeLock.readLock().unlock();
        }
    }

    /**
     * A read the frontend will confirm with a majority instead of a log entry
     * ({@code frontend.ConfirmedReads}): answered only if this replica is the ready leader of one term
     * throughout the check, and only once it has applied everything committed when the read arrived —
     * so that it reflects every write acknowledged before.
     */
    private CompletableFuture<Message> atLeader(Query inner) {
        RaftServer.Division division;
        try {
            division = getServer().getNow(null).getDivision(getGroupId());
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(leaderRead(LeaderReadResult.Status.NOT_LEADER, 0, List.of()));
        }
        long term = division.getInfo().getCurrentTerm();
        boolean leading = division.getInfo().isLeader() && division.getInfo().isLeaderReady();
        long commit = division.getRaftLog().getLastCommittedIndex();
        var conf = division.getRaftConf(); // read within the term check: the configuration of term's leader
        if (!leading || division.getInfo().getCurrentTerm() != term) {
            return CompletableFuture.completedFuture(leaderRead(LeaderReadResult.Status.NOT_LEADER, term, List.of()));
        }
        if (!conf.getPreviousPeers().isEmpty()) {
            return CompletableFuture.completedFuture(leaderRead(LeaderReadResult.Status.CONF_CHANGING, term, List.of()));
        }
        List<String> voters = conf.getCurrentPeers(org.apache.ratis.proto.RaftProtos.RaftPeerRole.FOLLOWER).stream()
                .map(p -> p.getId().toString()).toList();
        return appliedWaiters.await(commit).thenCompose(applied -> answer(inner))
                .thenApply(answer -> message(ResultFormat.encode(new LeaderReadResult(LeaderReadResult.Status.SERVED,
                        term, voters, answer.getContent().asReadOnlyByteBuffer()))));
    }

    private static Message leaderRead(LeaderReadResult.Status status, long term, List<String> voters) {
        return message(ResultFormat.encode(new LeaderReadResult(status, term, voters, java.nio.ByteBuffer.allocate(0))));
    }

    /** Each key's get result in order, until the answer passes the query's byte budget (at least one). */
    private static byte[] getMany(KvStore s, Query.GetMany many) {
        java.util.List<byte[]> results = new java.util.ArrayList<>(many.keys().size());
        long bytes = 0;
        for (byte[] key : many.keys()) {
            byte[] one = ResultFormat.encodeGetResult(s.get(key));
            results.add(one);
            bytes += one.length;
            if (bytes > many.maxBytes()) {
                break;
            }
        }
        return ResultFormat.encodeGetManyResult(results);
    }

    /**
     * Called by Ratis on its apply thread, between applies, once {@code snapshot-every} entries were
     * applied since the last snapshot it was told of. A checkpoint flushes the memtables, which takes
     * tens to hundreds of milliseconds: done here it would hold up every apply, and with it every write
     * waiting for its answer. So this only starts a checkpoint, named after the last applied entry, on
     * another thread, and answers the newest snapshot that is complete; Ratis purges the log up to
     * what it is answered, so it never purges past a finished checkpoint. A checkpoint that finished is
     * reported on the next call before another one is started, so snapshots stay
     * {@code snapshot-every} entries apart.
     */
    @Override
    public long takeSnapshot() {
        TermIndex last = getLastAppliedTermIndex();
        synchronized (checkpointing) {
            // Whether a checkpoint is on its way first, then the newest complete snapshot: a checkpoint
            // publishes its snapshot before it completes, so one that finished in between is seen as
            // finished here, reported, and not followed at once by another.
            boolean idle = checkpointing.running.isDone();
            var latest = snapshots.getLatestSnapshot();
            long done = latest == null ? -1 : latest.getIndex();
            if (done > checkpointing.reported) {
                checkpointing.reported = done;
                return done;
            }
            if (!idle || checkpointing.paused || last == null || last.getIndex() <= Math.max(done, 0)) {
                return done;
            }
            checkpointing.running = CompletableFuture.runAsync(() -> checkpoint(last), checkpointer);
            return done;
        }
    }

    private void checkpoint(TermIndex name) {
        long started = System.nanoTime();
        long dataIndex;
        storeLock.readLock().lock();
        try {
            KvStore s = store;
            if (s == null) {
                return;
            }
            dataIndex = snapshots.take(s, name);
        } catch (IOException | RuntimeException e) {
            // Nothing is purged until a snapshot is complete; the next trigger tries again.
            LOG.errorf(e, "cannot take snapshot %s", name);
            return;
        } finally {
            storeLock.readLock().unlock();
        }
        LOG.infof("took snapshot %s (data up to index %d) in %d ms", name, dataIndex,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Waits for a checkpoint on its way, and starts no other until {@link #resumeCheckpoints()}, or
     * until an entry past {@code resumeAbove} is applied. Ratis calls {@link #pause()} holding its
     * server's lock, so a follower about to swap in an installed snapshot answers nothing else for as
     * long as a checkpoint takes to finish (tens to hundreds of milliseconds); it is behind its leader
     * anyway.
     */
    private void pauseCheckpoints(long resumeAbove) {
        CompletableFuture<Void> running;
        synchronized (checkpointing) {
            checkpointing.paused = true;
            checkpointing.resumeAbove = resumeAbove;
            running = checkpointing.running;
        }
        try {
            running.join();
        } catch (RuntimeException e) {
            // checkpoint() reports its own failures
        }
    }

    private void resumeCheckpoints() {
        synchronized (checkpointing) {
            checkpointing.paused = false;
            checkpointing.resumeAbove = Long.MAX_VALUE;
        }
    }

    @Override
    public CheckpointSnapshots getStateMachineStorage() {
        return snapshots;
    }

    /** The store, for gauges; may change when a snapshot is installed. */
    public long appliedIndexInStore() {
        KvStore s = store;
        return s == null ? 0 : s.appliedIndex();
    }

    /** How many snapshots this replica has installed from the leader since its process started. */
    public long snapshotsInstalled() {
        return snapshotsInstalled.get();
    }

    /** The log index of the latest snapshot this replica holds (taken or installed), 0 when none. */
    public long snapshotIndex() {
        var latest = snapshots.getLatestSnapshot();
        return latest == null ? 0 : latest.getIndex();
    }

    public long dataSizeBytes() {
        storeLock.readLock().lock();
        try {
            KvStore s = store;
            return s == null ? 0 : s.sizeBytes();
        } finally {
            storeLock.readLock().unlock();
        }
    }

    @Override
    public void close() throws IOException {
        changeWaiters.close();
        appliedWaiters.failAll(new IOException("the replica is stopping"));
        leaderReader.shutdownNow();
        pauseCheckpoints(Long.MAX_VALUE);
        checkpointer.shutdown();
        storeLock.writeLock().lock();
        try {
            KvStore s = store;
            store = null;
            if (s != null) {
                s.close();
            }
        } finally {
            storeLock.writeLock().unlock();
        }
        super.close();
    }

    private static Message message(byte[] bytes) {
        ByteString b = UnsafeByteOperations.unsafeWrap(bytes);
        return Message.valueOf(b);
    }

    /**
     * The checkpoint on its way (or the last one, done), whether new ones may start, and the newest
     * snapshot index answered to Ratis. Guarded by its own monitor.
     */
    private static final class Checkpointing {
        CompletableFuture<Void> running = CompletableFuture.completedFuture(null);
        boolean paused;
        /** Paused ones resume once an entry past this is applied; read without the monitor, at every entry. */
        volatile long resumeAbove = Long.MAX_VALUE;
        long reported = -1;
    }
}
