package io.ordinal.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's "kubelet": one detached process ({@code kv-local supervise}, started by {@code up})
 * that starts every wanted pod's JVM as its own child and starts it again, with the same name, ports
 * and data directory, whenever it dies, however it died. A pod is wanted while its folder under
 * {@code run/} exists without a {@code stop} file; the supervisor exits when {@code run/stop} appears
 * ({@code down}), leaving the JVMs to {@code down}.
 */
final class Supervisor {

    /** On the supervisor's command line, so that kv-local finds it (with the cluster's home). */
    static final String MARK = "-Dkv.local.supervisor=true";

    private static final long TICK_MILLIS = 100;
    /** A JVM that died is started again this long after, so that a pod that cannot start does not spin. */
    private static final long RESTART_PAUSE_MILLIS = 300;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Cluster cluster;
    private final PodJvm jvms;
    private final Map<Pod, Process> children = new HashMap<>();
    private final Map<Pod, Long> notBefore = new HashMap<>();

    Supervisor(Cluster cluster) {
        this.cluster = cluster;
        this.jvms = new PodJvm(cluster);
    }

    /** Starts the supervisor detached from the caller (its own session), unless one runs already. */
    static void ensureRunning(Cluster cluster) {
        if (cluster.supervisor().isPresent()) {
            return;
        }
        Process p = Detached.start(cluster, List.of(MARK), List.of("supervise"), cluster.logs.resolve("supervisor.log"));
        cluster.writePid(cluster.run.resolve("supervisor.pid"), p.pid());
    }

    void run() throws InterruptedException {
        cluster.writePid(cluster.run.resolve("supervisor.pid"), ProcessHandle.current().pid());
        while (!Files.exists(cluster.run.resolve("stop"))) {
            for (Pod pod : wanted()) {
                watch(pod);
            }
            Thread.sleep(TICK_MILLIS);
        }
    }

    private void watch(Pod pod) {
        Process child = children.get(pod);
        if (child != null) {
            if (child.isAlive()) {
                return;
            }
            children.remove(pod);
            log(pod, pod + " (pid " + child.pid() + ") exited with status " + child.exitValue() + "; starting it again");
            notBefore.put(pod, System.currentTimeMillis() + RESTART_PAUSE_MILLIS);
            return;
        }
        // A JVM from an earlier supervisor is still running: watch it instead of starting another.
        if (cluster.jvm(pod).isPresent() || System.currentTimeMillis() < notBefore.getOrDefault(pod, 0L)
                || Files.exists(cluster.stopFile(pod))) {
            return;
        }
        start(pod);
    }

    private void start(Pod pod) {
        log(pod, "starting " + pod);
        try {
            Process p = jvms.builder(jvms.command(pod)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(cluster.log(pod).toFile())).start();
            cluster.writePid(cluster.runDir(pod).resolve("pid"), p.pid());
            children.put(pod, p);
        } catch (IOException | UncheckedIOException e) {
            log(pod, "cannot start " + pod + ": " + e.getMessage());
            notBefore.put(pod, System.currentTimeMillis() + RESTART_PAUSE_MILLIS);
        }
    }

    private List<Pod> wanted() {
        List<Pod> pods = new ArrayList<>();
        try (var dirs = Files.list(cluster.run)) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).filter(Pod::isPodName)
                    .map(Pod::new).filter(pod -> !Files.exists(cluster.stopFile(pod))).forEach(pods::add);
        } catch (IOException e) {
            // the folder is gone (down --purge): nothing is wanted any more
        }
        return pods;
    }

    private void log(Pod pod, String message) {
        String line = "=== kv-local: " + LocalDateTime.now().format(TIME) + " " + message + "\n";
        try {
            Path log = cluster.log(pod);
            Files.createDirectories(log.getParent());
            Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.print(line);
        }
    }
}
