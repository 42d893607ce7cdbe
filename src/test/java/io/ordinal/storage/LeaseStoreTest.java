package io.ordinal.storage;

import io.ordinal.command.Change;
import io.ordinal.command.Command;
import io.ordinal.command.LeaseResult;
import io.ordinal.command.Precondition;
import io.ordinal.command.WriteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.ordinal.storage.TransactionStoreTest.b;
import static org.assertj.core.api.Assertions.assertThat;

/** Leases as the store keeps them: granted, attached, detached, revoked with their keys at one revision. */
class LeaseStoreTest {

    @TempDir
    Path dir;

    @Test
    void aGrantedLeaseIsNamedByItsEntryAndTakesNoRevision() {
        try (KvStore store = KvStore.open(dir)) {
            LeaseResult granted = store.apply(7, new Command.LeaseGrant(30));
            assertThat(granted).isEqualTo(new LeaseResult(true, 7, 30, 0, 0));
            assertThat(store.revision()).isZero();
            assertThat(store.leases()).isEqualTo(Map.of(7L, 30L));
            assertThat(store.apply(8, new Command.LeaseKeepAlive(7)).found()).isTrue();
            assertThat(store.apply(9, new Command.LeaseKeepAlive(99)).found()).isFalse();
        }
    }

    @Test
    void revokingALeaseDeletesItsKeysAtOneRevisionThatTheHistoryShows() {
        try (KvStore store = KvStore.open(dir)) {
            store.apply(1, new Command.LeaseGrant(10));
            store.apply(2, new Command.Put(b("a"), b("1"), Precondition.NONE, 1));
            store.apply(3, new Command.Put(b("b"), b("1"), Precondition.NONE, 1));
            store.apply(4, new Command.Put(b("c"), b("1"), Precondition.NONE));
            assertThat(store.leaseInfo(1, 10).keys()).extracting(String::new).containsExactly("a", "b");
            LeaseResult revoked = store.apply(5, new Command.LeaseRevoke(1));
            assertThat(revoked).isEqualTo(new LeaseResult(true, 1, 10, 4, 2));
            assertThat(store.get(b("a"))).isNull();
            assertThat(store.get(b("b"))).isNull();
            assertThat(store.get(b("c"))).isNotNull();
            assertThat(store.leases()).isEmpty();
            assertThat(store.changes(new io.ordinal.command.Query.Changes(4, 0, b(""), true, 1 << 20, 0)).changes())
                    .extracting(Change::type, Change::modRevision)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Change.Type.DELETE, 4L),
                            org.assertj.core.groups.Tuple.tuple(Change.Type.DELETE, 4L));
            assertThat(store.apply(6, new Command.LeaseRevoke(1)).found()).isFalse();
        }
    }

    @Test
    void aPutWithoutTheLeaseDetachesTheKeyAndADeleteForgetsIt() {
        try (KvStore store = KvStore.open(dir)) {
            store.apply(1, new Command.LeaseGrant(10));
            store.apply(2, new Command.Put(b("a"), b("1"), Precondition.NONE, 1));
            store.apply(3, new Command.Put(b("b"), b("1"), Precondition.NONE, 1));
            store.apply(4, new Command.Put(b("a"), b("2"), Precondition.NONE));
            store.apply(5, new Command.Delete(b("b"), Precondition.NONE));
            assertThat(store.leaseInfo(1, 10).keys()).isEmpty();
            LeaseResult revoked = store.apply(6, new Command.LeaseRevoke(1));
            assertThat(revoked.deletedKeys()).isZero();
            assertThat(revoked.revision()).isZero();
            assertThat(store.get(b("a")).value()).isEqualTo(b("2"));
        }
    }

    @Test
    void aPutUnderAnUnknownLeaseChangesNothing() {
        try (KvStore store = KvStore.open(dir)) {
            WriteResult r = store.apply(1, new Command.Put(b("a"), b("1"), Precondition.NONE, 42));
            assertThat(r.outcome()).isEqualTo(WriteResult.Outcome.LEASE_NOT_FOUND);
            assertThat(store.get(b("a"))).isNull();
            assertThat(store.revision()).isZero();
        }
    }
}
