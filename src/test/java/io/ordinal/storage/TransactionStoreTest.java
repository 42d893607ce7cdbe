package io.ordinal.storage;

import io.ordinal.command.Command;
import io.ordinal.command.Compare;
import io.ordinal.command.Compare.Op;
import io.ordinal.command.Compare.Target;
import io.ordinal.command.Precondition;
import io.ordinal.command.TxnOp;
import io.ordinal.command.TxnResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** etcd's Txn semantics, decided by the store in one entry. */
class TransactionStoreTest {

    @TempDir
    Path dir;

    @Test
    void allWritesOfATransactionShareOneNewRevision() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, put("a", "0"));
            TxnResult r = Entries.apply(store, 2, txn(List.of(), List.of(
                    new TxnOp.Put(b("a"), b("1"), 0), new TxnOp.Put(b("b"), b("2"), 0), new TxnOp.Delete(b("a")))));
            assertThat(r.succeeded()).isTrue();
            assertThat(r.revision()).isEqualTo(2);
            assertThat(store.revision()).isEqualTo(2);
            assertThat(store.get(b("b")).modRevision()).isEqualTo(2);
            assertThat(store.get(b("a"))).isNull();
            assertThat(r.results()).containsExactly(new TxnResult.Put(1), new TxnResult.Put(0), new TxnResult.Delete(2));
        }
    }

    @Test
    void aTransactionThatChangesNothingTakesNoRevision() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, put("a", "0"));
            TxnResult r = Entries.apply(store, 2, txn(List.of(), List.of(new TxnOp.Get(b("a")), new TxnOp.Delete(b("absent")),
                    new TxnOp.DeletePrefix(b("zzz")))));
            assertThat(r.revision()).isEqualTo(1);
            assertThat(store.revision()).isEqualTo(1);
            assertThat(store.appliedIndex()).isEqualTo(2);
            TxnResult.Get got = (TxnResult.Get) r.results().get(0);
            assertThat(got.found().value()).isEqualTo(b("0"));
            assertThat(got.createRevision()).isEqualTo(1);
        }
    }

    @Test
    void everyCompareKindDecidesTheBranch() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, put("k", "v1"));   // revision 1: created
            Entries.apply(store, 2, put("k", "v2"));   // revision 2: modified
            record Case(Compare compare, boolean holds) {
            }
            List<Case> cases = List.of(
                    new Case(rev("k", Target.MOD_REVISION, Op.EQUAL, 2), true),
                    new Case(rev("k", Target.MOD_REVISION, Op.EQUAL, 1), false),
                    new Case(rev("k", Target.MOD_REVISION, Op.NOT_EQUAL, 1), true),
                    new Case(rev("k", Target.MOD_REVISION, Op.LESS, 3), true),
                    new Case(rev("k", Target.MOD_REVISION, Op.GREATER, 2), false),
                    new Case(rev("k", Target.CREATE_REVISION, Op.EQUAL, 1), true),
                    new Case(rev("k", Target.CREATE_REVISION, Op.GREATER, 1), false),
                    new Case(rev("absent", Target.CREATE_REVISION, Op.EQUAL, 0), true),
                    new Case(rev("absent", Target.MOD_REVISION, Op.EQUAL, 0), true),
                    new Case(rev("k", Target.EXISTS, Op.EQUAL, 1), true),
                    new Case(rev("k", Target.EXISTS, Op.EQUAL, 0), false),
                    new Case(rev("absent", Target.EXISTS, Op.EQUAL, 0), true),
                    new Case(rev("absent", Target.EXISTS, Op.NOT_EQUAL, 0), false),
                    new Case(value("k", Op.EQUAL, "v2"), true),
                    new Case(value("k", Op.EQUAL, "v1"), false),
                    new Case(value("k", Op.NOT_EQUAL, "v1"), true),
                    new Case(value("k", Op.LESS, "v3"), true),
                    new Case(value("k", Op.GREATER, "v3"), false),
                    // as in etcd, a value compare on an absent key never holds
                    new Case(value("absent", Op.NOT_EQUAL, "x"), false),
                    new Case(value("absent", Op.EQUAL, ""), false));
            long index = 3;
            for (Case c : cases) {
                TxnResult r = Entries.apply(store, index++, new Command.Txn(List.of(c.compare()), List.of(), List.of()));
                assertThat(r.succeeded()).as("%s", c.compare()).isEqualTo(c.holds());
            }
        }
    }

    @Test
    void theFailureBranchRunsWhenAnyCompareFails() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, put("k", "v"));
            TxnResult r = Entries.apply(store, 2, new Command.Txn(
                    List.of(rev("k", Target.EXISTS, Op.EQUAL, 1), rev("k", Target.MOD_REVISION, Op.EQUAL, 99)),
                    List.of(new TxnOp.Put(b("won"), b("1"), 0)),
                    List.of(new TxnOp.Put(b("lost"), b("1"), 0))));
            assertThat(r.succeeded()).isFalse();
            assertThat(store.get(b("won"))).isNull();
            assertThat(store.get(b("lost")).modRevision()).isEqualTo(2);
        }
    }

    @Test
    void operationsSeeTheEarlierOperationsOfTheirTransaction() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, put("p/a", "1"));
            Entries.apply(store, 2, put("p/b", "1"));
            TxnResult r = Entries.apply(store, 3, txn(List.of(), List.of(
                    new TxnOp.Put(b("p/c"), b("new"), 0),
                    new TxnOp.Get(b("p/c")),
                    new TxnOp.DeletePrefix(b("p/")),
                    new TxnOp.Get(b("p/a")))));
            assertThat(((TxnResult.Get) r.results().get(1)).found().value()).isEqualTo(b("new"));
            assertThat(r.results().get(2)).isEqualTo(new TxnResult.DeletePrefix(3));
            assertThat(((TxnResult.Get) r.results().get(3)).found()).isNull();
            assertThat(store.get(b("p/a"))).isNull();
            assertThat(store.get(b("p/c"))).isNull();
        }
    }

    @Test
    void aPutUnderAMissingLeaseFailsTheWholeTransactionBeforeAnythingIsWritten() {
        try (KvStore store = KvStore.open(dir)) {
            TxnResult r = Entries.apply(store, 1, txn(List.of(), List.of(
                    new TxnOp.Put(b("a"), b("1"), 0), new TxnOp.Put(b("b"), b("1"), 777))));
            assertThat(r.missingLease()).isEqualTo(777);
            assertThat(r.results()).isEmpty();
            assertThat(store.get(b("a"))).isNull();
            assertThat(store.revision()).isZero();
        }
    }

    private static Command.Txn txn(List<Compare> compares, List<TxnOp> success) {
        return new Command.Txn(compares, success, List.of());
    }

    private static Compare rev(String key, Target target, Op op, long n) {
        return new Compare(b(key), target, op, n, null);
    }

    private static Compare value(String key, Op op, String v) {
        return new Compare(b(key), Target.VALUE, op, 0, b(v));
    }

    private static Command put(String k, String v) {
        return new Command.Put(b(k), b(v), Precondition.NONE);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
