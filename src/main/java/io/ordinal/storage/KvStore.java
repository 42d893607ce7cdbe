package io.ordinal.storage;

import io.ordinal.command.Change;
import io.ordinal.command.ChangesResult;
import io.ordinal.command.KeySpace;
import io.ordinal.command.KeyValue;
import io.ordinal.command.LeaseInfo;
import io.ordinal.command.Query;
import io.ordinal.command.RangeResult;
import io.ordinal.command.StoreStatus;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
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
 * <p>The engine only: what an entry changes is decided by the {@link Applier}, and written here by
 * {@link #commit}. Single writer: {@link #commit} is called only by the state machine, in log order.
 * Reads may run concurrently from any thread.
 *
 * <p>Besides the keys it keeps the leases, the record of applied calls and a bounded history of
 * changes (for watches), each written in the same batch as the change itself.
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
    private final StoreOptions options;
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

    private KvStore(Path dir, StoreOptions options, RocksDB db, List<ColumnFamilyHandle> handles)
            throws RocksDBException {
        this.dir = dir;
        this.options = options;
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
            StoreOptions options = new StoreOptions();
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = RocksDB.open(options.db, dir.toString(), options.families(), handles);
            return new KvStore(dir, options, db, handles);
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

    /** The bytes of keys and values the history holds. */
    long historyBytes() {
        return historyBytes;
    }

    /** The history's retention, as the log last set it. */
    public HistoryRetention historyRetention() {
        return retention;
    }

    /** A mutation for the next entry, whose changes take the next revision; see {@link Applier}. */
    Mutation mutation() {
        return new Mutation(cf, calls, revision + 1);
    }

    /**
     * Writes entry {@code index}'s mutation, as the {@link Applier} decided it, with the new applied
     * index. The data change, its changes in the history, the new applied index and the new revision
     * are written in one RocksDB write batch, atomically: after a crash the database holds
     * either all or none of them, so replaying the log from {@link #appliedIndex()} + 1 never applies an
     * entry twice and never skips one.
     *
     * @throws IllegalStateException if {@code index} is not past the applied index (a replay)
     */
    public void commit(Mutation m, long index) {
        if (index <= appliedIndex) {
            throw new IllegalStateException("entry " + index + " is already applied (appliedIndex " + appliedIndex + ")");
        }
        try {
            m.batch.put(meta, Schema.APPLIED_INDEX, Schema.encodeLong(index));
            db.write(writeOptions, m.batch);
        } catch (RocksDBException e) {
            throw new StorageException("cannot apply entry " + index + ": " + e.getMessage(), e);
        }
        appliedIndex = index;
        Mutation.History history = m.history();
        if (history != null) {
            historyBytes = history.bytes();
            oldestRevision = history.oldestRevision();
            revision = history.revision();
        }
        if (m.retention() != null) {
            retention = m.retention();
        }
        m.committed();
    }

    /** The call's record, also when it has aged out but is not deleted yet; null when none. */
    AppliedCalls.Recorded recordedCall(ClientCall call) {
        try {
            return calls.find(call);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the applied calls: " + e.getMessage(), e);
        }
    }

    /**
     * The reply recorded for a call applied within {@link ClientCall#RETRY_WINDOW} of log time
     * {@code call.leaderMillis()}; empty when there is none (or it was too large to keep).
     */
    public byte[] recordedReply(ClientCall call) {
        AppliedCalls.Recorded recorded = recordedCall(call);
        return AppliedCalls.live(recorded, call.leaderMillis()) ? recorded.reply() : new byte[0];
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
                    if (q.prefix() ? KeySpace.covers(q.key(), key) : Arrays.equals(key, q.key())) {
                        Change change = Schema.decodeChange(changeKey, stored);
                        changes.add(change);
                        bytes += Mutation.changeBytes(change);
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
                while (it.isValid() && KeySpace.covers(prefix, it.key())) {
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
        options.close();
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
