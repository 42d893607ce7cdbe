package io.ordinal.storage;

import io.ordinal.command.Command;
import io.ordinal.command.KeyValue;
import io.ordinal.command.Precondition;
import io.ordinal.command.Query;
import io.ordinal.command.RangeResult;
import io.ordinal.command.WriteResult;
import io.ordinal.command.WriteResult.Outcome;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
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
import java.util.List;

/**
 * The key-value data of one replica, in RocksDB. Keys are stored as their UTF-8 bytes and sorted by
 * RocksDB's default bytewise comparator, which is unsigned byte order. The layout of every stored
 * byte is in {@link Schema}.
 *
 * <p>Single writer: {@link #apply} is called only by the state machine, in log order. Reads may run
 * concurrently from any thread.
 */
public final class KvStore implements AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    /** A page of a listing stops growing past this many bytes of keys and values (at least one item). */
    public static final long MAX_PAGE_BYTES = 4L * 1024 * 1024;

    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final RocksDB db;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle kv;
    private final WriteOptions writeOptions;
    private volatile long appliedIndex;
    private volatile long revision;

    private KvStore(Path dir, DBOptions dbOptions, ColumnFamilyOptions cfOptions, RocksDB db,
                    List<ColumnFamilyHandle> handles) throws RocksDBException {
        this.dir = dir;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.db = db;
        this.meta = handles.get(0);
        this.kv = handles.get(1);
        // No RocksDB write-ahead log at all: the Raft log is the durable record (fsynced on a majority
        // before a write is acknowledged), and RocksDB is its cache. After a crash the database holds
        // what its last memtable flush held — data and appliedIndex together, since each batch writes
        // both — and the entries after that appliedIndex are replayed from the Raft log. They are
        // still there: the log is purged only up to a snapshot, and a snapshot (a checkpoint) flushes
        // the memtables first. Writing every change twice (WAL, then SST) would only cost I/O.
        this.writeOptions = new WriteOptions().setSync(false).setDisableWAL(true);
        byte[] applied = db.get(meta, Schema.APPLIED_INDEX);
        this.appliedIndex = applied == null ? 0 : Schema.decodeLong(applied);
        byte[] rev = db.get(meta, Schema.REVISION);
        this.revision = rev == null ? 0 : Schema.decodeLong(rev);
    }

    /** Opens (creating if needed) the database in {@code dir}. */
    public static KvStore open(Path dir) {
        try {
            Files.createDirectories(dir);
            DBOptions dbOptions = new DBOptions()
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setKeepLogFileNum(3);
            ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
            List<ColumnFamilyDescriptor> descriptors = List.of(
                    new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                    new ColumnFamilyDescriptor(Schema.KV_FAMILY, cfOptions));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
            return new KvStore(dir, dbOptions, cfOptions, db, handles);
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

    /**
     * Applies the command of log entry {@code index}. The data change, the new applied index and the
     * new revision are written in one {@link WriteBatch}, atomically: after a crash the database holds
     * either all or none of them, so replaying the log from {@link #appliedIndex()} + 1 never applies
     * an entry twice and never skips one.
     *
     * <p>A write that changes something takes the next revision: revisions count successful writes,
     * store-wide, as etcd's do. A write that changes nothing (a failed condition, a delete of an absent
     * key) takes none, so a {@code 4xx} leaves no trace but the applied index. Every replica applies the
     * same entries in the same order, so every replica assigns the same revisions.
     *
     * @throws IllegalStateException if {@code index} is not past the applied index (a replay)
     */
    public WriteResult apply(long index, Command.Write command) {
        checkNotApplied(index);
        try (WriteBatch batch = new WriteBatch()) {
            byte[] key = command.key();
            byte[] current = db.get(kv, key);
            long currentRevision = current == null ? 0 : Schema.modRevision(current);
            long next = revision + 1;
            Precondition precondition = command.precondition();
            WriteResult result;
            if (!precondition.holds(currentRevision)) {
                result = new WriteResult(Outcome.PRECONDITION_FAILED, 0, currentRevision);
            } else if (command instanceof Command.Put put) {
                long createRevision = current == null ? next : Schema.createRevision(current);
                batch.put(kv, key, Schema.encodeValue(next, createRevision, put.value()));
                result = new WriteResult(current == null ? Outcome.CREATED : Outcome.UPDATED, next, currentRevision);
            } else if (current == null) {
                result = new WriteResult(Outcome.NOT_FOUND, 0, 0);
            } else {
                batch.delete(kv, key);
                result = new WriteResult(Outcome.DELETED, next, currentRevision);
            }
            if (result.outcome().applied()) {
                batch.put(meta, Schema.REVISION, Schema.encodeLong(next));
            }
            batch.put(meta, Schema.APPLIED_INDEX, Schema.encodeLong(index));
            db.write(writeOptions, batch);
            appliedIndex = index;
            if (result.outcome().applied()) {
                revision = next;
            }
            return result;
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

    /** @return the key's value and modRevision, or null when absent */
    public KeyValue get(byte[] key) {
        try {
            byte[] stored = db.get(kv, key);
            return stored == null ? null : new KeyValue(key, Schema.value(stored), Schema.modRevision(stored));
        } catch (RocksDBException e) {
            throw new StorageException("cannot read: " + e.getMessage(), e);
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
     * {@code target}, which must not exist yet. The copy's applied index is this store's at the time.
     */
    public void checkpoint(Path target) {
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new StorageException("cannot create a checkpoint in " + target + ": " + e.getMessage(), e);
        }
    }

    /** Bytes on disk (SST files) plus memtables: the size of the data. */
    public long sizeBytes() {
        try {
            return db.getLongProperty(kv, "rocksdb.live-sst-files-size")
                    + db.getLongProperty(kv, "rocksdb.cur-size-all-mem-tables")
                    + db.getLongProperty(meta, "rocksdb.live-sst-files-size");
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
                db.flush(flush, List.of(meta, kv)); // a clean stop restarts without a replay
            }
        } catch (RocksDBException ignored) {
            // best effort: the Raft log replays whatever did not reach the disk
        }
        meta.close();
        kv.close();
        db.close();
        writeOptions.close();
        cfOptions.close();
        dbOptions.close();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
