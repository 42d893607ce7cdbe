package io.ordinal.replica;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The free space of a replica's data volume, checked before its Raft server starts.
 *
 * <p>Ratis writes its term and vote ({@code raft-meta}) by renaming a temporary file over the old
 * one, even when writing the temporary file failed: on a full disk the file becomes empty, and the
 * replica can never start again. A replica therefore starts only once its volume has room.
 */
final class DiskSpace {

    private static final Logger LOG = Logger.getLogger(DiskSpace.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private DiskSpace() {
    }

    /** Free bytes on the volume that holds {@code dir} (or the nearest existing parent). */
    static long free(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            return Files.getFileStore(p == null ? dir.toAbsolutePath().getRoot() : p).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + dir, e);
        }
    }

    /** Returns once the volume holding {@code dir} has at least {@code minBytes} free. */
    static void awaitFree(Path dir, long minBytes) {
        long free = free(dir);
        long lastReport = 0;
        while (free < minBytes) {
            if (lastReport == 0 || System.nanoTime() - lastReport > REPORT_NANOS) {
                LOG.errorf("the data volume of %s has %d bytes free, less than %d (ordinal.replica.min-free-space):"
                        + " the replica waits for space before it starts", dir, free, minBytes);
                lastReport = System.nanoTime();
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                throw new IllegalStateException("interrupted while waiting for space on " + dir);
            }
            free = free(dir);
        }
        if (lastReport != 0) {
            LOG.infof("the data volume of %s has %d bytes free again: the replica starts", dir, free);
        }
    }
}
