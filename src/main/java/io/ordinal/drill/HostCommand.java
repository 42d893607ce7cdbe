package io.ordinal.drill;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host command ({@code bin/kv-local}, {@code kill}, {@code ip}, {@code kubectl}) without a shell,
 * for a bounded time, and says how it went. Its output goes to a file, not a pipe: {@code bin/kv-local up}
 * leaves pods running that inherit the command's output, and a pipe would stay open as long as they run.
 */
public final class HostCommand {

    /** No answer within the command's time: {@link Result#exit()} of a command that did not finish. */
    public static final int TIMED_OUT = -1;

    private HostCommand() {
    }

    /** How a command ended: its exit status ({@link #TIMED_OUT} or -2 when it could not start) and its output. */
    public record Result(int exit, String output) {

        public boolean ok() {
            return exit == 0;
        }

        /** The output of a command that succeeded; otherwise an IllegalStateException saying what failed. */
        public String orThrow(List<String> command) {
            if (!ok()) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + exit + ": " + output);
            }
            return output;
        }
    }

    /** Runs the command and returns its output; an IllegalStateException saying what failed if it fails. */
    public static String must(String... command) {
        return run(command).orThrow(List.of(command));
    }

    public static Result run(String... command) {
        return run(List.of(command), Map.of(), Duration.ofSeconds(30), Integer.MAX_VALUE);
    }

    /**
     * @param env       settings added to this process's environment
     * @param maxOutput how many bytes of output to keep (stdout and stderr together)
     */
    public static Result run(List<String> command, Map<String, String> env, Duration timeout, int maxOutput) {
        String what = String.join(" ", command);
        try {
            Path out = Files.createTempFile("ordinal-drill", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                p.getOutputStream().close();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return new Result(TIMED_OUT, what + ": did not finish within " + timeout.toSeconds() + " s");
                }
                return new Result(p.exitValue(), head(out, maxOutput).strip());
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return new Result(-2, what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-2, what + ": interrupted");
        }
    }

    private static String head(Path file, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(maxBytes), StandardCharsets.UTF_8);
        }
    }
}
