package io.ordinal.replica;

import io.ordinal.storage.Checkpoints;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A replica's volume (its PersistentVolumeClaim):
 * <pre>
 *   raft/         Ratis's log, metadata and snapshots
 *   db/           the live RocksDB database
 *   left-group    present when this replica was scaled away and removed from the group
 *   joined        present when a fresh volume joined a running group as a new member
 *   starts        how many times a replica has started on this volume (the dashboard's "restarts")
 * </pre>
 */
final class ReplicaVolume {

    private static final String LEFT_MARKER = "left-group";
    private static final String JOINED_MARKER = "joined";
    private static final String STARTS = "starts";

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

    /**
     * Counts one more start of a replica on this volume and returns the count, this start included. A
     * pod that comes back on its claim counts on; a new claim starts again at 1. The count is written
     * to a temporary file renamed over the old one, so a crash leaves the old count or the new one.
     */
    long recordStart() throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(STARTS);
        long starts = 0;
        try {
            starts = Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException | NumberFormatException e) {
            starts = 0; // a volume from before the count existed, or a damaged count: start again
        }
        starts = Math.max(starts, 0) + 1;
        Path tmp = dir.resolve(STARTS + ".tmp");
        Files.writeString(tmp, starts + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return starts;
    }

    /** True when this volume's replica was removed from the group: it must join again, never found a group. */
    boolean hasLeftGroup() {
        return Files.exists(dir.resolve(LEFT_MARKER));
    }

    /**
     * Marks a fresh volume that joins a running group, before its Raft storage is formatted with no
     * configuration. Should the replica restart before the leader has added it, its storage holds no
     * configuration yet, and without the mark a founding ordinal would recover it with the founding
     * members: an empty voter.
     */
    void markJoined() throws IOException {
        Path tmp = dir.resolve(JOINED_MARKER + ".tmp");
        try (FileChannel f = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            f.write(ByteBuffer.wrap("joined a running group as a new member\n".getBytes(StandardCharsets.UTF_8)));
            f.force(true);
        }
        Files.move(tmp, dir.resolve(JOINED_MARKER), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself, before the storage it guards is formatted
        }
    }

    /** True when this volume's replica joined a running group rather than founding it: it never founds one. */
    boolean hasJoined() {
        return Files.exists(dir.resolve(JOINED_MARKER));
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
