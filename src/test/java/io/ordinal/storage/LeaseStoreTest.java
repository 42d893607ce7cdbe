package io.ordinal.storage;

import io.ordinal.command.Change;
import io.ordinal.command.Command;
import io.ordinal.command.LeaseResult;
import io.ordinal.command.Precondition;
import io.ordinal.command.WriteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.ordinal.storage.TransactionStoreTest.b;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leases as the store keeps them: granted, renewed, attached, detached, revoked with their keys at one
 * revision, and expired only while the leader's decision still holds.
 */
class LeaseStoreTest {

    @TempDir
    Path dir;

    @Test
    void aGrantedLeaseIsNamedByItsEntryAndTakesNoRevision() {
        try (KvStore store = KvStore.open(dir)) {
            LeaseResult granted = Entries.apply(store, 7, new Command.LeaseGrant(30));
            assertThat(granted).isEqualTo(new LeaseResult(true, 7, 30, 0, 0));
            assertThat(store.revision()).isZero();
            assertThat(store.leases()).isEqualTo(Map.of(7L, new KvStore.Lease(30, 7)));
            assertThat(Entries.apply(store, 8, new Command.LeaseKeepAlive(7)).found()).isTrue();
            assertThat(Entries.apply(store, 9, new Command.LeaseKeepAlive(99)).found()).isFalse();
            assertThat(store.leases()).as("a keepalive is the lease's last renewal, and takes no revision")
                    .isEqualTo(Map.of(7L, new KvStore.Lease(30, 8)));
            assertThat(store.revision()).isZero();
        }
    }

