package io.ordinal.storage;

import io.ordinal.command.Change;
import io.ordinal.command.ChangesResult;
import io.ordinal.command.Command;
import io.ordinal.command.Precondition;
import io.ordinal.command.Query;
import io.ordinal.command.TxnOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.ordinal.storage.TransactionStoreTest.b;
import static org.assertj.core.api.Assertions.assertThat;

/** The bounded history of changes that watches read, kept with the data in the same write batch. */
class HistoryStoreTest {

    @TempDir
    Path dir;

    @Test
    void everyChangeIsInTheHistoryAtItsRevisionWithItsValue() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, put("a", "1"));
            Entries.apply(store, 2, put("b", "2"));
            Entries.apply(store, 3, new Command.Delete(b("a"), Precondition.NONE));
            Entries.apply(store, 4, new Command.Delete(b("a"), Precondition.NONE)); // absent: no change, no revision
            ChangesResult r = store.changes(prefix("", 1));
            assertThat(r.compacted()).isFalse();
            assertThat(r.changes()).extracting(Change::type, c -> new String(c.key()), Change::modRevision)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(Change.Type.PUT, "a", 1L),
                            org.assertj.core.groups.Tuple.tuple(Change.Type.PUT, "b", 2L),
                            org.assertj.core.groups.Tuple.tuple(Change.Type.DELETE, "a", 3L));
            assertThat(r.changes().get(1).value()).isEqualTo(b("2"));
            assertThat(r.changes().get(2).value()).isNull();
            assertThat(r.nextRevision()).isEqualTo(4);
        }
    }

    @Test
    void aPollMatchesOnlyItsKeyOrPrefixButMovesPastEverythingItLookedAt() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, put("a", "1"));
            Entries.apply(store, 2, put("ab", "1"));
            Entries.apply(store, 3, put("b", "1"));
            assertThat(store.changes(key("a", 1)).changes()).hasSize(1);
            assertThat(store.changes(prefix("a", 1)).changes()).hasSize(2);
            ChangesResult none = store.changes(key("zz", 1));
            assertThat(none.changes()).isEmpty();
            assertThat(none.nextRevision()).isEqualTo(4);
            assertThat(store.changes(prefix("", 3)).changes()).hasSize(1);
        }
    }

    @Test
    void aTransactionsChangesShareItsRevisionInTheOrderTheyWereMade() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, new Command.Txn(List.of(), List.of(new TxnOp.Put(b("x"), b("1"), 0),
                    new TxnOp.Put(b("y"), b("2"), 0)), List.of()));
            ChangesResult r = store.changes(prefix("", 1));
            assertThat(r.changes()).extracting(Change::modRevision).containsExactly(1L, 1L);
            assertThat(r.changes()).extracting(c -> new String(c.key())).containsExactly("x", "y");
        }
    }

    @Test
    void aBatchStopsAtItsByteBoundInsideARevisionAndTheNextPollGoesOnFromThere() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, new Command.Txn(List.of(), List.of(new TxnOp.Put(b("x"), new byte[100], 0),
                    new TxnOp.Put(b("y"), new byte[100], 0), new TxnOp.Put(b("z"), new byte[100], 0)), List.of()));
            ChangesResult first = store.changes(new Query.Changes(1, 0, b(""), true, 150, 0));
            assertThat(first.changes()).hasSize(2);
            assertThat(first.nextRevision()).isEqualTo(1);
            assertThat(first.nextSeq()).isEqualTo(2);
            ChangesResult rest = store.changes(new Query.Changes(first.nextRevision(), first.nextSeq(), b(""), true, 150, 0));
            assertThat(rest.changes()).extracting(c -> new String(c.key())).containsExactly("z");
        }
    }

    @Test
    void historyOlderThanTheRetentionIsCompactedAndAPollFromThereSaysSo() {
        try (KvStore store = retaining(3, Long.MAX_VALUE)) {
            for (int i = 1; i <= 10; i++) {
                Entries.apply(store, i + 1, put("k", "v" + i));
            }
            assertThat(store.oldestRevision()).isEqualTo(8);
            ChangesResult old = store.changes(prefix("", 7));
            assertThat(old.compacted()).isTrue();
            assertThat(old.oldestRevision()).isEqualTo(8);
            assertThat(store.changes(prefix("", 8)).changes()).extracting(Change::modRevision).containsExactly(8L, 9L, 10L);
        }
    }

    @Test
    void theByteBoundCompactsTooButKeepsTheNewestRevision() {
        try (KvStore store = retaining(1000, 250)) {
            Entries.apply(store, 2, put("k", "x".repeat(99)));  // 100 bytes
            Entries.apply(store, 3, put("k", "x".repeat(99)));
            assertThat(store.oldestRevision()).isEqualTo(1);
            Entries.apply(store, 4, put("k", "x".repeat(99)));   // 300 > 250: revision 1 goes
            assertThat(store.oldestRevision()).isEqualTo(2);
            Entries.apply(store, 5, put("big", "x".repeat(997))); // alone over the bound: only it stays
            assertThat(store.oldestRevision()).isEqualTo(4);
        }
    }

    @Test
    void oneEntryThatForgetsSeveralRevisionsForgetsEachOfTheirChanges() {
        try (KvStore store = retaining(2, Long.MAX_VALUE)) {
            Entries.apply(store, 2, new Command.Txn(List.of(), List.of(new TxnOp.Put(b("x"), b("1"), 0),
                    new TxnOp.Put(b("y"), b("2"), 0)), List.of()));
            Entries.apply(store, 3, put("a", "1"));
            Entries.apply(store, 4, put("b", "1"));
            // one entry, revisions 4, 5 and 6: revisions 1 (two changes) to 4 leave the history
            Entries.apply(store, 5, new Command.Batch(List.of((Command.KeyCommand) put("c", "1"),
                    (Command.KeyCommand) put("d", "1"), (Command.KeyCommand) put("e", "1"))));
            assertThat(store.oldestRevision()).isEqualTo(5);
            assertThat(store.changes(prefix("", 4)).compacted()).isTrue();
            assertThat(store.changes(prefix("", 5)).changes()).extracting(c -> new String(c.key()))
                    .containsExactly("d", "e");
        }
    }

    @Test
    void theByteCountFollowsChangesForgottenTogether() {
        try (KvStore store = retaining(1000, 450)) {
            Entries.apply(store, 2, new Command.Txn(List.of(), List.of(new TxnOp.Put(b("x"), new byte[99], 0),
                    new TxnOp.Put(b("y"), new byte[99], 0)), List.of())); // 200 bytes
            Entries.apply(store, 3, put("k", "x".repeat(99)));                   // 300
            Entries.apply(store, 4, new Command.Batch(List.of((Command.KeyCommand) put("k", "x".repeat(99)),
                    (Command.KeyCommand) put("k", "x".repeat(99)))));   // 500 > 450: revision 1 goes, 300 left
            assertThat(store.oldestRevision()).isEqualTo(2);
            Entries.apply(store, 5, put("k", "x".repeat(99)));                   // 400: nothing goes
            assertThat(store.oldestRevision()).isEqualTo(2);
            Entries.apply(store, 6, put("k", "x".repeat(99)));                   // 500: revision 2 goes
            assertThat(store.oldestRevision()).isEqualTo(3);
        }
    }

    @Test
    void theHistoryAndItsRetentionSurviveAReopen() {
        try (KvStore store = retaining(2, Long.MAX_VALUE)) {
            for (int i = 1; i <= 5; i++) {
                Entries.apply(store, i + 1, put("k", "v"));
            }
        }
        try (KvStore store = KvStore.open(dir)) {
            assertThat(store.oldestRevision()).isEqualTo(4);
            assertThat(store.changes(prefix("", 4)).changes()).hasSize(2);
            Entries.apply(store, 7, put("k", "v"));
            assertThat(store.oldestRevision()).isEqualTo(5);
        }
    }

    /** A new store whose retention the log set, in entry 1. */
    private KvStore retaining(long revisions, long bytes) {
        KvStore store = KvStore.open(dir);
        Entries.apply(store, 1, new Command.SetHistoryRetention(revisions, bytes));
        return store;
    }

    private static Query.Changes prefix(String p, long from) {
        return new Query.Changes(from, 0, b(p), true, 1 << 20, 0);
    }

    private static Query.Changes key(String k, long from) {
        return new Query.Changes(from, 0, b(k), false, 1 << 20, 0);
    }

    private static Command put(String k, String v) {
        return new Command.Put(b(k), b(v), Precondition.NONE);
    }
}
