package io.ordinal.storage;

import io.ordinal.command.Command;
import io.ordinal.command.KeyValue;
import io.ordinal.command.Precondition;
import io.ordinal.command.Query;
import io.ordinal.command.RangeResult;
import io.ordinal.command.WriteResult;
import io.ordinal.command.WriteResult.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvStoreTest {

    @TempDir
    Path dir;

    @Test
    void eachSuccessfulWriteTakesTheNextRevisionWhateverItsLogIndex() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            assertThat(Entries.apply(store, 5, put("k", "1"))).isEqualTo(new WriteResult(Outcome.CREATED, 1, 0));
            assertThat(Entries.apply(store, 9, put("k", "2"))).isEqualTo(new WriteResult(Outcome.UPDATED, 2, 1));
            assertThat(Entries.apply(store, 12, put("other", "x"))).isEqualTo(new WriteResult(Outcome.CREATED, 3, 0));
            KeyValue kv = store.get(bytes("k"));
            assertThat(kv.value()).isEqualTo(bytes("2"));
            assertThat(kv.modRevision()).isEqualTo(2);
            assertThat(store.appliedIndex()).isEqualTo(12);
            assertThat(store.revision()).isEqualTo(3);
        }
    }

    @Test
    void aBatchAppliesEachWriteInOrderAsIfItWereAnEntryOfItsOwn() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Entries.apply(store, 1, put("k", "0"));
            Command.Batch batch = new Command.Batch(java.util.List.of(
                    put("a", "1"),                                                           // rev 2
                    new Command.Put(bytes("a"), bytes("x"), Precondition.ABSENT),             // sees the put before it
                    new Command.Put(bytes("k"), bytes("1"), Precondition.modRevisionIs(1)),   // rev 3
                    new Command.Delete(bytes("absent"), Precondition.NONE),
                    new Command.Put(bytes("a"), bytes("2"), Precondition.modRevisionIs(2)),   // rev 4, sees rev 2
                    new Command.Delete(bytes("k"), Precondition.NONE)));                      // rev 5
            assertThat(Entries.apply(store, 2, batch)).isEqualTo(new io.ordinal.command.BatchResult(java.util.List.of(
                    new WriteResult(Outcome.CREATED, 2, 0),
                    new WriteResult(Outcome.PRECONDITION_FAILED, 0, 2),
                    new WriteResult(Outcome.UPDATED, 3, 1),
                    new WriteResult(Outcome.NOT_FOUND, 0, 0),
                    new WriteResult(Outcome.UPDATED, 4, 2),
                    new WriteResult(Outcome.DELETED, 5, 3))));
            assertThat(store.revision()).isEqualTo(5);
            assertThat(store.appliedIndex()).isEqualTo(2);
            assertThat(store.get(bytes("a")).value()).isEqualTo(bytes("2"));
            assertThat(store.get(bytes("a")).modRevision()).isEqualTo(4);
            assertThat(store.get(bytes("k"))).isNull();
            // The history holds each write at its own revision, as separate entries would have.
            var history = store.changes(new Query.Changes(2, 0, bytes(""), true, 1 << 20, 0)).changes();
            assertThat(history).extracting(c -> new String(c.key(), StandardCharsets.UTF_8),
                            io.ordinal.command.Change::modRevision)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 2L), org.assertj.core.groups.Tuple.tuple("k", 3L),
                            org.assertj.core.groups.Tuple.tuple("a", 4L), org.assertj.core.groups.Tuple.tuple("k", 5L));
            assertThat(Entries.apply(store, 3, put("b", "1")).revision()).isEqualTo(6);
            assertThatThrownBy(() -> Entries.apply(store, 3, batch)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aBatchWhoseWritesAllFailTakesNoRevision() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Entries.apply(store, 1, put("k", "0"));
            Entries.apply(store, 2, new Command.Batch(java.util.List.of(
                    new Command.Put(bytes("k"), bytes("x"), Precondition.ABSENT),
                    new Command.Delete(bytes("absent"), Precondition.NONE))));
            assertThat(store.revision()).isEqualTo(1);
            assertThat(store.appliedIndex()).isEqualTo(2);
        }
    }

    @Test
    void aBarrierAdvancesTheAppliedIndexAndNothingElse() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Entries.apply(store, 1, put("k", "1"));
            Entries.applyNothing(store, 2);
            assertThat(store.appliedIndex()).isEqualTo(2);
            assertThat(store.revision()).isEqualTo(1);
            assertThat(Entries.apply(store, 3, put("k", "2")).revision()).isEqualTo(2);
            assertThatThrownBy(() -> Entries.applyNothing(store, 3)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aWriteThatChangesNothingTakesNoRevision() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Entries.apply(store, 1, put("k", "1"));
            assertThat(Entries.apply(store, 2, new Command.Put(bytes("k"), bytes("x"), Precondition.ABSENT)).outcome())
                    .isEqualTo(Outcome.PRECONDITION_FAILED);
            assertThat(Entries.apply(store, 3, new Command.Delete(bytes("absent"), Precondition.NONE)).outcome())
                    .isEqualTo(Outcome.NOT_FOUND);
            assertThat(store.revision()).isEqualTo(1);
            assertThat(Entries.apply(store, 4, new Command.Delete(bytes("k"), Precondition.NONE)))
                    .isEqualTo(new WriteResult(Outcome.DELETED, 2, 1));
            assertThat(store.appliedIndex()).isEqualTo(4);
        }
    }

    @Test
    void anIfMatchListHoldsWhenTheModRevisionIsAnyOfIt() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Entries.apply(store, 1, put("k", "1"));
            Entries.apply(store, 2, put("k", "2"));
            assertThat(Entries.apply(store, 3, new Command.Put(bytes("k"), bytes("x"), Precondition.modRevisionIn(java.util.List.of(1L, 5L)))))
                    .isEqualTo(new WriteResult(Outcome.PRECONDITION_FAILED, 0, 2));
            assertThat(Entries.apply(store, 4, new Command.Put(bytes("k"), bytes("y"), Precondition.modRevisionIn(java.util.List.of(1L, 2L)))))
                    .isEqualTo(new WriteResult(Outcome.UPDATED, 3, 2));
            assertThat(Entries.apply(store, 5, new Command.Put(bytes("k"), bytes("z"), Precondition.modRevisionIn(java.util.List.of()))).outcome())
                    .isEqualTo(Outcome.PRECONDITION_FAILED);
        }
    }

    @Test
    void preconditionsAreDecidedAgainstTheCurrentModRevision() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            assertThat(Entries.apply(store, 1, new Command.Put(bytes("k"), bytes("a"), Precondition.EXISTS)).outcome())
                    .isEqualTo(Outcome.PRECONDITION_FAILED);
            assertThat(Entries.apply(store, 2, new Command.Put(bytes("k"), bytes("a"), Precondition.ABSENT)).outcome())
                    .isEqualTo(Outcome.CREATED);
            assertThat(Entries.apply(store, 3, new Command.Put(bytes("k"), bytes("b"), Precondition.ABSENT)))
                    .isEqualTo(new WriteResult(Outcome.PRECONDITION_FAILED, 0, 1));
            assertThat(Entries.apply(store, 4, new Command.Put(bytes("k"), bytes("c"), Precondition.modRevisionIs(2))))
                    .isEqualTo(new WriteResult(Outcome.PRECONDITION_FAILED, 0, 1));
            assertThat(Entries.apply(store, 5, new Command.Put(bytes("k"), bytes("d"), Precondition.modRevisionIs(1))).outcome())
                    .isEqualTo(Outcome.UPDATED);
            assertThat(store.get(bytes("k")).value()).isEqualTo(bytes("d"));
            // A failed condition changes nothing but the applied index.
            assertThat(store.appliedIndex()).isEqualTo(5);
        }
    }

    @Test
    void deletesOfAbsentKeysAreNotFoundOrAFailedCondition() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            assertThat(Entries.apply(store, 1, new Command.Delete(bytes("k"), Precondition.NONE)).outcome())
                    .isEqualTo(Outcome.NOT_FOUND);
            assertThat(Entries.apply(store, 2, new Command.Delete(bytes("k"), Precondition.modRevisionIs(1))))
                    .isEqualTo(new WriteResult(Outcome.PRECONDITION_FAILED, 0, 0));
            Entries.apply(store, 3, put("k", "v"));
            assertThat(Entries.apply(store, 4, new Command.Delete(bytes("k"), Precondition.modRevisionIs(1))))
                    .isEqualTo(new WriteResult(Outcome.DELETED, 2, 1));
            assertThat(store.get(bytes("k"))).isNull();
        }
    }

    @Test
    void aPageOfLargeValuesStopsAtTheByteBudgetAndSaysMoreFollow() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            byte[] mib = new byte[1024 * 1024];
            for (int i = 0; i < 10; i++) {
                Entries.apply(store, i + 1, new Command.Put(bytes("big/" + i), mib, Precondition.NONE));
            }
            RangeResult first = store.range(new Query.Range(bytes("big/"), null, 100, false));
            assertThat(first.items()).hasSize(4);
            assertThat(first.more()).isTrue();
            RangeResult keysOnly = store.range(new Query.Range(bytes("big/"), null, 100, true));
            assertThat(keysOnly.items()).hasSize(10);
            assertThat(keysOnly.more()).isFalse();
            // Paging with after visits every key once.
            int seen = 0;
            byte[] after = null;
            RangeResult page;
            do {
                page = store.range(new Query.Range(bytes("big/"), after, 100, false));
                seen += page.items().size();
                after = page.items().get(page.items().size() - 1).key();
            } while (page.more());
            assertThat(seen).isEqualTo(10);
        }
    }

    @Test
    void theAppliedIndexSurvivesARestartAndAReplayedEntryIsRefused() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            Entries.apply(store, 1, put("a", "1"));
            Entries.apply(store, 2, put("b", "2"));
        }
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            assertThat(store.appliedIndex()).isEqualTo(2);
            assertThatThrownBy(() -> Entries.apply(store, 2, put("b", "again"))).isInstanceOf(IllegalStateException.class);
            assertThat(store.get(bytes("b")).value()).isEqualTo(bytes("2"));
        }
    }

    @Test
    void rangeIsInUnsignedByteOrderWithPrefixAfterAndLimit() {
        try (KvStore store = KvStore.open(dir.resolve("db"))) {
            long i = 1;
            // U+FFFD is EF BF BD in UTF-8, an emoji is F0 9F 98 80: bytes order them the other way
            // round from UTF-16 (Java's String order).
            for (String k : new String[] {"p/\uD83D\uDE00", "p/\uFFFD", "p/b", "p/a", "q", "o"}) {
                Entries.apply(store, i++, put(k, k));
            }
            RangeResult all = store.range(new Query.Range(bytes("p/"), null, 10, false));
            assertThat(all.items()).extracting(kv -> new String(kv.key(), StandardCharsets.UTF_8))
                    .containsExactly("p/a", "p/b", "p/\uFFFD", "p/\uD83D\uDE00");
            assertThat(all.more()).isFalse();

            RangeResult page = store.range(new Query.Range(bytes("p/"), bytes("p/a"), 2, true));
            assertThat(page.items()).extracting(kv -> new String(kv.key(), StandardCharsets.UTF_8))
                    .containsExactly("p/b", "p/\uFFFD");
            assertThat(page.items().get(0).value()).isNull();
            assertThat(page.more()).isTrue();

            RangeResult exactlyFull = store.range(new Query.Range(bytes("p/"), bytes("p/b"), 2, false));
            assertThat(exactlyFull.items()).hasSize(2);
            assertThat(exactlyFull.more()).isFalse();
        }
    }

    @Test
    void checkpointRestoresIntoAFreshDirectory() throws Exception {
        Path live = dir.resolve("db");
        try (KvStore store = KvStore.open(live)) {
            Entries.apply(store, 1, put("a", "1"));
            store.checkpoint(dir.resolve("cp"));
            Entries.apply(store, 2, put("a", "2"));
        }
        Checkpoints.restore(dir.resolve("cp"), live);
        try (KvStore store = KvStore.open(live)) {
            assertThat(store.appliedIndex()).isEqualTo(1);
            assertThat(store.get(bytes("a")).value()).isEqualTo(bytes("1"));
        }
    }

    /** Snapshots are taken off the apply thread, while entries go on being applied. */
    @Test
    void aCheckpointTakenWhileEntriesAreAppliedHoldsExactlyThePrefixItsAppliedIndexNames() throws Exception {
        Path live = dir.resolve("db");
        try (KvStore store = KvStore.open(live)) {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicLong applied = new java.util.concurrent.atomic.AtomicLong();
            Thread applier = new Thread(() -> {
                for (long i = 1; !stop.get(); i++) {
                    Entries.apply(store, i, put("k" + i, "v".repeat(200)));
                    applied.set(i);
                }
            });
            applier.start();
            long[] dataIndex = new long[3];
            try {
                for (int c = 0; c < dataIndex.length; c++) {
                    long before = applied.get() + 1000;
                    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
                    while (applied.get() < before) {
                        assertThat(applier.isAlive()).as("the applying thread is still applying").isTrue();
                        assertThat(System.nanoTime()).as("1,000 more entries applied within 60 s").isLessThan(deadline);
                        Thread.onSpinWait();
                    }
                    dataIndex[c] = store.checkpoint(dir.resolve("cp" + c));
                    assertThat(dataIndex[c]).as("entries applied before the checkpoint began").isGreaterThanOrEqualTo(before);
                }
            } finally {
                stop.set(true);
                applier.join();
            }
            for (int c = 0; c < dataIndex.length; c++) {
                assertThat(KvStore.appliedIndexIn(dir.resolve("cp" + c))).isEqualTo(dataIndex[c]);
                Path copy = dir.resolve("copy" + c);
                Checkpoints.restore(dir.resolve("cp" + c), copy);
                try (KvStore restored = KvStore.open(copy)) {
                    long n = dataIndex[c];
                    assertThat(restored.appliedIndex()).isEqualTo(n);
                    assertThat(restored.revision()).as("one revision per applied put").isEqualTo(n);
                    assertThat(restored.get(bytes("k1"))).isNotNull();
                    assertThat(restored.get(bytes("k" + n))).as("the entry the applied index names").isNotNull();
                    assertThat(restored.get(bytes("k" + (n + 1)))).as("the entry after it").isNull();
                    assertThat(restored.range(new Query.Range(bytes("k"), null, Integer.MAX_VALUE, true)).items())
                            .as("every key of the prefix, and no other").hasSize((int) n);
                }
            }
        }
    }

    private static Command.KeyCommand put(String k, String v) {
        return new Command.Put(bytes(k), bytes(v), Precondition.NONE);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
