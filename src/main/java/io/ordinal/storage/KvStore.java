package io.ordinal.storage;

import io.ordinal.command.BatchResult;
import io.ordinal.command.Change;
import io.ordinal.command.ChangesResult;
import io.ordinal.command.Command;
import io.ordinal.command.CommandCodec;
import io.ordinal.command.CommandResult;
import io.ordinal.command.Compare;
import io.ordinal.command.KeyValue;
import io.ordinal.command.LeaseInfo;
import io.ordinal.command.LeaseResult;
import io.ordinal.command.Limits;
import io.ordinal.command.Precondition;
import io.ordinal.command.Query;
import io.ordinal.command.RangeResult;
import io.ordinal.command.StoreStatus;
import io.ordinal.command.TxnOp;
import io.ordinal.command.TxnResult;
import io.ordinal.command.WriteResult;
import io.ordinal.command.WriteResult.Outcome;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key-value data of one replica, in RocksDB. Keys are stored as their UTF-8 bytes and sorted by
 * RocksDB's default bytewise comparator, which is unsigned byte order. The layout of every stored
 * byte is in {@link Schema}.
 *
 * <p>Single writer: {@link #apply} is called only by the state machine, in log order. Reads may run
 * concurrently from any thread.
 *
 * <p>Besides the keys it keeps the leases and a bounded history of changes (for watches), written in
 * the same batch as the change itself and compacted in log order under a retention that the log sets
 * too ({@link Command.SetHistoryRetention}), never the replica's own configuration: every replica holds
 * the same history.
 */
public final class KvStore implements AutoCloseable {

    static {
        RocksDbLibrary.load();
    }

    /** A page of a listing stops growing past this many bytes of keys and values (at least one item). */
    public static final long MAX_PAGE_BYTES = 4L * 1024 * 1024;
    /** A poll of the history looks at no more than this many changes, matching or not. */
    static final int MAX_SCANNED_CHANGES = 10_000;

    /** The database and its column families, for {@link Mutation}. */
    record Families(RocksDB db, ColumnFamilyHandle meta, ColumnFamilyHandle kv, ColumnFamilyHandle changes,
                    ColumnFamilyHandle leases, ColumnFamilyHandle leaseKeys, ColumnFamilyHandle keyLeases,
                    ColumnFamilyHandle calls, ColumnFamilyHandle callTimes) {
    }

    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final Memory memory;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final Families cf;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle kv;
    private final WriteOptions writeOptions;
    private volatile HistoryRetention retention;
    private volatile long appliedIndex;
    private volatile long revision;
    private volatile long oldestRevision;
    private long historyBytes;
    private final AppliedCalls calls;

    private KvStore(Path dir, DBOptions dbOptions, ColumnFamilyOptions cfOptions, Memory memory, RocksDB db,
                    List<ColumnFamilyHandle> handles) throws RocksDBException {
        this.dir = dir;
        this.memory = memory;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.db = db;
        this.handles = handles;
        this.cf = new Families(db, handles.get(0), handles.get(1), handles.get(2), handles.get(3), handles.get(4),
                handles.get(5), handles.get(6), handles.get(7));
        this.meta = cf.meta();
        this.kv = cf.kv();
        // No RocksDB write-ahead log at all: the Raft log is the durable record (fsynced on a majority
        // before a write is acknowledged), and RocksDB is its cache. After a crash the database holds
        // what its last memtable flush held — data and appliedIndex together, since each batch writes
        // both — and the entries after that appliedIndex are replayed from the Raft log. They are
        // still there: the log is purged only up to a snapshot, and a snapshot (a checkpoint) flushes
        // the memtables first. Writing every change twice (WAL, then SST) would only cost I/O.
        this.writeOptions = new WriteOptions().setSync(false).setDisableWAL(true);
        this.appliedIndex = readLong(Schema.APPLIED_INDEX, 0);
        this.revision = readLong(Schema.REVISION, 0);
        // A database from before the history existed holds none of the revisions it already has.
        this.oldestRevision = readLong(Schema.OLDEST_REVISION, revision + 1);
        this.historyBytes = readLong(Schema.HISTORY_BYTES, 0);
        byte[] stored = db.get(meta, Schema.HISTORY_RETENTION);
        this.retention = stored == null ? HistoryRetention.DEFAULT : Schema.decodeRetention(stored);
        this.calls = new AppliedCalls(cf);
    }

    /** Opens (creating if needed) the database in {@code dir}. */
    public static KvStore open(Path dir) {
        try {
            Files.createDirectories(dir);
            DBOptions dbOptions = new DBOptions()
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setKeepLogFileNum(3)
                    // Without a WAL, each column family's memtable would be flushed on its own
                    // schedule: after a crash the applied index (meta) could be ahead of the data it
                    // covers. Atomic flush writes every family's memtable at one point, so what
                    // survives a crash is always a whole prefix of the applied entries.
                    .setAtomicFlush(true);
            Memory memory = new Memory();
            dbOptions.setWriteBufferManager(memory.writeBuffers);
            ColumnFamilyOptions cfOptions = new ColumnFamilyOptions()
                    .setWriteBufferSize(Memory.WRITE_BUFFER_BYTES)
                    .setMaxWriteBufferNumber(2)
                    .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(memory.blockCache));
            List<ColumnFamilyDescriptor> descriptors = List.of(
                    new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                    new ColumnFamilyDescriptor(Schema.KV_FAMILY, cfOptions),
                    new ColumnFamilyDescriptor(Schema.CHANGES_FAMILY, cfOptions),
                    new ColumnFamilyDescriptor(Schema.LEASES_FAMILY, cfOptions),
                    new ColumnFamilyDescriptor(Schema.LEASE_KEYS_FAMILY, cfOptions),
                    new ColumnFamilyDescriptor(Schema.KEY_LEASES_FAMILY, cfOptions),
                    new ColumnFamilyDescriptor(Schema.CALLS_FAMILY, cfOptions),
                    new ColumnFamilyDescriptor(Schema.CALL_TIMES_FAMILY, cfOptions));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            return new KvStore(dir, dbOptions, cfOptions, memory, db, handles);
        } catch (RocksDBException e) {
            throw new StorageException("cannot open RocksDB in " + dir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index of the last log entry whose effect is in this database (0 when none). */
    public long appliedIndex() {
        return appliedIndex;
    }

    /** The revision of the last successful write (0 when none): the store's current revision. */
    public long revision() {
        return revision;
    }

    /** The oldest revision whose changes the history still holds ({@link #revision()} + 1 when none). */
    public long oldestRevision() {
        return oldestRevision;
    }

    public StoreStatus status() {
        return new StoreStatus(revision, oldestRevision);
    }

    /** A put or a delete of one key; see {@link #apply(long, Command)}. */
    public WriteResult apply(long index, Command.KeyCommand command) {
        return (WriteResult) apply(index, (Command) command);
    }

    public TxnResult apply(long index, Command.Txn txn) {
        return (TxnResult) apply(index, (Command) txn);
    }

    public LeaseResult apply(long index, Command.LeaseCommand command) {
        return (LeaseResult) apply(index, (Command) command);
    }

    public LeaseResult apply(long index, long term, Command.LeaseCommand command) {
        return (LeaseResult) apply(index, term, (Command) command);
    }

    /** An entry whose term is not known (0, below every term): a {@link Command.LeaseExpire} in it changes nothing. */
    public CommandResult apply(long index, Command command) {
        return apply(index, 0, command);
    }

    /**
     * Applies the command of log entry {@code index}. The data change, its changes in the history, the
     * new applied index and the new revision are written in one {@link WriteBatch}, atomically: after a
     * crash the database holds either all or none of them, so replaying the log from
     * {@link #appliedIndex()} + 1 never applies an entry twice and never skips one.
     *
     * <p>An entry that changes something takes the next revision, which all its writes share (a
     * transaction's, or the deletes of a revoked lease's keys): revisions count successful writes,
     * store-wide, as etcd's do. An entry that changes no key (a failed condition, a delete of an absent
     * key, a lease grant) takes none, so a {@code 4xx} leaves no trace but the applied index. Every
     * replica applies the same entries in the same order, so every replica assigns the same revisions.
     *
     * @param term the term the entry was written in, the same on every replica: a
     *             {@link Command.LeaseExpire} applies only in the term that decided it
     * @throws IllegalStateException if {@code index} is not past the applied index (a replay)
     */
    public CommandResult apply(long index, long term, Command command) {
        checkNotApplied(index);
        try (Mutation m = new Mutation(cf, revision + 1)) {
            CommandResult result = decide(m, index, term, command);
            commit(m, index);
            return result;
        } catch (RocksDBException e) {
            throw new StorageException("cannot apply entry " + index + ": " + e.getMessage(), e);
        }
    }

    /** What {@link #apply(long, long, Command, ClientCall)} did: the result, null when the call was applied before. */
    public record Applied(CommandResult result, byte[] reply) {
    }

    /**
     * Applies the command of log entry {@code index}, sent as {@code call}, as
     * {@link #apply(long, Command)} does, and records the call and its encoded reply in the same
     * batch ({@link AppliedCalls}). A call already applied within {@link ClientCall#RETRY_WINDOW} (a
     * retry that reached a leader whose retry cache never saw it, and was appended again) changes
     * nothing but the applied index, and is answered with its recorded reply.
     *
     * @param call null for an entry that names no call (from before the leader stamped entries): it is
     *             applied without a record
     */
    public Applied apply(long index, long term, Command command, ClientCall call) {
        if (call == null) {
            CommandResult result = apply(index, term, command);
            return new Applied(result, CommandCodec.encode(result));
        }
        checkNotApplied(index);
        try {
            AppliedCalls.Recorded recorded = calls.find(call);
            if (AppliedCalls.live(recorded, call.leaderMillis())) {
                applyNothing(index);
                return new Applied(null, recorded.reply());
            }
            try (Mutation m = new Mutation(cf, revision + 1)) {
                CommandResult result = decide(m, index, term, command);
                byte[] reply = CommandCodec.encode(result);
                long oldestCall = calls.record(m.batch, call, reply, recorded);
                commit(m, index);
                calls.committed(oldestCall);
                return new Applied(result, reply);
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot apply entry " + index + ": " + e.getMessage(), e);
        }
    }

    /** An entry whose term is not known (0): see {@link #apply(long, Command)}. */
    public Applied apply(long index, Command command, ClientCall call) {
        return apply(index, 0, command, call);
    }

    /**
     * The reply recorded for a call applied within {@link ClientCall#RETRY_WINDOW} of log time
     * {@code call.leaderMillis()}; empty when there is none (or it was too large to keep).
     */
    public byte[] recordedReply(ClientCall call) {
        try {
            AppliedCalls.Recorded recorded = calls.find(call);
            return AppliedCalls.live(recorded, call.leaderMillis()) ? recorded.reply() : new byte[0];
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the applied calls: " + e.getMessage(), e);
        }
    }

    /** Decides the command into the entry's mutation; @return its result */
    private CommandResult decide(Mutation m, long index, long term, Command command) throws RocksDBException {
        if (command instanceof Command.Batch batch) {
            List<WriteResult> results = new ArrayList<>(batch.writes().size());
            for (Command.KeyCommand write : batch.writes()) {
                int before = m.changes().size();
                results.add(applyWrite(m, write));
                if (m.changes().size() > before) {
                    m.advance();
                }
            }
            return new BatchResult(results);
        }
        if (command instanceof Command.KeyCommand write) {
            return applyWrite(m, write);
        }
        if (command instanceof Command.Txn txn) {
            return applyTxn(m, txn);
        }
        if (command instanceof Command.LeaseCommand lease) {
            return applyLease(m, lease, index, term);
        }
        throw new IllegalArgumentException("changes no key: applyNothing or apply(SetHistoryRetention) records it");
    }

    /**
     * Writes the entry's batch with its changes in the history (each under its revision, numbered
     * within it), the history's compaction, the new revision and the applied index, atomically.
     */
    private void commit(Mutation m, long index) throws RocksDBException {
        // The revision of the entry's last change: a batch's writes each take one of their own.
        long newRevision = m.changed() ? m.changes().get(m.changes().size() - 1).modRevision() : revision;
        long oldest = oldestRevision;
        long bytes = historyBytes;
        if (m.changed()) {
            int seq = 0;
            long at = -1;
            for (Change change : m.changes()) {
                seq = change.modRevision() == at ? seq : 0;
                at = change.modRevision();
                m.batch.put(cf.changes(), Schema.changeKey(at, seq++), Schema.encodeChange(change));
                bytes += changeBytes(change);
            }
            m.batch.put(meta, Schema.REVISION, Schema.encodeLong(newRevision));
            // Compaction is part of the entry, decided by the same numbers on every replica.
            if (mustForget(oldest, newRevision, bytes)) {
                try (RocksIterator it = db.newIterator(cf.changes())) {
                    it.seek(Schema.changeKey(oldest, 0));
                    do {
                        bytes -= forgetRevision(m, it, oldest);
                        oldest++;
                    } while (mustForget(oldest, newRevision, bytes));
                    it.status();
                }
            }
            m.batch.put(meta, Schema.OLDEST_REVISION, Schema.encodeLong(oldest));
            m.batch.put(meta, Schema.HISTORY_BYTES, Schema.encodeLong(bytes));
        }
        m.batch.put(meta, Schema.APPLIED_INDEX, Schema.encodeLong(index));
        db.write(writeOptions, m.batch);
        appliedIndex = index;
        if (m.changed()) {
            historyBytes = bytes;
            oldestRevision = oldest;
            revision = newRevision;
        }
    }

    /** The history's retention, as the log last set it. */
    public HistoryRetention historyRetention() {
        return retention;
    }

    /**
     * Applies entry {@code index}, which sets the history's retention: it takes no revision, and the
     * history is compacted to it, like every compaction, by the next entry that changes a key.
     */
    public void apply(long index, Command.SetHistoryRetention command) {
        checkNotApplied(index);
        HistoryRetention next = new HistoryRetention(command.revisions(), command.bytes());
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(meta, Schema.HISTORY_RETENTION, Schema.encodeRetention(next));
            batch.put(meta, Schema.APPLIED_INDEX, Schema.encodeLong(index));
            db.write(writeOptions, batch);
            appliedIndex = index;
            retention = next;
        } catch (RocksDBException e) {
            throw new StorageException("cannot apply entry " + index + ": " + e.getMessage(), e);
        }
    }

    /** Records that entry {@code index}, which changes no data (a barrier), has been applied. */
    public void applyNothing(long index) {
        checkNotApplied(index);
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(meta, Schema.APPLIED_INDEX, Schema.encodeLong(index));
            db.write(writeOptions, batch);
            appliedIndex = index;
        } catch (RocksDBException e) {
            throw new StorageException("cannot apply entry " + index + ": " + e.getMessage(), e);
        }
    }

    private void checkNotApplied(long index) {
        if (index <= appliedIndex) {
            throw new IllegalStateException("entry " + index + " is already applied (appliedIndex " + appliedIndex + ")");
        }
    }

    private static WriteResult applyWrite(Mutation m, Command.KeyCommand command) throws RocksDBException {
        Mutation.Stored current = m.read(command.key());
        long currentRevision = current == null ? 0 : current.modRevision();
        if (!command.precondition().holds(currentRevision)) {
            return new WriteResult(Outcome.PRECONDITION_FAILED, 0, currentRevision);
        }
        if (command instanceof Command.Put put) {
            if (put.lease() != 0 && m.leaseTtl(put.lease()) < 0) {
                return new WriteResult(Outcome.LEASE_NOT_FOUND, 0, currentRevision);
            }
            if (put.lease() != 0 && (current == null || current.lease() != put.lease())
                    && m.leaseKeys(put.lease()) >= Limits.MAX_DELETED_KEYS) {
                return new WriteResult(Outcome.LEASE_FULL, 0, currentRevision);
            }
            m.put(put.key(), put.value(), put.lease());
            return new WriteResult(current == null ? Outcome.CREATED : Outcome.UPDATED, m.revision(), currentRevision);
        }
        if (current == null) {
            return new WriteResult(Outcome.NOT_FOUND, 0, 0);
        }
        m.delete(command.key());
        return new WriteResult(Outcome.DELETED, m.revision(), currentRevision);
    }

    /**
     * etcd's Txn: the compares are checked against the state before the transaction, then the chosen
     * branch runs in order, each operation seeing the ones before it. A put under a lease that does not
     * exist, or that would take a lease past {@link Limits#MAX_DELETED_KEYS} keys, and deletePrefix
     * operations that would delete more than that many keys, fail the whole transaction before
     * anything is written (overlapping prefixes are counted twice).
     */
    private TxnResult applyTxn(Mutation m, Command.Txn txn) throws RocksDBException {
        boolean succeeded = true;
        for (Compare c : txn.compares()) {
            Mutation.Stored s = m.read(c.key());
            if (s == null ? !c.holds(null, 0, 0) : !c.holds(s.value(), s.modRevision(), s.createRevision())) {
                succeeded = false;
                break;
            }
        }
        List<TxnOp> ops = succeeded ? txn.success() : txn.failure();
        Map<Long, Long> attaching = new LinkedHashMap<>();
        long deleting = 0;
        for (TxnOp op : ops) {
            if (op instanceof TxnOp.Put put && put.lease() != 0) {
                if (m.leaseTtl(put.lease()) < 0) {
                    return new TxnResult(succeeded, revision, List.of(), put.lease());
                }
                Mutation.Stored s = m.read(put.key());
                if (s == null || s.lease() != put.lease()) {
                    attaching.merge(put.lease(), 1L, Long::sum);
                }
            } else if (op instanceof TxnOp.DeletePrefix deletePrefix) {
                deleting += m.countPrefix(deletePrefix.prefix(), Limits.MAX_DELETED_KEYS + 1 - deleting);
            }
        }
        for (Map.Entry<Long, Long> lease : attaching.entrySet()) {
            if (m.leaseKeys(lease.getKey()) + lease.getValue() > Limits.MAX_DELETED_KEYS) {
                return new TxnResult(succeeded, revision, List.of(), 0, lease.getKey(), false);
            }
        }
        if (deleting > Limits.MAX_DELETED_KEYS) {
            return new TxnResult(succeeded, revision, List.of(), 0, 0, true);
        }
        List<TxnResult.OpResult> results = new ArrayList<>(ops.size());
        for (TxnOp op : ops) {
            if (op instanceof TxnOp.Put put) {
                Mutation.Stored before = m.put(put.key(), put.value(), put.lease());
                results.add(new TxnResult.Put(before == null ? 0 : before.modRevision()));
            } else if (op instanceof TxnOp.Delete delete) {
                Mutation.Stored before = m.delete(delete.key());
                results.add(new TxnResult.Delete(before == null ? 0 : before.modRevision()));
            } else if (op instanceof TxnOp.DeletePrefix deletePrefix) {
                results.add(new TxnResult.DeletePrefix(m.deletePrefix(deletePrefix.prefix())));
            } else {
                byte[] key = ((TxnOp.Get) op).key();
                Mutation.Stored s = m.read(key);
                results.add(s == null ? new TxnResult.Get(null, 0, 0)
                        : new TxnResult.Get(new KeyValue(key, s.value(), s.modRevision()), s.createRevision(), s.lease()));
            }
        }
        return new TxnResult(succeeded, m.changed() ? m.revision() : revision, results, 0);
    }

    /**
     * A lease's id is the log index of the entry that granted it: unique, and the same on every replica.
     * A grant or keepalive records its own index as the lease's last renewal (no revision: no key
     * changes). An expiry ends the lease only if the decision it carries still holds here: the entry
     * was written in the term whose leader decided (a later leader restarted every countdown), and
     * nothing renewed the lease after the renewal that countdown ran from.
     */
    private static LeaseResult applyLease(Mutation m, Command.LeaseCommand command, long index, long term)
            throws RocksDBException {
        if (command instanceof Command.LeaseGrant grant) {
            m.renewLease(index, grant.ttlSeconds(), index);
            return new LeaseResult(true, index, grant.ttlSeconds(), 0, 0);
        }
        long id = command instanceof Command.LeaseKeepAlive k ? k.id()
                : command instanceof Command.LeaseExpire e ? e.id() : ((Command.LeaseRevoke) command).id();
        long ttl = m.leaseTtl(id);
        if (ttl < 0) {
            return new LeaseResult(false, id, 0, 0, 0);
        }
        if (command instanceof Command.LeaseKeepAlive) {
            m.renewLease(id, ttl, index);
            return new LeaseResult(true, id, ttl, 0, 0);
        }
        if (command instanceof Command.LeaseExpire e
                && (e.decidingTerm() != term || e.renewedIndex() != m.leaseRenewedIndex(id))) {
            return new LeaseResult(false, id, 0, 0, 0); // the decision no longer holds: nothing expires
        }
        long deleted = m.revokeLease(id);
        return new LeaseResult(true, id, ttl, deleted > 0 ? m.revision() : 0, deleted);
    }

    private boolean mustForget(long oldest, long newRevision, long bytes) {
        return oldest < newRevision && (newRevision - oldest + 1 > retention.revisions() || bytes > retention.bytes());
    }

    /**
     * Deletes the changes of revision {@code oldRevision} from the history, reading them from {@code it},
     * which is at the first change of that revision or past it, and leaves it at the first change of a
     * later revision: one iterator and one seek serve every revision an entry forgets. @return their bytes
     */
    private long forgetRevision(Mutation m, RocksIterator it, long oldRevision) throws RocksDBException {
        long bytes = 0;
        for (; it.isValid() && Schema.changeRevision(it.key()) == oldRevision; it.next()) {
            bytes += changeBytes(Schema.decodeChange(it.key(), it.value()));
            m.batch.delete(cf.changes(), it.key());
        }
        return bytes;
    }

    private static long changeBytes(Change change) {
        return change.key().length + (change.value() == null ? 0 : change.value().length);
    }

    /**
     * Changes from the history, starting at the {@code fromSeq}-th change of {@code fromRevision}, that
     * touch the key (or the prefix), read from one consistent view. It stops after {@code maxBytes} of
     * keys and values (at least one change) or after looking at {@link #MAX_SCANNED_CHANGES} changes;
     * the answer says where to go on from. A revision older than the history is {@code compacted}.
     */
    public ChangesResult changes(Query.Changes q) {
        try (var snapshotOptions = new ReadOptions().setSnapshot(db.getSnapshot());
             RocksIterator it = db.newIterator(cf.changes(), snapshotOptions)) {
            try {
                long current = readLong(snapshotOptions, Schema.REVISION, 0);
                long oldest = readLong(snapshotOptions, Schema.OLDEST_REVISION, current + 1);
                if (q.fromRevision() < oldest) {
                    return new ChangesResult(List.of(), q.fromRevision(), q.fromSeq(), current, oldest, true);
                }
                List<Change> changes = new ArrayList<>();
                // Nothing further: on from the next revision, or from where it was if this replica is behind.
                long nextRevision = Math.max(q.fromRevision(), current + 1);
                int nextSeq = nextRevision == q.fromRevision() ? q.fromSeq() : 0;
                long bytes = 0;
                int scanned = 0;
                for (it.seek(Schema.changeKey(q.fromRevision(), q.fromSeq())); it.isValid(); it.next()) {
                    byte[] changeKey = it.key();
                    if ((bytes >= q.maxBytes() && !changes.isEmpty()) || scanned == MAX_SCANNED_CHANGES) {
                        nextRevision = Schema.changeRevision(changeKey);
                        nextSeq = Schema.changeSeq(changeKey);
                        break;
                    }
                    scanned++;
                    byte[] stored = it.value();
                    byte[] key = Schema.changedKey(stored);
                    if (q.prefix() ? Mutation.startsWith(key, q.key()) : Arrays.equals(key, q.key())) {
                        Change change = Schema.decodeChange(changeKey, stored);
                        changes.add(change);
                        bytes += changeBytes(change);
                    }
                }
                it.status();
                return new ChangesResult(changes, nextRevision, nextSeq, current, oldest, false);
            } finally {
                db.releaseSnapshot(snapshotOptions.snapshot());
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the history: " + e.getMessage(), e);
        }
    }

    /** @return the key's value and modRevision, or null when absent */
    public KeyValue get(byte[] key) {
        try {
            byte[] stored = db.get(kv, key);
            return stored == null ? null : new KeyValue(key, Schema.value(stored), Schema.modRevision(stored));
        } catch (RocksDBException e) {
            throw new StorageException("cannot read: " + e.getMessage(), e);
        }
    }

    /** A lease as stored: its time to live, and the index of the entry that last renewed it (grant or keepalive). */
    public record Lease(long ttlSeconds, long renewedIndex) {
    }

    /** Every lease, in id order. */
    public Map<Long, Lease> leases() {
        Map<Long, Lease> leases = new LinkedHashMap<>();
        try (RocksIterator it = db.newIterator(cf.leases())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                long id = Schema.decodeLong(it.key());
                leases.put(id, new Lease(Schema.leaseTtl(it.value()), Schema.leaseRenewedIndex(id, it.value())));
            }
            it.status();
            return leases;
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the leases: " + e.getMessage(), e);
        }
    }

    /** A lease and (at most {@code maxKeys} of) its keys; {@code remainingMillis} is -1 (the store does not count time). */
    public LeaseInfo leaseInfo(long id, int maxKeys) {
        try (var snapshotOptions = new ReadOptions().setSnapshot(db.getSnapshot());
             RocksIterator it = db.newIterator(cf.leaseKeys(), snapshotOptions)) {
            try {
                byte[] prefix = Schema.encodeLong(id);
                byte[] lease = db.get(cf.leases(), snapshotOptions, prefix);
                if (lease == null) {
                    return new LeaseInfo(false, id, 0, -1, List.of());
                }
                List<byte[]> keys = new ArrayList<>();
                for (it.seek(prefix); it.isValid() && keys.size() < maxKeys && Mutation.startsWith(it.key(), prefix);
                     it.next()) {
                    keys.add(Schema.leaseKeyToKey(it.key()));
                }
                it.status();
                return new LeaseInfo(true, id, Schema.leaseTtl(lease), -1, keys);
            } finally {
                db.releaseSnapshot(snapshotOptions.snapshot());
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot read lease " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Keys with the prefix, in unsigned byte order, strictly after {@code after}, from one consistent
     * view: at most {@code limit} of them, and fewer once the page holds {@link #MAX_PAGE_BYTES} of keys
     * and values (then {@code more} is set, and the client asks for the next page), so that a page of
     * large values never outgrows a message between replica and frontend or the frontend's memory.
     */
    public RangeResult range(Query.Range range) {
        byte[] prefix = range.prefix();
        byte[] after = range.after();
        List<KeyValue> items = new ArrayList<>(Math.min(range.limit(), 256));
        try (var snapshotOptions = new ReadOptions().setSnapshot(db.getSnapshot());
             RocksIterator it = db.newIterator(kv, snapshotOptions)) {
            try {
                if (after != null && Arrays.compareUnsigned(after, prefix) >= 0) {
                    it.seek(after);
                    if (it.isValid() && Arrays.equals(it.key(), after)) {
                        it.next();
                    }
                } else {
                    it.seek(prefix);
                }
                long bytes = 0;
                while (it.isValid() && startsWith(it.key(), prefix)) {
                    if (items.size() == range.limit() || bytes >= MAX_PAGE_BYTES) {
                        return new RangeResult(items, true);
                    }
                    byte[] stored = it.value();
                    byte[] value = range.keysOnly() ? null : Schema.value(stored);
                    items.add(new KeyValue(it.key(), value, Schema.modRevision(stored)));
                    bytes += it.key().length + (value == null ? 0 : value.length);
                    it.next();
                }
                it.status();
                return new RangeResult(items, false);
            } finally {
                db.releaseSnapshot(snapshotOptions.snapshot());
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot list: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a consistent copy of the whole database (hard links to its immutable files) into
     * {@code target}, which must not exist yet, and answers the copy's applied index. It may be called
     * while entries are being applied: the copy then holds a whole prefix of them (the memtables are
     * flushed atomically, and each entry is one write batch), and its applied index says which. The
     * flush also makes this database's own files hold at least as much.
     */
    public long checkpoint(Path target) {
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new StorageException("cannot create a checkpoint in " + target + ": " + e.getMessage(), e);
        }
        return appliedIndexIn(target);
    }

    /** The applied index recorded in a closed database directory (a checkpoint), 0 when none. */
    public static long appliedIndexIn(Path dir) {
        // Read-only, and only the default family (meta), which RocksDB allows for a read-only open.
        try (Options options = new Options(); RocksDB copy = RocksDB.openReadOnly(options, dir.toString())) {
            byte[] b = copy.get(Schema.APPLIED_INDEX);
            return b == null ? 0 : Schema.decodeLong(b);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the applied index in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Bytes on disk (SST files) plus memtables: the size of the data. */
    public long sizeBytes() {
        try {
            return db.getLongProperty(kv, "rocksdb.live-sst-files-size")
                    + db.getLongProperty(kv, "rocksdb.cur-size-all-mem-tables")
                    + db.getLongProperty(meta, "rocksdb.live-sst-files-size")
                    + db.getLongProperty(cf.changes(), "rocksdb.live-sst-files-size")
                    + db.getLongProperty(cf.changes(), "rocksdb.cur-size-all-mem-tables");
        } catch (RocksDBException e) {
            return -1;
        }
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, handles); // every family at once; a clean stop restarts without a replay
            }
        } catch (RocksDBException ignored) {
            // best effort: the Raft log replays whatever did not reach the disk
        }
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        writeOptions.close();
        cfOptions.close();
        dbOptions.close();
        memory.close();
    }

    /**
     * What bounds RocksDB's memory, outside the JVM heap: one block cache for every column family,
     * and the memtables of all families together within {@link #MEMTABLE_BYTES}, charged to that
     * cache. RocksDB's defaults (64 MiB memtables, two per family, eight families, and an 8 MiB cache
     * per family) would let a replica's RSS grow by several hundred MiB under a steady write load.
     */
    private static final class Memory implements AutoCloseable {
        static final long CACHE_BYTES = 64L << 20;
        static final long MEMTABLE_BYTES = 32L << 20;
        static final long WRITE_BUFFER_BYTES = 16L << 20;

        final LRUCache blockCache = new LRUCache(CACHE_BYTES);
        final WriteBufferManager writeBuffers = new WriteBufferManager(MEMTABLE_BYTES, blockCache);

        @Override
        public void close() {
            writeBuffers.close();
            blockCache.close();
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private long readLong(byte[] key, long dflt) throws RocksDBException {
        byte[] b = db.get(meta, key);
        return b == null ? dflt : Schema.decodeLong(b);
    }

    private long readLong(ReadOptions options, byte[] key, long dflt) throws RocksDBException {
        byte[] b = db.get(meta, options, key);
        return b == null ? dflt : Schema.decodeLong(b);
    }
}
