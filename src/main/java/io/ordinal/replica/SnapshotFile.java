package io.ordinal.replica;

import org.apache.ratis.server.storage.FileInfo;

import java.nio.file.Path;

/**
 * A file of a snapshot, that notes when Ratis reads it: a leader sending the snapshot to a follower
 * opens its files one after another, and {@link CheckpointSnapshots} keeps a snapshot being sent
 * ({@link CheckpointSnapshots#SENDING_GRACE}).
 */
final class SnapshotFile extends FileInfo {
    private final Runnable read;

    SnapshotFile(Path path, Runnable read) {
        super(path, null);
        this.read = read;
    }

    @Override
    public Path getPath() {
        read.run();
        return super.getPath();
    }

    @Override
    public long getFileSize() {
        read.run();
        return super.getFileSize();
    }
}
