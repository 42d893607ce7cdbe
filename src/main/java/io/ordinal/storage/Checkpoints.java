package io.ordinal.storage;

import org.apache.ratis.util.AtomicFileOutputStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Replacing a live database with a checkpoint, crash-safely. The checkpoint is copied into a
 * sibling directory, marked complete, and only then swapped in; a crash at any point leaves either
 * the old database or the complete new one (RATIS-2430 is the bug this avoids: a failed install
 * must never leave a half-written state behind).
 */
public final class Checkpoints {

    private static final String COMPLETE_MARKER = "RESTORE-COMPLETE";

    private Checkpoints() {
    }

    /** Finishes or discards a restore that a crash interrupted. Call before opening {@code dbDir}. */
    public static void recover(Path dbDir) {
        Path staging = staging(dbDir);
        try {
            if (!Files.exists(staging)) {
                return;
            }
            if (Files.exists(staging.resolve(COMPLETE_MARKER))) {
                deleteRecursively(dbDir);
                swapIn(staging, dbDir);
            } else {
                deleteRecursively(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover an interrupted restore into " + dbDir, e);
        }
    }

    /** Replaces the (closed) database in {@code dbDir} with a copy of {@code checkpoint}. */
    public static void restore(Path checkpoint, Path dbDir) {
        Path staging = staging(dbDir);
        try {
            deleteRecursively(staging);
            copyTree(checkpoint, staging);
            // Marked complete only once every file of the copy is on disk: the files of a snapshot
            // installed from the leader are not fsynced when Ratis writes them, and a hard link shares
            // their data.
            fsyncTree(staging);
            Files.createFile(staging.resolve(COMPLETE_MARKER));
            fsyncDirectory(staging);
            deleteRecursively(dbDir);
            swapIn(staging, dbDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + dbDir + " from " + checkpoint, e);
        }
    }

    private static void swapIn(Path staging, Path dbDir) throws IOException {
        moveDurably(staging, dbDir);
        Files.deleteIfExists(dbDir.resolve(COMPLETE_MARKER));
    }

    /** Makes every file and directory under {@code dir}, and their entries, durable. */
    public static void fsyncTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                try (FileChannel channel = FileChannel.open(p, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        }
    }

    private static Path staging(Path dbDir) {
        return dbDir.resolveSibling(dbDir.getFileName() + ".restore");
    }

    /** Copies a directory tree; SST files are immutable, so they are hard-linked when possible. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (source.getFileName().toString().endsWith(".md5")) {
                    continue; // digests Ratis writes beside installed snapshot files
                }
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (source.getFileName().toString().endsWith(".sst")) {
                    try {
                        Files.createLink(target, source);
                    } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        Files.copy(source, target);
                    }
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    /**
     * Writes {@code text} to {@code file} so that after a crash or a power loss the file holds all of
     * it, or what it held before (or is absent): written beside it and fsynced, renamed over it, and
     * the rename made durable. Written in place, a power loss could leave it empty.
     */
    public static void writeDurably(Path file, String text) throws IOException {
        AtomicFileOutputStream out = new AtomicFileOutputStream(file.toFile());
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            out.abort();
            throw e;
        }
        out.close();
        fsyncDirectory(file.toAbsolutePath().getParent());
    }

    /** Renames {@code from} to {@code to} in one step, and makes the rename durable. */
    public static void moveDurably(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(to.toAbsolutePath().getParent());
    }

    /** Makes a directory's entries (files created, renamed or removed in it) durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
