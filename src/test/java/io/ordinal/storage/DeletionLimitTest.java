package io.ordinal.storage;

import io.ordinal.command.Command;
import io.ordinal.command.LeaseResult;
import io.ordinal.command.Limits;
import io.ordinal.command.Precondition;
import io.ordinal.command.TxnOp;
import io.ordinal.command.TxnResult;
import io.ordinal.command.WriteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What bounds the memory one entry's apply takes: the keys it may delete at once (by prefix, or with
 * a lease). The limit is decided in the apply, from the replicated state only, so every replica
 * answers the same; a refused entry writes nothing.
 */
class DeletionLimitTest {

    static final int LIMIT = Limits.MAX_DELETED_KEYS;

    @TempDir
    Path dir;

    private long index;

    @Test
    void aTransactionThatWouldDeleteMoreKeysThanTheLimitWritesNothing() {
        try (KvStore store = KvStore.open(dir)) {
            fill(store, "p/", LIMIT + 1, 0);
            long revision = store.revision();
            TxnResult r = Entries.apply(store, ++index, new Command.Txn(List.of(), List.of(
                    new TxnOp.Put(b("x"), b("1"), 0), new TxnOp.DeletePrefix(b("p/"))), List.of()));
            assertThat(r.tooManyDeletions()).isTrue();
            assertThat(r.results()).isEmpty();
            assertThat(r.revision()).isEqualTo(revision);
            assertThat(store.get(b("p/" + LIMIT))).as("a key under the prefix").isNotNull();
            assertThat(store.get(b("x"))).as("the transaction's put").isNull();
            assertThat(store.revision()).isEqualTo(revision);
            assertThat(store.appliedIndex()).isEqualTo(index);
        }
    }

    @Test
    void aTransactionMayDeleteAsManyKeysAsTheLimit() {
        try (KvStore store = KvStore.open(dir)) {
            fill(store, "p/", LIMIT, 0);
            TxnResult r = Entries.apply(store, ++index, new Command.Txn(List.of(), List.of(new TxnOp.DeletePrefix(b("p/"))),
                    List.of()));
            assertThat(r.tooManyDeletions()).isFalse();
            assertThat(r.results()).containsExactly(new TxnResult.DeletePrefix(LIMIT));
            assertThat(store.get(b("p/" + (LIMIT - 1)))).isNull();
        }
    }

    @Test
    void aLeaseTakesNoMoreKeysThanTheLimitSoThatItsRevokeIsBounded() {
        try (KvStore store = KvStore.open(dir)) {
            long lease = ++index;
            Entries.apply(store, lease, new Command.LeaseGrant(60));
            List<WriteResult> attached = fill(store, "l/", LIMIT + 1, lease);
            assertThat(attached.get(LIMIT - 1).outcome()).isEqualTo(WriteResult.Outcome.CREATED);
            assertThat(attached.get(LIMIT).outcome()).isEqualTo(WriteResult.Outcome.LEASE_FULL);
            assertThat(store.get(b("l/" + LIMIT))).as("the key past the limit").isNull();
            LeaseResult revoked = Entries.apply(store, ++index, new Command.LeaseRevoke(lease));
            assertThat(revoked.deletedKeys()).isEqualTo(LIMIT);
        }
    }

