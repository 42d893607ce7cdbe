package io.ordinal.storage;

import io.ordinal.command.Change;
import io.ordinal.command.ChangesResult;
import io.ordinal.command.Command;
import io.ordinal.command.Compare;
import io.ordinal.command.Precondition;
import io.ordinal.command.Query;
import io.ordinal.command.TxnOp;
import io.ordinal.command.WriteResult;
import io.ordinal.command.WriteResult.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The apply rules over a temporary RocksDB, without Ratis: the {@link Applier} decides an entry into a
 * mutation, and nothing of it is seen before {@link KvStore#commit} writes it.
 */
class ApplierTest {

    @TempDir
    Path dir;

    @Test
    void aDecidedEntryChangesNothingUntilItsMutationIsCommitted() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Entries.apply(store, 1, put("k", "1"));
            try (Mutation m = new Applier(store).apply(2, 0, put("k", "2"), null)) {
                assertThat(m.result()).isEqualTo(new WriteResult(Outcome.UPDATED, 2, 1));
                assertHolds(store, "1", 1, 1);

                store.commit(m, 2);
            }
            assertHolds(store, "2", 2, 2);
        }
    }

    @Test
    void aMutationClosedWithoutACommitLeavesTheStoreAsItWas() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Entries.apply(store, 1, put("k", "1"));
            new Applier(store).apply(2, 0, new Command.Txn(List.of(), List.of(
                    new TxnOp.Put(b("k"), b("2"), 0), new TxnOp.Delete(b("k"))), List.of()), null).close();

            assertHolds(store, "1", 1, 1);
            assertThat(store.changes(allChanges()).changes()).hasSize(1);
            // The entry is still to be applied.
            assertThat(Entries.apply(store, 2, put("k", "3"))).isEqualTo(new WriteResult(Outcome.UPDATED, 2, 1));
        }
    }

    @Test
    void aReplayedEntryIsRefusedAtItsCommitAndLeavesTheStoreAsItWas() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Entries.apply(store, 5, put("k", "1"));
            try (Mutation m = new Applier(store).apply(5, 0, put("k", "again"), null)) {
                assertThatThrownBy(() -> store.commit(m, 5)).isInstanceOf(IllegalStateException.class);
            }
            assertHolds(store, "1", 1, 5);
        }
    }

    @Test
    void aBarrierAndARetentionAreAnsweredWithNothingAndTakeNoRevision() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Entries.apply(store, 1, put("k", "1"));
            ClientCall call = new ClientCall(b("client-id-16-byt"), 1, 1_700_000_000_000L);
            for (Command command : List.of(new Command.Barrier(), new Command.SetHistoryRetention(5, 1 << 20))) {
                long index = store.appliedIndex() + 1;
                try (Mutation m = new Applier(store).apply(index, 0, command, call)) {
                    store.commit(m, index);
                    assertThat(m.result()).as("%s", command).isNull();
                    assertThat(m.reply()).as("%s", command).isNull();
                }
            }
            assertThat(store.revision()).isEqualTo(1);
            assertThat(store.appliedIndex()).isEqualTo(3);
            assertThat(store.historyRetention()).isEqualTo(new HistoryRetention(5, 1 << 20));
            assertThat(store.recordedReply(call)).as("neither is a recorded call").isEmpty();
        }
    }

    @Test
    void aRetentionTakesEffectOnlyOnceItsEntryIsCommitted() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            try (Mutation m = new Applier(store).apply(1, 0, new Command.SetHistoryRetention(2, 1 << 20), null)) {
                assertThat(store.historyRetention()).isEqualTo(HistoryRetention.DEFAULT);
                store.commit(m, 1);
            }
            assertThat(store.historyRetention()).isEqualTo(new HistoryRetention(2, 1 << 20));
            for (int i = 0; i < 5; i++) {
                Entries.apply(store, 2 + i, put("k", "v" + i));
            }
            assertThat(store.oldestRevision()).as("two revisions kept of five").isEqualTo(4);
        }
    }

    @Test
    void theSameEntriesAreDecidedAlikeOnEveryReplica() {
        List<Command> log = List.of(
                put("a", "1"),
                new Command.Put(b("a"), b("x"), Precondition.ABSENT),
                new Command.LeaseGrant(30),
                new Command.Put(b("l/1"), b("1"), Precondition.NONE, 3),
                new Command.Batch(List.of(put("b", "1"), new Command.Delete(b("absent"), Precondition.NONE), put("c", "1"))),
                new Command.Txn(List.of(new Compare(b("a"), Compare.Target.MOD_REVISION, Compare.Op.EQUAL, 1, null)),
                        List.of(new TxnOp.DeletePrefix(b("b")), new TxnOp.Get(b("c"))), List.of()),
                new Command.LeaseExpire(3, 1, 3),
                new Command.LeaseRevoke(3),
                new Command.Delete(b("a"), Precondition.modRevisionIs(1)));
        List<String> first = applyAll(dir.resolve("one"), log);
        List<String> second = applyAll(dir.resolve("two"), log);

        assertThat(first).isEqualTo(second);
        // a, l/1, b, c, the delete of b, the expiry of l/1, the delete of a; nothing else changed a key.
        assertThat(first).last().isEqualTo("revision 7, applied 9");
    }

    /** The encoded answers, and the store's history and revision after all of them, as text. */
    private static List<String> applyAll(Path dir, List<Command> log) {
        List<String> seen = new ArrayList<>();
        try (KvStore store = KvStore.open(dir)) {
            long index = 0;
            for (Command command : log) {
                seen.add(HexFormat.of().formatHex(Entries.apply(store, ++index, 1, command, null).reply()));
            }
            ChangesResult history = store.changes(allChanges());
            for (Change change : history.changes()) {
                seen.add(change.type() + " " + new String(change.key(), StandardCharsets.UTF_8) + " @" + change.modRevision());
            }
            seen.add("revision " + store.revision() + ", applied " + store.appliedIndex());
        }
        return seen;
    }

    private static Query.Changes allChanges() {
        return new Query.Changes(1, 0, new byte[0], true, 1 << 20, 0);
    }

    /** Key {@code k} holds {@code value}, at the store's {@code revision} and {@code appliedIndex}. */
    private static void assertHolds(KvStore store, String value, long revision, long appliedIndex) {
        assertThat(new String(store.get(b("k")).value(), StandardCharsets.UTF_8)).isEqualTo(value);
        assertThat(store.revision()).isEqualTo(revision);
        assertThat(store.appliedIndex()).isEqualTo(appliedIndex);
    }

    private static Command.Put put(String key, String value) {
        return new Command.Put(b(key), b(value), Precondition.NONE);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
