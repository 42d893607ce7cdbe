package io.ordinal.storage;

import org.jboss.logging.Logger;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * Loads RocksDB's native library. Left to itself, RocksJava unpacks it from its jar into the temporary
 * directory at every start under a new name (17 MB, about 140 ms of a replica's start here) and deletes
 * the copy only when the JVM exits normally. A replica therefore keeps one copy per library version, named
 * after the jar entry's checksum, in a directory of its own under the temporary directory, and loads
 * that copy on every later start; the copy is checked against the checksum before it is loaded, and
 * written (to a temporary name, then renamed) when it is missing or differs; the directory and the copy
 * must belong to this user alone (nobody else may write them). In Kubernetes the temporary
 * directory is the pod's {@code emptyDir}, which outlives container restarts: a restarted replica finds
 * its copy there. Anything unexpected (no such jar entry, a directory that cannot be written) falls back
 * to RocksJava's own loading.
 *
 * <p>Each start also removes the copies that RocksJava's own loading left behind in processes that
 * did not exit normally (SIGKILL, a crash; a crash loop in Kubernetes once filled the {@code emptyDir}):
 * once loaded, a library stays mapped in the processes that use it even after its file is removed, and a
 * copy older than a minute is no longer being loaded by anyone.
 */
final class RocksDbLibrary {

    private static final Logger LOG = Logger.getLogger(RocksDbLibrary.class);
    private static final Duration STALE_AFTER = Duration.ofMinutes(1);

    private RocksDbLibrary() {
    }

    static void load() {
        String dir = System.getenv("ROCKSDB_SHAREDLIB_DIR"); // where RocksJava unpacks it, if set
        Path tmp = Path.of(dir != null ? dir : System.getProperty("java.io.tmpdir"));
        int removed = removeStaleCopies(tmp, Instant.now().minus(STALE_AFTER));
        if (removed > 0) {
            LOG.infof("removed %d copies of RocksDB's native library left by processes that did not exit normally",
                    removed);
        }
        try {
            Path copy = keptCopy(tmp);
            RocksDB.loadLibrary(List.of(copy.getParent().toString()));
            return;
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.debugf("RocksDB's native library is unpacked by RocksJava instead of kept: %s", e.toString());
        }
        RocksDB.loadLibrary();
    }

    /**
     * The kept copy of this platform's library from RocksJava's jar, in {@code tmp}: checked, or written
     * first when missing or different.
     */
    static Path keptCopy(Path tmp) throws IOException {
        String name = Environment.getJniLibraryFileName("rocksdb");
        URL url = RocksDB.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IOException("no " + name + " in RocksJava's jar");
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            throw new IOException(name + " is not in a jar: " + url);
        }
        JarEntry entry = jar.getJarEntry();
        long crc = entry.getCrc();
        long size = entry.getSize();
        if (crc < 0 || size < 0) {
            throw new IOException("the jar does not give the checksum and size of " + name);
        }
        // the name RocksDB.loadLibrary(paths) looks for in each path (not the jar entry's: it says "jnijni")
        return keptCopy(tmp, Environment.getJniLibraryFileName("rocksdbjni"), crc, size, jar::getInputStream);
    }

    interface Source {
        InputStream open() throws IOException;
    }

    /** {@code tmp/ordinal-rocksdbjni-<crc>/<name>}, written from {@code source} unless it already holds those bytes. */
    static Path keptCopy(Path tmp, String name, long crc, long size, Source source) throws IOException {
        Path dir = tmp.resolve(String.format("ordinal-rocksdbjni-%08x", crc));
        Path copy = dir.resolve(name);
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            checkPrivate(dir);
            if (Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS)) {
                checkPrivate(copy);
                if (Files.size(copy) == size && crc(copy) == crc) {
                    return copy;
                }
            }
        } else {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path partial = Files.createTempFile(dir, name, ".partial");
        try {
            try (InputStream in = source.open()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.size(partial) != size || crc(partial) != crc) {
                throw new IOException("the unpacked " + name + " does not match its jar entry");
            }
            // another replica on this machine may do the same at the same moment: either rename wins whole
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return copy;
    }

    /**
     * Refuses a directory or file that another user owns or may write: a library is loaded from it, and
     * the temporary directory is shared on a machine (in Kubernetes it is the pod's own).
     */
    private static void checkPrivate(Path path) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal me = path.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (!attributes.owner().equals(me) || permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(path + " is not this user's alone");
        }
    }

    private static long crc(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
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
