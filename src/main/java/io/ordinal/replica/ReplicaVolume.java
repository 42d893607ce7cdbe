package io.ordinal.replica;

import io.ordinal.storage.Checkpoints;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A replica's volume (its PersistentVolumeClaim):
 * <pre>
 *   raft/         Ratis's log, metadata and snapshots
 *   db/           the live RocksDB database
 *   left-group    present when this replica was scaled away and removed from the group
 * </pre>
 */
final class ReplicaVolume {

    private static final String LEFT_MARKER = "left-group";

    private final Path dir;

    ReplicaVolume(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    Path raftDir() {
        return dir.resolve("raft");
    }

    Path dbDir() {
        return dir.resolve("db");
    }

    /** True when the volume holds no Raft storage yet: a new claim, or one whose replica left the group. */
    boolean isFresh() throws IOException {
        Files.createDirectories(raftDir());
        try (var entries = Files.list(raftDir())) {
            return entries.findAny().isEmpty();
        }
    }

    /** True when this volume's replica was removed from the group: it must join again, never found a group. */
    boolean hasLeftGroup() {
        return Files.exists(dir.resolve(LEFT_MARKER));
    }

    /**
     * Drops the data of a replica that is no longer a member (everything it held is on the members),
     * and marks the volume so that if it is used again it joins the group as a new member instead of
     * founding a group of its own.
     */
    void clearAfterLeaving(String why) throws IOException {
        Files.writeString(dir.resolve(LEFT_MARKER), why + "\n", StandardCharsets.UTF_8);
        Checkpoints.deleteRecursively(raftDir());
        Checkpoints.deleteRecursively(dbDir());
        Checkpoints.deleteRecursively(dir.resolve("db.restore"));
    }
}
