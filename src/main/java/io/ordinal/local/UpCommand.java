package io.ordinal.local;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Starts the cluster, or what is missing of it, and returns once the group has a leader and every
 * frontend is ready. Harmless on a running cluster; after {@code down} it brings back the same data.
 */
@Command(name = "up", description = "start replicas kv-store-0..N-1 (default 3) and kv-frontend-0 on 127.0.0.1:$KV_HTTP_PORT")
final class UpCommand implements Callable<Integer> {

    /** Counts the archive's training run too (at most about a minute when it fails). */
    private static final long READY_TIMEOUT_SECONDS = 120;

    @Option(names = "--replicas", paramLabel = "N", description = "number of replicas (default 3, or as the cluster has)")
    String replicas;

    @Option(names = "--secure", description = "TLS, tokens and roles on (security-v1.md): the API on"
            + " https://127.0.0.1:$KV_HTTPS_PORT (8443), trusting tls/ca.crt, with the token in root-token")
    boolean secure;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Cluster cluster = Cluster.fromEnvironment();
        int n = replicas == null ? cluster.replicaCount() : positive(replicas, "--replicas must be a positive number");
        Files.createDirectories(cluster.run);
        Files.createDirectories(cluster.logs);
        if (Files.exists(cluster.membershipFile()) && cluster.replicaCount() != n && cluster.anyRunning()) {
            throw new KvLocalException("the cluster runs " + cluster.replicaCount() + " replicas; changing that is 'scale', not 'up'");
        }
        // Switching a running cluster's security would leave pods of both kinds: it is a restart, said so.
        if (cluster.anyRunning() && secure != cluster.secure()) {
            throw new KvLocalException(cluster.secure()
                    ? "the cluster runs with --secure; 'bin/kv-local down' first to start it without"
                    : "the cluster runs without --secure; 'bin/kv-local down' first, then 'bin/kv-local up --secure'");
        }
        new Netns(cluster).init();
        cluster.setSecure(secure);
        if (secure) {
            new ClusterSecrets(cluster).ensureClusterWide();
        }
        // Frontends are stateless: KV_FRONTENDS may change their number at any `up`.
        if (cluster.env("KV_FRONTENDS") != null) {
            cluster.setFrontendCount(positive(cluster.env("KV_FRONTENDS"), "KV_FRONTENDS must be a positive number"));
        }
        cluster.setReplicaCount(n);
        if (!cluster.created()) {
            cluster.setInitialCount(n);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
        new ClassDataArchive(cluster).trainIfStale();
        for (Pod pod : cluster.pods()) {
            want(cluster, pod);
        }
        Files.deleteIfExists(cluster.run.resolve("stop"));
        Supervisor.ensureRunning(cluster);

        System.out.print("kv-local: waiting for a leader and a ready frontend");
        System.out.flush();
        String leader = null;
        while (System.nanoTime() < deadline && (leader = leader(cluster)) == null) {
            System.out.print('.');
            System.out.flush();
            Thread.sleep(500);
        }
        System.out.println();
        if (leader == null) {
            System.err.println("kv-local: the cluster did not get a leader and a ready frontend within "
                    + READY_TIMEOUT_SECONDS + " s");
            try (var logs = Files.list(cluster.logs)) {
                for (Path log : logs.sorted().toList()) {
                    List<String> lines = Files.readAllLines(log);
                    System.err.println("--- " + log + " (last 15 lines)");
                    lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(System.err::println);
                }
            }
            return 1;
        }
        System.out.println("kv-local: up — " + n + " replicas, leader " + leader + ", API on " + cluster.frontendUrl()
                + " (logs in " + cluster.logs + ")");
        if (secure) {
            System.out.println("kv-local: the CA to trust is " + cluster.caCrt() + ", the root token is in "
                    + cluster.rootTokenFile() + " (bin/kvctl finds both)");
        }
        return 0;
    }

    /**
     * Marks the pod as wanted, so that the supervisor starts it (again), after checking that nothing
     * else holds its ports; in network-namespace mode a replica's ports are its namespace's own.
     */
    static void want(Cluster cluster, Pod pod) throws IOException {
        Path dir = cluster.runDir(pod);
        boolean supervised = Files.isDirectory(dir) && !Files.exists(cluster.stopFile(pod)) && cluster.supervisor().isPresent();
        Files.createDirectories(dir);
        if (cluster.secure()) {
            new ClusterSecrets(cluster).ensurePod(pod);
        }
        new Netns(cluster).up(pod);
        if (!supervised && cluster.jvm(pod).isEmpty() && (pod.isFrontend() || cluster.netns().isEmpty())) {
            if (Ports.inUse(cluster.httpPort(pod))) {
                throw new KvLocalException("port " + cluster.httpPort(pod) + " (HTTP of " + pod + ") is in use by another"
                        + " program; set KV_HTTP_PORT / KV_REPLICA_HTTP_BASE_PORT");
            }
            if (!pod.isFrontend() && Ports.inUse(cluster.raftPort(pod))) {
                throw new KvLocalException("port " + cluster.raftPort(pod) + " (Raft of " + pod + ") is in use by another"
                        + " program; set KV_RAFT_BASE_PORT");
            }
        }
        Files.deleteIfExists(cluster.stopFile(pod));
    }

    /** The leader's name once every frontend is ready and the group has one; else null. */
    private static String leader(Cluster cluster) {
        Duration timeout = Duration.ofSeconds(2);
        LocalHttp http = LocalHttp.of(cluster);
        for (int j = 0; j < cluster.frontendCount(); j++) {
            if (!http.ready(cluster.http(Pod.frontend(j)), timeout)) {
                return null;
            }
        }
        return http.json(cluster.frontendUrl() + "/v1/cluster", timeout)
                .map(c -> c.path("leader").asText("")).filter(l -> !l.isEmpty() && !l.equals("null")).orElse(null);
    }

    static int positive(String value, String message) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new KvLocalException(message);
    }
}
