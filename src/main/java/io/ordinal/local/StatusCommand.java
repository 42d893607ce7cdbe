package io.ordinal.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Every pod: its JVM's pid (so that {@code kill -9 PID} and {@code kill -STOP PID} hit the pod), whether
 * it is ready, a replica's Raft role, its addresses, data directory and log; as a table or, with
 * {@code --json}, as the object docs/local-cluster.md describes.
 */
@Command(name = "status", description = "every pod: pid, ready, role, addresses, data directory, log")
final class StatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A pod that does not answer within this is not ready (a paused one, say); the probes run at once, so a
     *  status waits for it once. Not shorter: a command's first requests also load its HTTP client. */
    private static final Duration PROBE = Duration.ofSeconds(2);
    private static final String ROW = "%-14s %-8s %-6s %-12s %-24s %-16s %s%n";

    @Option(names = "--json", description = "one JSON object: {\"pods\":[…]}")
    boolean json;

    @Override
    public Integer call() {
        Cluster cluster = Cluster.fromEnvironment();
        ObjectNode status = status(cluster);
        if (json) {
            System.out.println(status);
            return 0;
        }
        System.out.printf(ROW, "NAME", "PID", "READY", "ROLE", "HTTP", "RAFT", "DATA");
        for (JsonNode pod : status.get("pods")) {
            System.out.printf(ROW, pod.get("name").asText(), pod.get("pid").isNull() ? "-" : pod.get("pid").asText(),
                    pod.get("ready").asText(), pod.path("role").asText("-"), pod.get("http").asText(),
                    pod.path("raft").asText("-"), pod.path("dataDir").asText("-"));
        }
        System.out.println("logs: " + cluster.logs + "/<pod>.log");
        return 0;
    }

    /** {@code {"pods":[…]}}: the pods are asked at once, so a paused one costs its timeout once, not once per pod after it. */
    static ObjectNode status(Cluster cluster) {
        ExecutorService probes = Executors.newCachedThreadPool();
        LocalHttp http = LocalHttp.of(cluster);
        List<CompletableFuture<ObjectNode>> rows = cluster.pods().stream()
                .map(pod -> CompletableFuture.supplyAsync(() -> row(cluster, http, pod), probes)).toList();
        ArrayNode pods = JSON.createArrayNode();
        rows.forEach(row -> pods.add(row.join()));
        probes.shutdown();
        ObjectNode status = JSON.createObjectNode();
        status.set("pods", pods);
        return status;
    }

    private static ObjectNode row(Cluster cluster, LocalHttp local, Pod pod) {
        ObjectNode row = JSON.createObjectNode();
        Long pid = cluster.jvm(pod).map(ProcessHandle::pid).orElse(null);
        String http = cluster.http(pod);
        row.put("name", pod.name());
        row.put("pid", pid);
        row.put("ready", pid != null && local.ready(http, PROBE));
        if (!pod.isFrontend()) {
            // A pod whose JVM is up but whose HTTP is not yet is UNREACHABLE, not a failed status.
            row.put("role", pid == null ? "UNREACHABLE" : local.json(http + "/v1/replica", PROBE)
                    .map(replica -> replica.path("role").asText("UNREACHABLE")).orElse("UNREACHABLE"));
        }
        row.put("http", http);
        if (!pod.isFrontend()) {
            row.put("raft", cluster.host(pod) + ":" + cluster.raftPort(pod));
            row.put("dataDir", cluster.dataDir(pod).toString());
        }
        row.put("log", cluster.log(pod).toString());
        if (!pod.isFrontend() && cluster.netns().isPresent()) {
            row.put("netns", Netns.name(cluster, pod));
        }
        return row;
    }
}
