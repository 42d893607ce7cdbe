package io.ordinal.storage;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

import java.util.List;

/**
 * How {@link KvStore} opens RocksDB, and what bounds its memory outside the JVM heap: one block cache
 * for every column family, and the memtables of all families together within {@link #MEMTABLE_BYTES},
 * charged to that cache. RocksDB's defaults (64 MiB memtables, two per family, eight families, and an
 * 8 MiB cache per family) would let a replica's RSS grow by several hundred MiB under a steady write
 * load. Open as long as the database is.
 */
final class StoreOptions implements AutoCloseable {
    static final long CACHE_BYTES = 64L << 20;
    static final long MEMTABLE_BYTES = 32L << 20;
    static final long WRITE_BUFFER_BYTES = 16L << 20;

    private final LRUCache blockCache = new LRUCache(CACHE_BYTES);
    private final WriteBufferManager writeBuffers = new WriteBufferManager(MEMTABLE_BYTES, blockCache);
    final DBOptions db = new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setKeepLogFileNum(3)
            // Without a WAL, each column family's memtable would be flushed on its own
            // schedule: after a crash the applied index (meta) could be ahead of the data it
            // covers. Atomic flush writes every family's memtable at one point, so what
            // survives a crash is always a whole prefix of the applied entries.
            .setAtomicFlush(true)
            .setWriteBufferManager(writeBuffers);
    private final ColumnFamilyOptions family = new ColumnFamilyOptions()
            .setWriteBufferSize(WRITE_BUFFER_BYTES)
            .setMaxWriteBufferNumber(2)
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache));

    /** Every column family, in the order of {@link KvStore.Families}. */
    List<ColumnFamilyDescriptor> families() {
        return List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, family),
                new ColumnFamilyDescriptor(Schema.KV_FAMILY, family),
                new ColumnFamilyDescriptor(Schema.CHANGES_FAMILY, family),
                new ColumnFamilyDescriptor(Schema.LEASES_FAMILY, family),
                new ColumnFamilyDescriptor(Schema.LEASE_KEYS_FAMILY, family),
                new ColumnFamilyDescriptor(Schema.KEY_LEASES_FAMILY, family),
                new ColumnFamilyDescriptor(Schema.CALLS_FAMILY, family),
                new ColumnFamilyDescriptor(Schema.CALL_TIMES_FAMILY, family));
    }

    @Override
    public void close() {
        family.close();
        db.close();
        writeBuffers.close();
        blockCache.close();
    }
}
