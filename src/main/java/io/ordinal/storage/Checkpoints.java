package io.ordinal.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            Files.createFile(staging.resolve(COMPLETE_MARKER));
            deleteRecursively(dbDir);
            swapIn(staging, dbDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + dbDir + " from " + checkpoint, e);
        }
    }

    private static void swapIn(Path staging, Path dbDir) throws IOException {
        Files.move(staging, dbDir, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(dbDir.resolve(COMPLETE_MARKER));
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
