package io.ordinal.storage;

import io.ordinal.command.Command;
import io.ordinal.command.Precondition;
import io.ordinal.command.TxnOp;
import io.ordinal.command.TxnResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that would delete a million keys in one entry, applied in a JVM with a replica's heap
 * (192 MiB): it must be answered without running out of memory — otherwise the entry fails the same
 * way on every replica, and again on every replay of the log. Each scenario runs in its own child
 * JVM ({@link #main}) over a temporary database. A few minutes each, so only with {@code -Phuge};
 * {@link DeletionLimitTest} checks the same bounds on every build.
 */
@Tag("huge")
class HugeDeletionTest {

    static final int KEYS = 1_000_000;
    private static final int PER_ENTRY = 512;

    @TempDir
    Path dir;

    @Test
    void deletingEveryKeyOfAMillionIsAnsweredInAReplicasHeap() throws Exception {
        String out = runChild("delete-prefix");
        assertThat(out).contains("done");
    }

    @Test
    void revokingALeaseThatAMillionKeysWereAttachedToIsAnsweredInAReplicasHeap() throws Exception {
        String out = runChild("revoke-lease");
        assertThat(out).contains("done");
    }

    private String runChild(String scenario) throws Exception {
        Path log = dir.resolve(scenario + ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), HugeDeletionTest.class.getName(),
                scenario, dir.resolve("db").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(10, TimeUnit.MINUTES);
        if (!exited) {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(exited).as("the child ended in time; its output:%n%s", out).isTrue();
        assertThat(p.exitValue()).as("the child's exit code; its output:%n%s", out).isZero();
        return out;
    }

    /** The child: fills the store, applies the huge request, checks what it left, prints "done". */
    public static void main(String[] args) {
        String scenario = args[0];
        try (KvStore store = KvStore.open(Path.of(args[1]))) {
            long started = System.nanoTime();
            long index = 0;
            long lease = 0;
            if (scenario.equals("revoke-lease")) {
                lease = ++index;
                Entries.apply(store, lease, new Command.LeaseGrant(60));
            }
            for (int from = 0; from < KEYS; from += PER_ENTRY) {
                List<Command.KeyCommand> writes = new ArrayList<>(PER_ENTRY);
                for (int i = from; i < Math.min(KEYS, from + PER_ENTRY); i++) {
                    writes.add(new Command.Put(key(i), new byte[8], Precondition.NONE, lease));
                }
                Entries.apply(store, ++index, new Command.Batch(writes));
            }
            long revision = store.revision();
            System.out.println("filled at revision " + revision + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            if (scenario.equals("delete-prefix")) {
                TxnResult r = Entries.apply(store, ++index, new Command.Txn(List.of(), List.of(new TxnOp.DeletePrefix(new byte[0])),
                        List.of()));
                System.out.println("deletePrefix: " + r);
                check(store.revision() == revision || store.get(key(KEYS - 1)) == null,
                        "a refused deletion wrote something, or an applied one left a key");
            } else {
                var r = Entries.apply(store, ++index, new Command.LeaseRevoke(lease));
                System.out.println("revoke: " + r);
                check(r.found() && store.leases().isEmpty(), "the lease is revoked");
                check(store.get(key(0)) == null, "its keys are deleted");
            }
            System.out.println("done in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    static byte[] key(int i) {
        // 256 bytes, a quarter of the longest key: a million of them are more than the heap.
        return String.format("k/%-246s/%07d", "deployments/production/eu-west/service", i).getBytes(StandardCharsets.UTF_8);
    }
}
