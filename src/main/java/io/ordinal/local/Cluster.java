package io.ordinal.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One local cluster: its folder ({@code KV_LOCAL_HOME}), its ports, the state the StatefulSet keeps
 * there (the replica count, the count it was created with, the number of frontends, its network), and
 * where each pod lives. Every command and the supervisor build it from the same environment, so they
 * all find the same cluster.
 */
final class Cluster {

    final Path checkout;
    final Path home;
    final Path run;
    final Path logs;
    final int httpPort;
    /** The first frontend's HTTPS port when the cluster runs with {@code up --secure} (it then has no plain one). */
    final int httpsPort;
    final int raftBase;
    final int replicaHttpBase;
    private final Map<String, String> env;

    Cluster(Path checkout, Map<String, String> env) {
        this.checkout = checkout;
        this.env = env;
        this.home = Path.of(env.getOrDefault("KV_LOCAL_HOME", checkout.resolve(".kv-local").toString()))
                .toAbsolutePath().normalize();
        this.run = home.resolve("run");
        this.logs = home.resolve("logs");
        this.httpPort = port("KV_HTTP_PORT", 8080);
        this.httpsPort = port("KV_HTTPS_PORT", 8443);
        this.raftBase = port("KV_RAFT_BASE_PORT", 9870);
        this.replicaHttpBase = port("KV_REPLICA_HTTP_BASE_PORT", 9880);
    }

    /** The cluster the environment names; the checkout is where bin/kv-local lives. */
    static Cluster fromEnvironment() {
        String checkout = System.getProperty("kv.local.checkout", "");
        return new Cluster(Path.of(checkout).toAbsolutePath().normalize(), System.getenv());
    }

