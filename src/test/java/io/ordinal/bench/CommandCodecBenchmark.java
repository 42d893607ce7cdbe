package io.ordinal.bench;

import io.ordinal.command.Command;
import io.ordinal.command.LogFormat;
import io.ordinal.command.Precondition;
import io.ordinal.command.ResultFormat;
import io.ordinal.command.WriteResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The command codec on the write path: a 256-byte put, encoded by the frontend, decoded twice by a replica. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CommandCodecBenchmark {

    private final Command.Put put = new Command.Put("bench/12345".getBytes(StandardCharsets.UTF_8),
            new byte[256], Precondition.modRevisionIs(42));
    private final byte[] encodedPut = LogFormat.encode(put);
    private final byte[] encodedResult = ResultFormat.encode(new WriteResult(WriteResult.Outcome.UPDATED, 43, 42));

    @Benchmark
    public byte[] encodePut() {
        return LogFormat.encode(put);
    }

    @Benchmark
    public Command decodePut() {
        return LogFormat.decodeCommand(ByteBuffer.wrap(encodedPut));
    }

    @Benchmark
    public WriteResult decodeWriteResult() {
        return ResultFormat.decodeWriteResult(ByteBuffer.wrap(encodedResult));
    }
}
