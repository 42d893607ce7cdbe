package io.ordinal.dashboard;

import io.ordinal.drill.HostCommand;
import io.ordinal.drill.KvLocalPods;
import io.ordinal.client.ClusterStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
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
 * request, and the script is run without a shell ({@link KvLocalPods}, the failover driver's).
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

    private final Optional<KvLocalPods> pods;
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
        this.pods = script.map(s -> new KvLocalPods(s, Map.of(), SCRIPT_TIMEOUT, MAX_OUTPUT));
        this.pause = pause;
        this.cluster = cluster;
        this.events = events;
    }

    /** The drills this process offers: all of them with bin/kv-local, none otherwise. */
    public List<String> available() {
        return pods.isPresent() ? Arrays.stream(Drill.values()).map(Drill::id).toList() : List.of();
    }

    public CompletableFuture<Result> run(String id) {
        if (pods.isEmpty()) {
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
        HostCommand.Result result;
        String what;
        if (drill == Drill.PAUSE_LEADER) {
            long seconds = Math.max(1, (pause.toMillis() + 999) / 1000);
            result = pods.get().pausePod(pod, seconds);
            what = "paused the leader " + pod + " for " + seconds + " s (SIGSTOP, then SIGCONT)";
        } else {
            result = pods.get().deletePod(pod);
            what = "deleted the " + (drill == Drill.DELETE_LEADER ? "leader " : "follower ") + pod + " (SIGKILL)";
        }
        String output = outcome(result);
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

    /** What bin/kv-local said; a failed drill with its words if it failed. */
    private static String outcome(HostCommand.Result result) {
        if (result.exit() == HostCommand.TIMED_OUT) {
            throw new DrillException(DrillException.Reason.FAILED, "bin/kv-local did not finish within "
                    + SCRIPT_TIMEOUT.toSeconds() + " s");
        }
        if (!result.ok()) {
            throw new DrillException(DrillException.Reason.FAILED, result.output().isEmpty()
                    ? "bin/kv-local exited " + result.exit() : result.output());
        }
        return result.output();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