    @Test
    void aKeyAlreadyOnAFullLeaseMayBePutAgainAndADetachedKeyFreesItsPlace() {
        try (KvStore store = KvStore.open(dir)) {
            long lease = ++index;
            Entries.apply(store, lease, new Command.LeaseGrant(60));
            fill(store, "l/", LIMIT, lease);
            assertThat(Entries.apply(store, ++index, new Command.Put(b("l/0"), b("again"), Precondition.NONE, lease)).outcome())
                    .isEqualTo(WriteResult.Outcome.UPDATED);
            assertThat(Entries.apply(store, ++index, new Command.Put(b("other"), b("v"), Precondition.NONE, lease)).outcome())
                    .isEqualTo(WriteResult.Outcome.LEASE_FULL);
            Entries.apply(store, ++index, new Command.Put(b("l/1"), b("detached"), Precondition.NONE));
            Entries.apply(store, ++index, new Command.Delete(b("l/2"), Precondition.NONE));
            Entries.apply(store, ++index, new Command.Txn(List.of(), List.of(new TxnOp.DeletePrefix(b("l/3"))), List.of()));
            // l/3 and l/30..l/39, l/300..l/399, l/3000..l/3999: 1,111 keys
            assertThat(Entries.apply(store, ++index, new Command.Put(b("other"), b("v"), Precondition.NONE, lease)).outcome())
                    .isEqualTo(WriteResult.Outcome.CREATED);
            assertThat(Entries.apply(store, ++index, new Command.LeaseRevoke(lease)).deletedKeys()).isEqualTo(LIMIT - 2 - 1111 + 1);
        }
    }

    @Test
    void aTransactionThatWouldTakeALeasePastItsLimitWritesNothing() {
        try (KvStore store = KvStore.open(dir)) {
            long lease = ++index;
            Entries.apply(store, lease, new Command.LeaseGrant(60));
            fill(store, "l/", LIMIT - 1, lease);
            long revision = store.revision();
            TxnResult r = Entries.apply(store, ++index, new Command.Txn(List.of(), List.of(
                    new TxnOp.Put(b("a"), b("1"), lease), new TxnOp.Put(b("b"), b("1"), lease)), List.of()));
            assertThat(r.fullLease()).isEqualTo(lease);
            assertThat(r.results()).isEmpty();
            assertThat(store.revision()).isEqualTo(revision);
            assertThat(store.get(b("a"))).isNull();
            r = Entries.apply(store, ++index, new Command.Txn(List.of(), List.of(
                    new TxnOp.Put(b("a"), b("1"), lease), new TxnOp.Put(b("l/0"), b("1"), lease)), List.of()));
            assertThat(r.fullLease()).as("a key already on the lease takes no new place").isZero();
            assertThat(store.get(b("a"))).isNotNull();
        }
    }

    @Test
    void aLeaseGrantedBeforeItsKeysWereCountedIsCountedFromItsKeys() throws Exception {
        long lease;
        try (KvStore store = KvStore.open(dir)) {
            lease = ++index;
            Entries.apply(store, lease, new Command.LeaseGrant(60));
            fill(store, "l/", LIMIT, lease);
        }
        // As a database written before the count existed: the lease's keys, and no count.
        List<org.rocksdb.ColumnFamilyDescriptor> families = new ArrayList<>();
        try (org.rocksdb.Options options = new org.rocksdb.Options()) {
            for (byte[] name : org.rocksdb.RocksDB.listColumnFamilies(options, dir.toString())) {
                families.add(new org.rocksdb.ColumnFamilyDescriptor(name));
            }
        }
        List<org.rocksdb.ColumnFamilyHandle> handles = new ArrayList<>();
        try (org.rocksdb.DBOptions options = new org.rocksdb.DBOptions();
             org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(options, dir.toString(), families, handles)) {
            db.delete(Schema.leaseKeyCount(lease)); // in meta, the default family
            handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
        }
        try (KvStore store = KvStore.open(dir)) {
            assertThat(Entries.apply(store, ++index, new Command.Put(b("other"), b("v"), Precondition.NONE, lease)).outcome())
                    .isEqualTo(WriteResult.Outcome.LEASE_FULL);
        }
    }

    /** Puts {@code n} keys {@code prefix0 .. prefix(n-1)}, 512 to an entry, under {@code lease} (0: none). */
    private List<WriteResult> fill(KvStore store, String prefix, int n, long lease) {
        List<WriteResult> results = new ArrayList<>(n);
        for (int from = 0; from < n; from += 512) {
            List<Command.KeyCommand> writes = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 512); i++) {
                writes.add(new Command.Put(b(prefix + i), b("v"), Precondition.NONE, lease));
            }
            results.addAll(((io.ordinal.command.BatchResult) Entries.apply(store, ++index, new Command.Batch(writes))).results());
        }
        return results;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
