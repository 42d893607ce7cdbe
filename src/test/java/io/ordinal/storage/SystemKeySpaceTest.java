package io.ordinal.storage;

import io.ordinal.command.Change;
import io.ordinal.command.Command;
import io.ordinal.command.KeyValue;
import io.ordinal.command.Precondition;
import io.ordinal.command.Query;
import io.ordinal.command.TxnOp;
import io.ordinal.command.TxnResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys that start with 0xFF (the access records) live beside the API's keys, but the prefix {@code ""}
 * of a listing, a watch or a deletePrefix never covers them; only a prefix in their own space does.
 */
class SystemKeySpaceTest {

    private static final byte[] SYSTEM_KEY = {(byte) 0xFF, 'a', 'u', 't', 'h', '/', 'r'};

    @TempDir
    Path dir;

    @Test
    void theEmptyPrefixListsUserKeysOnly() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, put(b("a"), "1"));
            Entries.apply(store, 2, put(SYSTEM_KEY, "secret"));
            var all = store.range(new Query.Range(new byte[0], null, 10, false));
            assertThat(all.items()).extracting(kv -> new String(kv.key(), StandardCharsets.UTF_8)).containsExactly("a");
            assertThat(all.more()).isFalse();
            var onePage = store.range(new Query.Range(new byte[0], null, 1, false));
            assertThat(onePage.more()).as("nothing follows 'a' in the user key space").isFalse();
            List<KeyValue> system = store.range(new Query.Range(new byte[] {(byte) 0xFF}, null, 10, false)).items();
            assertThat(system).hasSize(1);
        }
    }

    @Test
    void theEmptyPrefixWatchesUserKeysOnly() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, put(b("a"), "1"));
            Entries.apply(store, 2, put(SYSTEM_KEY, "secret"));
            List<Change> changes = store.changes(new Query.Changes(1, 0, new byte[0], true, 1 << 20, 0)).changes();
            assertThat(changes).extracting(Change::modRevision).containsExactly(1L);
            assertThat(store.changes(new Query.Changes(1, 0, new byte[] {(byte) 0xFF}, true, 1 << 20, 0)).changes())
                    .extracting(Change::modRevision).containsExactly(2L);
        }
    }

    @Test
    void deletingTheEmptyPrefixKeepsSystemKeys() {
        try (KvStore store = KvStore.open(dir)) {
            Entries.apply(store, 1, put(b("a"), "1"));
            Entries.apply(store, 2, put(SYSTEM_KEY, "secret"));
            TxnResult r = Entries.apply(store, 3, new Command.Txn(List.of(), List.of(new TxnOp.DeletePrefix(new byte[0])),
                    List.of()));
            assertThat(r.results()).containsExactly(new TxnResult.DeletePrefix(1));
            assertThat(store.get(b("a"))).isNull();
            assertThat(store.get(SYSTEM_KEY)).isNotNull();
        }
    }

    private static Command.KeyCommand put(byte[] key, String value) {
        return new Command.Put(key, b(value), Precondition.NONE, 0);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
