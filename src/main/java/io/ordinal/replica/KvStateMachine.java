package io.ordinal.replica;

import io.ordinal.command.Command;
import io.ordinal.command.CommandCodec;
import io.ordinal.command.Query;
import io.ordinal.command.WriteResult;
import io.ordinal.storage.Checkpoints;
import io.ordinal.storage.KvStore;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
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
 *   <li>Ratis starts replaying just after the latest snapshot, and purges the log only up to it, so no
 *       entry is ever skipped either.</li>
 * </ul>
 */
public final class KvStateMachine extends BaseStateMachine {

    private static final Logger LOG = Logger.getLogger(KvStateMachine.class);

    private final Path dbDir;
    private final CheckpointSnapshots snapshots = new CheckpointSnapshots();
    /** Readers hold it shared; swapping the database (snapshot install) holds it exclusively. */
    private final ReadWriteLock storeLock = new ReentrantReadWriteLock();
    private volatile KvStore store;
    /** Snapshots installed from the leader since this process started. */
    private final AtomicLong snapshotsInstalled = new AtomicLong();

    public KvStateMachine(Path dbDir) {
        this.dbDir = dbDir.toAbsolutePath();
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

    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
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
        snapshotsInstalled.incrementAndGet();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    /** Rejects, on the leader and before it reaches the log, anything that is not a command. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        try {
            CommandCodec.decodeCommand(request.getMessage().getContent().asReadOnlyByteBuffer());
        } catch (CommandCodec.CodecException e) {
            throw new IOException("not a valid command: " + e.getMessage(), e);
        }
        return super.startTransaction(request);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        KvStore s = store;
        Message reply;
        if (index <= s.appliedIndex()) {
            reply = Message.EMPTY; // replayed after a restart: its effect is already in RocksDB
        } else {
            Command command = CommandCodec.decodeCommand(
                    entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
            WriteResult result = s.apply(index, command);
            reply = message(CommandCodec.encode(result));
        }
        updateLastAppliedTermIndex(entry.getTerm(), index);
        return CompletableFuture.completedFuture(reply);
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        storeLock.readLock().lock();
        try {
            KvStore s = store;
            if (s == null) {
                return CompletableFuture.failedFuture(new IOException("the replica is installing a snapshot"));
            }
            Query query = CommandCodec.decodeQuery(request.getContent().asReadOnlyByteBuffer());
            if (query instanceof Query.Get get) {
                return CompletableFuture.completedFuture(message(CommandCodec.encodeGetResult(s.get(get.key()))));
            }
            return CompletableFuture.completedFuture(message(CommandCodec.encode(s.range((Query.Range) query))));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            storeLock.readLock().unlock();
        }
    }

    /**
     * Called by Ratis between applies, never concurrently with one: the checkpoint holds exactly the
     * entries up to the last applied index.
     */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() <= 0) {
            return -1;
        }
        var current = snapshots.getLatestSnapshot();
        if (current != null && current.getIndex() >= last.getIndex()) {
            return current.getIndex();
        }
        storeLock.readLock().lock();
        try {
            snapshots.take(store, last);
        } finally {
            storeLock.readLock().unlock();
        }
        LOG.infof("took snapshot %s", last);
        return last.getIndex();
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
}
