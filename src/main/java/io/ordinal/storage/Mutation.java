package io.ordinal.storage;

import io.ordinal.command.Change;
import io.ordinal.command.CommandResult;
import io.ordinal.command.KeySpace;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The changes one log entry makes, as the {@link Applier} decided them, gathered in one indexed write
 * batch: reads through it see the entry's own earlier writes (a transaction's get after its put), and
 * nothing reaches the database until {@link KvStore#commit} writes the whole batch, with the new
 * revision, the history and the applied index, in one atomic write. Every key written takes the
 * entry's one new {@code revision}, except in a batch of independent writes, where each successful
 * write takes a revision of its own ({@link #advance()}).
 *
 * <p>Besides the batch it carries what the store takes into memory once the batch is written (the
 * history's new bounds, a new retention, the oldest record of applied calls) and the entry's answer.
 */
public final class Mutation implements AutoCloseable {

    private static final byte[] EMPTY = new byte[0];

    /** A key as stored: its value, modRevision, createRevision and lease (0 for none). */
    record Stored(byte[] value, long modRevision, long createRevision, long lease) {
    }

    /** The history after the entry: the store's new revision, its oldest revision kept, and their bytes. */
    record History(long revision, long oldestRevision, long bytes) {
    }

    private final KvStore.Families cf;
    private final AppliedCalls calls;
    private long revision;
    final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
    private final ReadOptions readOptions = new ReadOptions();
    private final List<Change> changes = new ArrayList<>();
    private History history;
    private HistoryRetention retention;
    private boolean callRecorded;
    private long oldestCall;
    private CommandResult result;
    private byte[] reply;

    Mutation(KvStore.Families families, AppliedCalls calls, long revision) {
        this.cf = families;
        this.calls = calls;
        this.revision = revision;
    }

    /** The entry's result; null when it changes nothing but the applied index (a barrier, a retention, a call applied before). */
    public CommandResult result() {
        return result;
    }

    /** The entry's encoded reply; null when it is answered with nothing (a barrier, a retention). */
    public byte[] reply() {
        return reply;
    }

    void answer(CommandResult result, byte[] reply) {
        this.result = result;
        this.reply = reply;
    }

    /** The revision this entry's writes take if it changes anything. */
    long revision() {
        return revision;
    }

    /** The writes that follow take the next revision (one batched write succeeded). */
    void advance() {
        revision++;
    }

    List<Change> changes() {
        return changes;
    }

    boolean changed() {
        return !changes.isEmpty();
    }

    Stored read(byte[] key) throws RocksDBException {
        byte[] stored = get(cf.kv(), key);
        if (stored == null) {
            return null;
        }
        byte[] lease = get(cf.keyLeases(), key);
        return new Stored(Schema.value(stored), Schema.modRevision(stored), Schema.createRevision(stored),
                lease == null ? 0 : Schema.decodeLong(lease));
    }

    /** @return the key's state before the put, null when it was absent */
    Stored put(byte[] key, byte[] value, long lease) throws RocksDBException {
        Stored current = read(key);
        long createRevision = current == null ? revision : current.createRevision();
        batch.put(cf.kv(), key, Schema.encodeValue(revision, createRevision, value));
        long oldLease = current == null ? 0 : current.lease();
        if (oldLease != lease) {
            // Counted first: a lease not yet counted is counted from its lease_keys as they were.
            if (oldLease != 0) {
                countLeaseKeys(oldLease, -1);
                batch.delete(cf.leaseKeys(), Schema.leaseKey(oldLease, key));
            }
            if (lease != 0) {
                countLeaseKeys(lease, 1);
                batch.put(cf.leaseKeys(), Schema.leaseKey(lease, key), EMPTY);
                batch.put(cf.keyLeases(), key, Schema.encodeLong(lease));
            } else {
                batch.delete(cf.keyLeases(), key);
            }
        }
        changes.add(new Change(Change.Type.PUT, key, value, revision));
        return current;
    }

    /** @return the key's state before the delete, null when it was absent (then nothing changes) */
    Stored delete(byte[] key) throws RocksDBException {
        Stored current = read(key);
        if (current == null) {
            return null;
        }
        batch.delete(cf.kv(), key);
        if (current.lease() != 0) {
            countLeaseKeys(current.lease(), -1);
            batch.delete(cf.leaseKeys(), Schema.leaseKey(current.lease(), key));
            batch.delete(cf.keyLeases(), key);
        }
        changes.add(new Change(Change.Type.DELETE, key, null, revision));
        return current;
    }

    /**
     * How many keys are under {@code prefix} (as {@link #deletePrefix} sees them), counted no further than {@code atMost}: a count that
     * holds no key in memory, to decide before deleting them whether an entry may.
     */
    long countPrefix(byte[] prefix, long atMost) throws RocksDBException {
        long n = 0;
        try (RocksIterator base = cf.db().newIterator(cf.kv(), readOptions);
             RocksIterator it = batch.newIteratorWithBase(cf.kv(), base)) {
            for (it.seek(prefix); n < atMost && it.isValid() && KeySpace.covers(prefix, it.key()); it.next()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Deletes every key under {@code prefix} ({@link KeySpace#covers}: {@code ""} spares the system's keys,
     * which sort last; no entry before them held any), in byte order; @return how many
     */
    long deletePrefix(byte[] prefix) throws RocksDBException {
        List<byte[]> keys = new ArrayList<>();
        try (RocksIterator base = cf.db().newIterator(cf.kv(), readOptions);
             RocksIterator it = batch.newIteratorWithBase(cf.kv(), base)) {
            for (it.seek(prefix); it.isValid() && KeySpace.covers(prefix, it.key()); it.next()) {
                keys.add(it.key());
            }
        }
        for (byte[] key : keys) {
            delete(key);
        }
        return keys.size();
    }

    /** @return the lease's time to live in seconds, or -1 when it does not exist */
    long leaseTtl(long id) throws RocksDBException {
        byte[] stored = get(cf.leases(), Schema.encodeLong(id));
        return stored == null ? -1 : Schema.leaseTtl(stored);
    }

    /** @return the index of the entry that last renewed the lease (its grant or a keepalive), -1 when it does not exist */
    long leaseRenewedIndex(long id) throws RocksDBException {
        byte[] stored = get(cf.leases(), Schema.encodeLong(id));
        return stored == null ? -1 : Schema.leaseRenewedIndex(id, stored);
    }

    /** Grants (renewedIndex is then the id) or renews the lease: the entry at {@code renewedIndex} renewed it last. */
    void renewLease(long id, long ttlSeconds, long renewedIndex) {
        try {
            batch.put(cf.leases(), Schema.encodeLong(id), Schema.encodeLease(ttlSeconds, renewedIndex));
            if (renewedIndex == id) { // the grant: a new lease holds no key yet
                batch.put(cf.meta(), Schema.leaseKeyCount(id), Schema.encodeLong(0));
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot write lease " + id, e);
        }
    }

    /** Deletes the lease and every key attached to it; @return how many keys */
    long revokeLease(long id) throws RocksDBException {
        byte[] prefix = Schema.encodeLong(id);
        List<byte[]> keys = new ArrayList<>();
        try (RocksIterator base = cf.db().newIterator(cf.leaseKeys(), readOptions);
             RocksIterator it = batch.newIteratorWithBase(cf.leaseKeys(), base)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                keys.add(Schema.leaseKeyToKey(it.key()));
            }
        }
        for (byte[] key : keys) {
            delete(key);
        }
        batch.delete(cf.leases(), prefix);
        batch.delete(cf.meta(), Schema.leaseKeyCount(id));
        return keys.size();
    }

    /**
     * How many keys lease {@code id} holds. A lease granted before they were counted has them counted
     * here, once (its count is written with the entry's next change to it): the same on every replica.
     */
    long leaseKeys(long id) throws RocksDBException {
        byte[] count = get(cf.meta(), Schema.leaseKeyCount(id));
        if (count != null) {
            return Schema.decodeLong(count);
        }
        byte[] prefix = Schema.encodeLong(id);
        long n = 0;
        try (RocksIterator base = cf.db().newIterator(cf.leaseKeys(), readOptions);
             RocksIterator it = batch.newIteratorWithBase(cf.leaseKeys(), base)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                n++;
            }
        }
        return n;
    }

    /** Adds the entry's changes to the history, each under its revision, numbered within it; @return their bytes */
    long appendToHistory() throws RocksDBException {
        long bytes = 0;
        int seq = 0;
        long at = -1;
        for (Change change : changes) {
            seq = change.modRevision() == at ? seq : 0;
            at = change.modRevision();
            batch.put(cf.changes(), Schema.changeKey(at, seq++), Schema.encodeChange(change));
            bytes += changeBytes(change);
        }
        return bytes;
    }

    /** Deletes the history's oldest revisions from {@code oldest} on, one by one: see {@link Forgetting}. */
    Forgetting forgetFrom(long oldest) {
        return new Forgetting(oldest);
    }

    /** Writes the history's new bounds and the store's new revision. */
    void moveHistory(History next) throws RocksDBException {
        batch.put(cf.meta(), Schema.REVISION, Schema.encodeLong(next.revision()));
        batch.put(cf.meta(), Schema.OLDEST_REVISION, Schema.encodeLong(next.oldestRevision()));
        batch.put(cf.meta(), Schema.HISTORY_BYTES, Schema.encodeLong(next.bytes()));
        history = next;
    }

    /** The history after the entry; null when it changes no key. */
    History history() {
        return history;
    }

    void setRetention(HistoryRetention next) throws RocksDBException {
        batch.put(cf.meta(), Schema.HISTORY_RETENTION, Schema.encodeRetention(next));
        retention = next;
    }

    /** The retention the entry sets; null when it sets none. */
    HistoryRetention retention() {
        return retention;
    }

    /** Records the call and its reply, and forgets records that aged out ({@link AppliedCalls#record}). */
    void recordCall(ClientCall call, byte[] reply, AppliedCalls.Recorded agedOut) throws RocksDBException {
        oldestCall = calls.record(batch, call, reply, agedOut);
        callRecorded = true;
    }

    /** The batch is written: what it changed in memory takes effect. */
    void committed() {
        if (callRecorded) {
            calls.committed(oldestCall);
        }
    }

    /**
     * Deletes the history's changes revision by revision, oldest first: one iterator and one seek
     * serve every revision an entry forgets.
     */
    final class Forgetting implements AutoCloseable {
        private final RocksIterator it;

        private Forgetting(long oldest) {
            it = cf.db().newIterator(cf.changes());
            it.seek(Schema.changeKey(oldest, 0));
        }

        /**
         * Deletes the changes of {@code oldRevision}, at which the iterator is (or past it), and leaves
         * it at the first change of a later revision. @return their bytes
         */
        long forget(long oldRevision) throws RocksDBException {
            long bytes = 0;
            for (; it.isValid() && Schema.changeRevision(it.key()) == oldRevision; it.next()) {
                bytes += changeBytes(Schema.decodeChange(it.key(), it.value()));
                batch.delete(cf.changes(), it.key());
            }
            return bytes;
        }

        @Override
        public void close() throws RocksDBException {
            try {
                it.status();
            } finally {
                it.close();
            }
        }
    }

    static long changeBytes(Change change) {
        return change.key().length + (change.value() == null ? 0 : change.value().length);
    }

    private void countLeaseKeys(long id, int delta) throws RocksDBException {
        batch.put(cf.meta(), Schema.leaseKeyCount(id), Schema.encodeLong(leaseKeys(id) + delta));
    }

    private byte[] get(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
        return batch.getFromBatchAndDB(cf.db(), family, readOptions, key);
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public void close() {
        readOptions.close();
        batch.close();
    }
}
