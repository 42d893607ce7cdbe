package io.ordinal.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A class-data archive of the application (AppCDS), made once per build by a short training run:
 * every JVM then maps the classes it needs instead of loading and verifying them, about 0.5 s of each
 * start here (docs/performance.md). {@code KV_CDS=0} turns it off.
 */
final class ClassDataArchive {

    private final Cluster cluster;

    ClassDataArchive(Cluster cluster) {
        this.cluster = cluster;
    }

    static Path path(Cluster cluster) {
        return cluster.app().resolve("kv-local-cds.jsa");
    }

    static boolean enabled(Cluster cluster) {
        String cds = cluster.env("KV_CDS");
        return cds == null || cds.equals("1");
    }

    /**
     * The training run: one all-in-one JVM on the frontend's port and a throwaway data directory, until
     * it is ready and has answered a write, a read, a listing and a delete; the JVM writes the classes
     * it loaded into the archive as it exits. Skipped when the archive is newer than the build, or when
     * that port is taken (the pod's start then says so).
     */
    void trainIfStale() throws IOException, InterruptedException {
        Path archive = path(cluster);
        if (!enabled(cluster) || (Files.exists(archive) && !buildNewerThan(archive)) || Ports.inUse(cluster.httpPort)) {
            return;
        }
        System.out.println("kv-local: making a class-data archive for faster starts (once per build, a few seconds) ...");
        Path dir = Files.createTempDirectory("kv-local-cds");
        Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        PodJvm jvms = new PodJvm(cluster);
        List<String> cmd = new ArrayList<>(List.of(PodJvm.java(cluster)));
        cmd.addAll(jvms.javaOptions(false));
        cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + partial, "-Dordinal.role=all-in-one",
                "-Dordinal.cluster.raft-port=0", "-Dordinal.replica.data-dir=" + dir.resolve("data"),
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + cluster.httpPort, "-jar", jvms.jar().toString()));
        Process p = jvms.builder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        String url = "http://127.0.0.1:" + cluster.httpPort;
        LocalHttp http = new LocalHttp(ClusterAccess.plain());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        boolean ready = false;
        while (p.isAlive() && System.nanoTime() < deadline && !ready) {
            ready = http.ready(url, Duration.ofSeconds(2));
            if (!ready) {
                Thread.sleep(200);
            }
        }
        if (ready) {
            http.send("PUT", url + "/v1/kv/kv-local/training", "training");
            http.send("GET", url + "/v1/kv/kv-local/training", null);
            http.send("GET", url + "/v1/kv?prefix=kv-local/", null);
            http.send("DELETE", url + "/v1/kv/kv-local/training", null);
        }
        // The archive is written as the JVM exits; one that does not exit within 20 s is killed (no archive).
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        if (ready && Files.exists(partial) && Files.size(partial) > 0) {
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
        } else {
            System.err.println("kv-local: no class-data archive was made (pods start without one); the training run said:");
            List<String> log = Files.readAllLines(dir.resolve("log"));
            log.subList(Math.max(0, log.size() - 5), log.size()).forEach(System.err::println);
        }
        Files.deleteIfExists(partial);
        deleteTree(dir);
    }

    private boolean buildNewerThan(Path archive) throws IOException {
        FileTime made = Files.getLastModifiedTime(archive);
        try (Stream<Path> files = Files.walk(cluster.app())) {
            return files.filter(Files::isRegularFile).anyMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).compareTo(made) > 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
