package io.ordinal.security.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What tells that a file was replaced: its modification time, size and identity (inode), after
 * following links. A Kubernetes Secret volume swaps all its files at once behind a symbolic link, and
 * {@link CertificateAuthority} moves each new file into place: either way the stamps differ.
 */
final class FileStamps {

    private record Stamp(FileTime modified, Object key, long size) {
    }

    private final List<Path> files;

    FileStamps(List<Path> files) {
        this.files = List.copyOf(files);
    }

    List<Path> files() {
        return files;
    }

    /** The files' stamps now, to compare with those of an earlier look ({@code equals}). */
    Object read() throws IOException {
        List<Stamp> stamps = new ArrayList<>(files.size());
        for (Path file : files) {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            stamps.add(new Stamp(a.lastModifiedTime(), a.fileKey(), a.size()));
        }
        return stamps;
    }
}
