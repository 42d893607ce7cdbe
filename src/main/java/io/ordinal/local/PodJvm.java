package io.ordinal.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of a pod's JVM: its identity from the ordinal name alone (peer id, ports, data
 * directory), the cluster's shared settings, and the JVM options of its role.
 */
final class PodJvm {

    // A replica's live heap is small (Ratis keeps at most the open log segment and two closed ones,
    // 8 MB each); a frontend's carries every request in flight (docs/performance.md, footprint).
    private static final String REPLICA_JAVA_OPTS = "-Xmx192m -XX:+UseSerialGC";
    private static final String FRONTEND_JAVA_OPTS = "-Xmx256m -XX:+UseSerialGC";

    private final Cluster cluster;

    PodJvm(Cluster cluster) {
        this.cluster = cluster;
    }

    /** {@code java} from JAVA_HOME, else the one on the PATH. */
    static String java(Cluster cluster) {
        String javaHome = cluster.env("JAVA_HOME");
        return javaHome == null ? "java" : Path.of(javaHome, "bin", "java").toString();
    }

    /** KV_JAVA_OPTS for every pod, else the serial collector and a heap per role. */
    List<String> javaOptions(boolean frontend) {
        String opts = cluster.env("KV_JAVA_OPTS");
        if (opts == null) {
            opts = frontend ? FRONTEND_JAVA_OPTS : REPLICA_JAVA_OPTS;
        }
        return Arrays.stream(opts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    Path jar() {
        return cluster.app().resolve("quarkus-run.jar");
    }

    List<String> command(Pod pod) {
        List<String> cmd = new ArrayList<>();
        // In network-namespace mode a replica's JVM runs in its namespace (nsenter execs it: same pid).
        if (!pod.isFrontend() && cluster.netns().isPresent()) {
            cmd.add("nsenter");
            cmd.add("--net=" + Netns.path(cluster, pod));
        }
        cmd.add(java(cluster));
        cmd.addAll(javaOptions(pod.isFrontend()));
        // The JVM takes a class from the archive only where it matches the build's own (it compares each
        // class's bytes, and refuses an archive of another Java): a stale archive only starts slower.
        Path archive = ClassDataArchive.path(cluster);
        if (ClassDataArchive.enabled(cluster) && Files.isRegularFile(archive)) {
            cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        // The first two are how kv-local (and loadtest/replicas.sh) recognise the pod's JVM.
        cmd.addAll(List.of("-Dkv.local.pod=" + pod.name(), "-Dkv.local.home=" + cluster.home,
                "-Dordinal.pod-name=" + pod.name(),
                "-Dordinal.cluster.replicas=" + cluster.initialCount(),
                "-Dordinal.cluster.peer-host=" + cluster.peerHostPattern(),
                "-Dordinal.membership.source=file", "-Dordinal.membership.file=" + cluster.membershipFile(),
                "-Dordinal.cluster.raft-port=" + cluster.raftBase, "-Dordinal.cluster.raft-port-stride=1",
                "-Dordinal.dashboard.replica-http-port=" + cluster.replicaHttpBase,
                "-Dordinal.dashboard.replica-http-port-stride=1",
                "-Dquarkus.http.host=" + cluster.host(pod), "-Dquarkus.http.port=" + cluster.httpPort(pod)));
        if (pod.equals(Pod.frontend(0))) {
            // The dashboard's drills (delete or pause a pod) run bin/kv-local; only this frontend has them.
            cmd.addAll(List.of("-Dordinal.role=frontend", "-Dordinal.dashboard.drills.kv-local=" + cluster.script()));
        } else if (pod.isFrontend()) {
            cmd.add("-Dordinal.role=frontend");
        } else {
            cmd.addAll(List.of("-Dordinal.role=replica", "-Dordinal.replica.data-dir=" + cluster.dataDir(pod)));
        }
        if (cluster.secure()) {
            // The API on HTTPS only (no plain listener at all), Raft over mutual TLS, tokens required.
            cmd.addAll(List.of("-Dordinal.security.enabled=true", "-Dordinal.security.tls.dir=" + cluster.tlsDir(pod),
                    "-Dordinal.security.root-token-file=" + cluster.rootTokenFile(),
                    "-Dquarkus.http.ssl-port=" + cluster.httpPort(pod), "-Dquarkus.http.insecure-requests=disabled"));
        }
        cmd.addAll(List.of("-jar", jar().toString()));
        return cmd;
    }

    /** A process builder for a JVM of this cluster: glibc arenas kept few, and the cluster's settings. */
    ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // glibc gives each thread that allocates natively (RocksDB, gRPC) an arena of its own: two keep
        // a replica's memory outside the heap small (docs/performance.md, footprint)
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        // The frontend's drills run bin/kv-local again: it must find the same cluster.
        pb.environment().putAll(cluster.identity());
        return pb;
    }
}
