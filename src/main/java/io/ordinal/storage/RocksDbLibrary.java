package io.ordinal.storage;

import org.jboss.logging.Logger;
import org.rocksdb.RocksDB;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Loads RocksDB's native library. RocksJava unpacks it from its jar into the temporary directory at
 * every start (17 MB) and deletes the copy only when the JVM exits normally: a replica killed with
 * SIGKILL, or crashing, leaves its copy behind. In Kubernetes the temporary directory is the pod's
 * {@code emptyDir}, which outlives container restarts, so a replica in a crash loop would fill it. Each
 * start therefore first removes the copies that earlier processes left: once loaded, a library stays
 * mapped in the processes that use it even after its file is removed, and a copy older than a minute
 * is no longer being loaded by anyone.
 */
final class RocksDbLibrary {

    private static final Logger LOG = Logger.getLogger(RocksDbLibrary.class);
    private static final Duration STALE_AFTER = Duration.ofMinutes(1);

    private RocksDbLibrary() {
    }

    static void load() {
        String dir = System.getenv("ROCKSDB_SHAREDLIB_DIR"); // where RocksJava unpacks it, if set
        int removed = removeStaleCopies(Path.of(dir != null ? dir : System.getProperty("java.io.tmpdir")),
                Instant.now().minus(STALE_AFTER));
        if (removed > 0) {
            LOG.infof("removed %d copies of RocksDB's native library left by processes that did not exit normally",
                    removed);
        }
        RocksDB.loadLibrary();
    }

    /** Removes RocksJava's unpacked copies last modified before {@code before}; returns how many. */
    static int removeStaleCopies(Path dir, Instant before) {
        int removed = 0;
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(dir, "librocksdbjni*.so")) {
            for (Path copy : copies) {
                try {
                    if (Files.isRegularFile(copy) && Files.getLastModifiedTime(copy).toInstant().isBefore(before)
                            && Files.deleteIfExists(copy)) {
                        removed++;
                    }
                } catch (IOException e) {
                    // another user's file, or removed meanwhile: not ours to worry about
                }
            }
        } catch (IOException e) {
            LOG.debugf("cannot look for stale RocksDB library copies in %s: %s", dir, e.getMessage());
        }
        return removed;
    }
}
