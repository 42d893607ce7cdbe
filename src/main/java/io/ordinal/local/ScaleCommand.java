package io.ordinal.local;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Changes the number of replicas, as {@code kubectl scale statefulset} does, and returns once the Raft
 * group is exactly kv-store-0..N-1, each a voter that answers. The replicas change the membership
 * themselves, one member at a time, from the count this writes (ordinal.membership.file).
 */
@Command(name = "scale", description = "change the number of replicas: a Raft membership change, one replica at a time")
final class ScaleCommand implements Callable<Integer> {

    @Parameters(paramLabel = "N")
    String replicas;

    @Override
    public Integer call() throws IOException, InterruptedException {
        int n = UpCommand.positive(replicas, "usage: bin/kv-local scale N (N >= 1)");
        Cluster cluster = Cluster.fromEnvironment();
        if (!cluster.anyRunning()) {
            throw new KvLocalException("the cluster is not running; start it with 'bin/kv-local up'");
        }
        long timeout = cluster.env("KV_SCALE_TIMEOUT") == null ? 180 : Long.parseLong(cluster.env("KV_SCALE_TIMEOUT"));
        int old = cluster.replicaCount();
        cluster.setReplicaCount(n);
        if (n > old) {
            System.out.println("kv-local: scaling up from " + old + " to " + n + " replicas; new replicas join the group one at a time");
            for (int i = old; i < n; i++) {
                UpCommand.want(cluster, Pod.replica(i));
            }
            Supervisor.ensureRunning(cluster);
        } else if (n < old) {
            // Like the StatefulSet controller: the pods go away at once; each one first waits (while
            // stopping) for the leader to remove it from the group, then clears its data and exits.
            System.out.println("kv-local: scaling down from " + old + " to " + n + " replicas; kv-store-" + n + ".."
                    + (old - 1) + " leave the group, then stop");
            List<ProcessHandle> leaving = new ArrayList<>();
            for (int i = n; i < old; i++) {
                Pod pod = Pod.replica(i);
                DownCommand.touch(cluster.stopFile(pod));
                cluster.jvm(pod).ifPresent(jvm -> {
                    jvm.destroy();
                    leaving.add(jvm);
                });
            }
            DownCommand.awaitExit(leaving, timeout);
        }
        awaitMembers(cluster, n, timeout);
        System.out.println("kv-local: scaled to " + n + " replicas");
        return 0;
    }

    private static void awaitMembers(Cluster cluster, int n, long timeoutSeconds) throws InterruptedException {
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            expected.add(Pod.replica(i).name());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String members = "no answer";
        while (System.nanoTime() < deadline) {
            JsonNode cluster1 = LocalHttp.of(cluster).json(cluster.frontendUrl() + "/v1/cluster", Duration.ofSeconds(3)).orElse(null);
            if (cluster1 != null) {
                List<String> roles = new ArrayList<>();
                Set<String> ids = new TreeSet<>();
                boolean voting = true;
                for (JsonNode m : cluster1.path("members")) {
                    String role = m.path("role").asText();
                    roles.add(m.path("id").asText() + ":" + role);
                    ids.add(m.path("id").asText());
                    voting &= role.equals("LEADER") || role.equals("FOLLOWER");
                }
                members = String.join(" ", roles);
                if (voting && ids.equals(expected)) {
                    System.out.println("kv-local: members: " + members);
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new KvLocalException("the group did not become " + n + " members within " + timeoutSeconds + " s (now: "
                + members + "); see " + cluster.logs);
    }
}
