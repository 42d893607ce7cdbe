package io.ordinal.dashboard;

import io.ordinal.frontend.ClusterStatus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The page's failure drills, run through {@code bin/kv-local} on this machine: delete the leader pod
 * ({@code delete-pod}, SIGKILL), delete a follower pod, or pause the leader ({@code pause-pod}: SIGSTOP,
 * then SIGCONT a few seconds later). They exist only when {@code ordinal.dashboard.drills.kv-local}
 * names the script, which {@code bin/kv-local} sets for its frontend alone; anywhere else there are
 * none. One drill runs at a time; the target comes from the cluster's own status, never from the
 * request, and the script is run without a shell.
 */
public final class Drills implements AutoCloseable {

    public enum Drill {
        DELETE_LEADER("delete-leader"), DELETE_FOLLOWER("delete-follower"), PAUSE_LEADER("pause-leader");

        private final String id;

        Drill(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        static Optional<Drill> byId(String id) {
            return Arrays.stream(values()).filter(d -> d.id.equals(id)).findFirst();
        }
    }

    /** What a drill did: to which pod, and what bin/kv-local said. */
    public record Result(String drill, String pod, String output) {
    }

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_OUTPUT = 4096;
    private static final Pattern POD_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final Optional<Path> script;
    private final Duration pause;
    private final Supplier<CompletableFuture<ClusterStatus>> cluster;
    private final Consumer<Event> events;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ordinal-drill");
        t.setDaemon(true);
        return t;
    });

    public Drills(Optional<Path> script, Duration pause, Supplier<CompletableFuture<ClusterStatus>> cluster,
                  Consumer<Event> events) {
        this.script = script;
        this.pause = pause;
        this.cluster = cluster;
        this.events = events;
    }

    /** The drills this process offers: all of them with bin/kv-local, none otherwise. */
    public List<String> available() {
        return script.isPresent() ? Arrays.stream(Drill.values()).map(Drill::id).toList() : List.of();
    }

    public CompletableFuture<Result> run(String id) {
        if (script.isEmpty()) {
            throw new DrillException(DrillException.Reason.DISABLED, "drills are off: they run only on a frontend"
                    + " started by bin/kv-local (ordinal.dashboard.drills.kv-local)");
        }
        Drill drill = Drill.byId(id).orElseThrow(() -> new DrillException(DrillException.Reason.UNKNOWN,
                "no drill named '" + id + "'; drills: " + String.join(", ", available())));
        if (!running.compareAndSet(false, true)) {
            throw new DrillException(DrillException.Reason.CONFLICT, "another drill is running; try again in a moment");
        }
        CompletableFuture<Result> result;
        try {
            result = cluster.get().thenApplyAsync(status -> perform(drill, status), executor);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((r, e) -> running.set(false));
    }

    private Result perform(Drill drill, ClusterStatus status) {
        String pod = switch (drill) {
            case DELETE_LEADER, PAUSE_LEADER -> leader(status);
            case DELETE_FOLLOWER -> follower(status);
        };
        List<String> command = new ArrayList<>(List.of(script.get().toString()));
        String what;
        if (drill == Drill.PAUSE_LEADER) {
            long seconds = Math.max(1, (pause.toMillis() + 999) / 1000);
            command.addAll(List.of("pause-pod", pod, Long.toString(seconds)));
            what = "paused the leader " + pod + " for " + seconds + " s (SIGSTOP, then SIGCONT)";
        } else {
            command.addAll(List.of("delete-pod", pod));
            what = "deleted the " + (drill == Drill.DELETE_LEADER ? "leader " : "follower ") + pod + " (SIGKILL)";
        }
        String output = execute(command);
        events.accept(new Event(System.currentTimeMillis(), "drill", pod, "Drill: " + what));
        return new Result(drill.id(), pod, output);
    }

    private static String leader(ClusterStatus status) {
        if (status.leader() == null) {
            throw new DrillException(DrillException.Reason.CONFLICT, "there is no leader right now: an election is"
                    + " under way or a majority is down");
        }
        return checked(status.leader());
    }

    private static String follower(ClusterStatus status) {
        List<String> followers = status.members().stream()
                .filter(m -> m.role().equals("FOLLOWER")).map(ClusterStatus.Member::id).toList();
        if (followers.isEmpty()) {
            throw new DrillException(DrillException.Reason.CONFLICT, "no follower answers right now");
        }
        return checked(followers.get(ThreadLocalRandom.current().nextInt(followers.size())));
    }

    /** A pod name is passed to the script as one argument; still, only a plain DNS label is. */
    private static String checked(String pod) {
        if (!POD_NAME.matcher(pod).matches()) {
            throw new DrillException(DrillException.Reason.FAILED, "not a pod name: " + pod);
        }
        return pod;
    }

    private static String execute(List<String> command) {
        try {
            Path out = Files.createTempFile("ordinal-drill", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new DrillException(DrillException.Reason.FAILED, "bin/kv-local did not finish within "
                            + SCRIPT_TIMEOUT.toSeconds() + " s");
                }
                String output = head(out).strip();
                if (p.exitValue() != 0) {
                    throw new DrillException(DrillException.Reason.FAILED, output.isEmpty()
                            ? "bin/kv-local exited " + p.exitValue() : output);
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new DrillException(DrillException.Reason.FAILED, "cannot run bin/kv-local: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrillException(DrillException.Reason.FAILED, "interrupted");
        }
    }

    private static String head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