    @Test
    void anExpiryDecidedBeforeAKeepaliveThatIsAppliedFirstLeavesTheLeaseAndItsKeys() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, 1, new Command.LeaseGrant(10));
            Entries.apply(store, 2, 1, new Command.Put(b("lock"), b("me"), Precondition.NONE, 1));
            // The leader's countdown ran from the grant (entry 1) when it decided; the owner's keepalive
            // reached the log first.
            Entries.apply(store, 3, 1, new Command.LeaseKeepAlive(1));
            LeaseResult stale = Entries.apply(store, 4, 1, new Command.LeaseExpire(1, 1, 1));
            assertThat(stale.found()).as("a stale expiry ends nothing").isFalse();
            assertThat(store.get(b("lock"))).isNotNull();
            assertThat(store.leases()).isEqualTo(Map.of(1L, new KvStore.Lease(10, 3)));
            assertThat(store.revision()).as("and takes no revision").isEqualTo(1);
            assertThat(store.appliedIndex()).isEqualTo(4);
        }
    }

    @Test
    void anExpiryWrittenInAnotherTermThanTheOneThatDecidedItLeavesTheLease() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, 1, new Command.LeaseGrant(10));
            Entries.apply(store, 2, 1, new Command.Put(b("lock"), b("me"), Precondition.NONE, 1));
            // A leader of term 1 decided on its clock; its entry reached the log in term 2, whose leader
            // gave every lease a fresh countdown. And a decision that claims a term not yet written.
            assertThat(Entries.apply(store, 3, 2, new Command.LeaseExpire(1, 1, 1)).found()).isFalse();
            assertThat(Entries.apply(store, 4, 2, new Command.LeaseExpire(1, 3, 1)).found()).isFalse();
            assertThat(store.get(b("lock"))).isNotNull();
            assertThat(store.leases()).containsOnlyKeys(1L);
            assertThat(store.revision()).isEqualTo(1);
        }
    }

    @Test
    void anExpiryWhoseDecisionStillHoldsDeletesTheLeaseAndItsKeysAtOneRevision() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, 1, new Command.LeaseGrant(10));
            Entries.apply(store, 2, 1, new Command.Put(b("a"), b("1"), Precondition.NONE, 1));
            Entries.apply(store, 3, 1, new Command.Put(b("b"), b("1"), Precondition.NONE, 1));
            Entries.apply(store, 4, 2, new Command.LeaseKeepAlive(1));
            LeaseResult expired = Entries.apply(store, 5, 2, new Command.LeaseExpire(1, 2, 4));
            assertThat(expired).isEqualTo(new LeaseResult(true, 1, 10, 3, 2));
            assertThat(store.get(b("a"))).isNull();
            assertThat(store.get(b("b"))).isNull();
            assertThat(store.leases()).isEmpty();
            assertThat(store.changes(new io.ordinal.command.Query.Changes(3, 0, b(""), true, 1 << 20, 0)).changes())
                    .extracting(Change::type, Change::modRevision)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Change.Type.DELETE, 3L),
                            org.assertj.core.groups.Tuple.tuple(Change.Type.DELETE, 3L));
            assertThat(Entries.apply(store, 6, 2, new Command.LeaseExpire(1, 2, 4)).found()).as("gone already").isFalse();
            assertThat(store.revision()).isEqualTo(3);
        }
    }

    @Test
    void aLeaseStoredByTheVersionBeforeRenewalsWereKeptCountsAsRenewedByItsGrant() throws Exception {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 5, 1, new Command.LeaseGrant(10));
            Entries.apply(store, 6, 1, new Command.Put(b("a"), b("1"), Precondition.NONE, 5));
        }
        // What the previous version wrote: the ttl alone.
        writeRaw(Schema.LEASES_FAMILY, Schema.encodeLong(5), Schema.encodeLong(10));
        try (KvStore store = KvStore.open(dir)) {
            assertThat(store.leases()).isEqualTo(Map.of(5L, new KvStore.Lease(10, 5)));
            assertThat(store.leaseInfo(5, 10).ttlSeconds()).isEqualTo(10);
            assertThat(Entries.apply(store, 7, 1, new Command.LeaseExpire(5, 1, 6)).found()).isFalse();
            assertThat(Entries.apply(store, 8, 1, new Command.LeaseExpire(5, 1, 5))).isEqualTo(new LeaseResult(true, 5, 10, 2, 1));
            assertThat(store.get(b("a"))).isNull();
        }
    }

    /** Writes one value straight into a closed store's database, as another version of the code would have. */
    private void writeRaw(byte[] family, byte[] key, byte[] value) throws RocksDBException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (Options options = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
                descriptors.add(new ColumnFamilyDescriptor(name));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions(); RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
            for (int i = 0; i < descriptors.size(); i++) {
                if (Arrays.equals(descriptors.get(i).getName(), family)) {
                    db.put(handles.get(i), key, value);
                }
            }
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, handles);
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    @Test
    void revokingALeaseDeletesItsKeysAtOneRevisionThatTheHistoryShows() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, new Command.LeaseGrant(10));
            Entries.apply(store, 2, new Command.Put(b("a"), b("1"), Precondition.NONE, 1));
            Entries.apply(store, 3, new Command.Put(b("b"), b("1"), Precondition.NONE, 1));
            Entries.apply(store, 4, new Command.Put(b("c"), b("1"), Precondition.NONE));
            assertThat(store.leaseInfo(1, 10).keys()).extracting(String::new).containsExactly("a", "b");
            LeaseResult revoked = Entries.apply(store, 5, new Command.LeaseRevoke(1));
            assertThat(revoked).isEqualTo(new LeaseResult(true, 1, 10, 4, 2));
            assertThat(store.get(b("a"))).isNull();
            assertThat(store.get(b("b"))).isNull();
            assertThat(store.get(b("c"))).isNotNull();
            assertThat(store.leases()).isEmpty();
            assertThat(store.changes(new io.ordinal.command.Query.Changes(4, 0, b(""), true, 1 << 20, 0)).changes())
                    .extracting(Change::type, Change::modRevision)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Change.Type.DELETE, 4L),
                            org.assertj.core.groups.Tuple.tuple(Change.Type.DELETE, 4L));
            assertThat(Entries.apply(store, 6, new Command.LeaseRevoke(1)).found()).isFalse();
        }
    }

    @Test
    void aPutWithoutTheLeaseDetachesTheKeyAndADeleteForgetsIt() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, new Command.LeaseGrant(10));
            Entries.apply(store, 2, new Command.Put(b("a"), b("1"), Precondition.NONE, 1));
            Entries.apply(store, 3, new Command.Put(b("b"), b("1"), Precondition.NONE, 1));
            Entries.apply(store, 4, new Command.Put(b("a"), b("2"), Precondition.NONE));
            Entries.apply(store, 5, new Command.Delete(b("b"), Precondition.NONE));
            assertThat(store.leaseInfo(1, 10).keys()).isEmpty();
            LeaseResult revoked = Entries.apply(store, 6, new Command.LeaseRevoke(1));
            assertThat(revoked.deletedKeys()).isZero();
            assertThat(revoked.revision()).isZero();
            assertThat(store.get(b("a")).value()).isEqualTo(b("2"));
        }
    }

    @Test
    void aPutUnderAnUnknownLeaseChangesNothing() {
        try (KvStore store = KvStore.open(dir)) {
            WriteResult r = Entries.apply(store, 1, new Command.Put(b("a"), b("1"), Precondition.NONE, 42));
            assertThat(r.outcome()).isEqualTo(WriteResult.Outcome.LEASE_NOT_FOUND);
            assertThat(store.get(b("a"))).isNull();
            assertThat(store.revision()).isZero();
        }
    }
}
