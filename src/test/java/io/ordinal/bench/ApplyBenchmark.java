package io.ordinal.bench;

import io.ordinal.command.Command;
import io.ordinal.command.KeyValue;
import io.ordinal.command.Precondition;
import io.ordinal.command.WriteResult;
import io.ordinal.storage.Checkpoints;
import io.ordinal.storage.Entries;
import io.ordinal.storage.KvStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The state machine's apply path: one log entry, a 256-byte put over 100,000 keys, applied to RocksDB
 * in one write batch with the applied index and the revision (the precondition read included); and
 * the read a linearizable GET ends in.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ApplyBenchmark {

    private static final int KEYS = 100_000;

    private Path dir;
    private KvStore store;
    private long index;
    private final byte[] value = new byte[256];
    private byte[][] keys;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("ordinal-apply-bench");
        store = KvStore.open(dir.resolve("db"));
        keys = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = ("bench/" + i).getBytes(StandardCharsets.UTF_8);
            Entries.apply(store, ++index, new Command.Put(keys[i], value, Precondition.NONE));
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        Checkpoints.deleteRecursively(dir);
    }

    @Benchmark
    public WriteResult applyPut() {
        return Entries.apply(store, ++index, new Command.Put(keys[(int) (index % KEYS)], value, Precondition.NONE));
    }

    /** 32 puts as one {@code Command.Batch} entry, as the frontend sends them under load: compare with 32 × applyPut. */
    @Benchmark
    public Object applyBatchOf32Puts() {
        java.util.List<Command.KeyCommand> puts = new java.util.ArrayList<>(32);
        for (int i = 0; i < 32; i++) {
            puts.add(new Command.Put(keys[(int) ((index * 32 + i) % KEYS)], value, Precondition.NONE));
        }
        return Entries.apply(store, ++index, new Command.Batch(puts));
    }

    @Benchmark
    public KeyValue get() {
        return store.get(keys[(int) (++index % KEYS)]);
    }
}
