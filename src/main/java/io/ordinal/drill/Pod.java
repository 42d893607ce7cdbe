package io.ordinal.drill;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * One pod as {@code bin/kv-local status --json} describes it (docs/local-cluster.md).
 *
 * @param pid     its JVM, 0 when none runs
 * @param netns   its network namespace, null unless the replicas run in namespaces
 * @param dataDir a replica's data directory, null for a frontend
 */
public record Pod(String name, long pid, boolean ready, String role, String http, String raft, String netns, Path dataDir) {

    public boolean isReplica() {
        return name.startsWith("kv-store-");
    }

    /** The replica's IP address, from its Raft address. */
    public String host() {
        return raft.substring(0, raft.lastIndexOf(':'));
    }

    /** Running a JVM other than {@code oldPid}, and ready: a pod that came back as itself. */
    public boolean isBackFrom(long oldPid) {
        return pid > 0 && pid != oldPid && ready;
    }

    public static Pod of(JsonNode n) {
        return new Pod(n.get("name").asText(), n.path("pid").asLong(0), n.path("ready").asBoolean(false),
                n.path("role").asText(""), n.path("http").asText(""), n.path("raft").asText(""),
                n.hasNonNull("netns") ? n.get("netns").asText() : null,
                n.hasNonNull("dataDir") ? Path.of(n.get("dataDir").asText()) : null);
    }
}