    String env(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The settings a process started for this cluster needs to find it again (the drills run bin/kv-local). */
    Map<String, String> identity() {
        return Map.of("KV_LOCAL_HOME", home.toString(), "KV_HTTP_PORT", Integer.toString(httpPort),
                "KV_HTTPS_PORT", Integer.toString(httpsPort), "KV_RAFT_BASE_PORT", Integer.toString(raftBase),
                "KV_REPLICA_HTTP_BASE_PORT", Integer.toString(replicaHttpBase));
    }

    Path app() {
        return checkout.resolve("target/quarkus-app");
    }

    Path script() {
        return checkout.resolve("bin/kv-local");
    }

    // --- the state on disk -------------------------------------------------------------------------

    /** The StatefulSet's replica count: what {@code up --replicas} and {@code scale} set, and what the
     *  replicas read ({@code ordinal.membership.file}) to decide the group's membership. */
    int replicaCount() {
        return readCount("replicas").orElse(3);
    }

    /** The size the group was created with ({@code ordinal.cluster.replicas}): fixed at the first {@code up}. */
    int initialCount() {
        return readCount("initial-replicas").orElseGet(this::replicaCount);
    }

    /** Written whole (a rename), because the replicas read it again and again. */
    void setReplicaCount(int n) {
        write("replicas", Integer.toString(n));
    }

    boolean created() {
        return Files.exists(home.resolve("initial-replicas"));
    }

    void setInitialCount(int n) {
        write("initial-replicas", Integer.toString(n));
    }

    /** How many frontends: KV_FRONTENDS at the last {@code up} (default 1). */
    int frontendCount() {
        OptionalInt stored = readCount("frontends");
        if (stored.isPresent()) {
            return stored.getAsInt();
        }
        return env("KV_FRONTENDS") == null ? 1 : Integer.parseInt(env("KV_FRONTENDS"));
    }

    void setFrontendCount(int n) {
        write("frontends", Integer.toString(n));
    }

    /** The network-namespace mode's network N (198.18.N.0/24), if the cluster was created with one. */
    OptionalInt netns() {
        return readCount("netns");
    }

    void setNetns(int n) {
        write("netns", Integer.toString(n));
    }

    /** Whether the pods run with security on: set by {@code up --secure}, cleared by a plain {@code up}. */
    boolean secure() {
        return Files.exists(home.resolve("secure"));
    }

    void setSecure(boolean secure) {
        if (secure) {
            write("secure", "on");
        } else {
            try {
                Files.deleteIfExists(home.resolve("secure"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // --- its secrets (up --secure): kept across down, removed by down --purge with the rest ----------

    /** The cluster CA's certificate (what clients trust) and, beside it, its key. */
    Path caCrt() {
        return home.resolve("tls/ca.crt");
    }

    Path caKey() {
        return home.resolve("tls/ca.key");
    }

    /** The pod's certificate, in the layout of a cert-manager Secret (tls.crt, tls.key, ca.crt). */
    Path tlsDir(Pod pod) {
        return home.resolve("tls").resolve(pod.name());
    }

    Path rootTokenFile() {
        return home.resolve("root-token");
    }

    Path membershipFile() {
        return home.resolve("replicas");
    }

    List<Pod> pods() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < replicaCount(); i++) {
            pods.add(Pod.replica(i));
        }
        for (int j = 0; j < frontendCount(); j++) {
            pods.add(Pod.frontend(j));
        }
        return pods;
    }

    // --- where each pod lives ----------------------------------------------------------------------

    /** The host of replica i as every pod addresses it ({@code ordinal.cluster.peer-host}, with {ordinal}). */
    String peerHostPattern() {
        OptionalInt n = netns();
        return n.isPresent() ? "198.18." + n.getAsInt() + ".1{ordinal}" : "127.0.0.1";
    }

    String host(Pod pod) {
        return pod.isFrontend() ? "127.0.0.1" : peerHostPattern().replace("{ordinal}", Integer.toString(pod.ordinal()));
    }

    /** The pod's API port: HTTPS only when the cluster is secure (a frontend's then counts from KV_HTTPS_PORT). */
    int httpPort(Pod pod) {
        return (pod.isFrontend() ? (secure() ? httpsPort : httpPort) : replicaHttpBase) + pod.ordinal();
    }

    int raftPort(Pod pod) {
        return raftBase + pod.ordinal();
    }

    String http(Pod pod) {
        return (secure() ? "https://" : "http://") + host(pod) + ":" + httpPort(pod);
    }

    String frontendUrl() {
        return http(Pod.frontend(0));
    }

    Path dataDir(Pod pod) {
        return home.resolve(pod.name());
    }

    Path log(Pod pod) {
        return logs.resolve(pod.name() + ".log");
    }

    Path runDir(Pod pod) {
        return run.resolve(pod.name());
    }

    /** Present while a pod must not be (re)started: after {@code down}, or when scaled away. */
    Path stopFile(Pod pod) {
        return runDir(pod).resolve("stop");
    }

    // --- its processes -----------------------------------------------------------------------------

    /**
     * The pod's JVM if it is alive and really that pod's JVM (pid files outlive reboots). Known by its
     * command line, which must stay under 4 KiB: the JDK reads no arguments of a longer one.
     */
    Optional<ProcessHandle> jvm(Pod pod) {
        return alive(runDir(pod).resolve("pid"), "-Dkv.local.pod=" + pod.name());
    }

    /** The cluster's supervisor ({@code kv-local supervise}), if it runs. */
    Optional<ProcessHandle> supervisor() {
        return alive(run.resolve("supervisor.pid"), Supervisor.MARK);
    }

    boolean anyRunning() {
        try (var dirs = Files.list(run)) {
            return dirs.map(d -> d.getFileName().toString()).filter(Pod::isPodName)
                    .anyMatch(name -> jvm(new Pod(name)).isPresent());
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<ProcessHandle> alive(Path pidFile, String mark) {
        String homeMark = "-Dkv.local.home=" + home;
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> {
                List<String> args = p.info().arguments().map(List::of).orElse(List.of());
                return args.contains(mark) && args.contains(homeMark);
            });
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void writePid(Path pidFile, long pid) {
        writeFile(pidFile, Long.toString(pid));
    }

    private int port(String name, int fallback) {
        String value = env(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new KvLocalException(name + " must be a port number, not '" + value + "'");
        }
    }

    private OptionalInt readCount(String file) {
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(home.resolve(file)).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private void write(String file, String value) {
        writeFile(home.resolve(file), value);
    }

    private static void writeFile(Path file, String value) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
