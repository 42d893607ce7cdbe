package io.ordinal.local;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Stops every pod gracefully ({@code SIGTERM}; a leader hands over first) and keeps the data, unless purged. */
@Command(name = "down", description = "stop every pod gracefully; --purge also removes the data")
final class DownCommand implements Callable<Integer> {

    private static final long GRACE_SECONDS = 30;

    @Option(names = "--purge", description = "also remove the data")
    boolean purge;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Cluster cluster = Cluster.fromEnvironment();
        if (Files.isDirectory(cluster.run)) {
            List<Pod> pods = new ArrayList<>();
            try (var dirs = Files.list(cluster.run)) {
                dirs.map(d -> d.getFileName().toString()).filter(Pod::isPodName).map(Pod::new).forEach(pods::add);
            }
            for (Pod pod : pods) {
                touch(cluster.stopFile(pod));
            }
            // The supervisor first, so that it cannot start a JVM again while they stop.
            touch(cluster.run.resolve("stop"));
            var supervisor = cluster.supervisor();
            if (supervisor.isPresent() && !awaitExit(List.of(supervisor.get()), 5)) {
                supervisor.get().destroyForcibly();
            }
            List<ProcessHandle> jvms = new ArrayList<>();
            for (Pod pod : pods) {
                cluster.jvm(pod).ifPresent(jvm -> {
                    jvm.destroy();
                    PodCommands.signal("CONT", jvm.pid()); // a paused pod handles SIGTERM only once resumed
                    jvms.add(jvm);
                });
            }
            if (!awaitExit(jvms, GRACE_SECONDS)) {
                jvms.forEach(ProcessHandle::destroyForcibly);
            }
            for (Pod pod : pods) {
                Files.deleteIfExists(cluster.runDir(pod).resolve("pid"));
            }
            Files.deleteIfExists(cluster.run.resolve("supervisor.pid"));
        }
        new Netns(cluster).down();
        if (purge) {
            ClassDataArchive.deleteTree(cluster.home);
            System.out.println("kv-local: down; data removed");
        } else {
            System.out.println("kv-local: down; data kept in " + cluster.home);
        }
        return 0;
    }

    /** True if every process exited within the time. */
    static boolean awaitExit(List<ProcessHandle> processes, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (ProcessHandle p : processes) {
            while (p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
        return processes.stream().noneMatch(ProcessHandle::isAlive);
    }

    static void touch(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
    }
}
