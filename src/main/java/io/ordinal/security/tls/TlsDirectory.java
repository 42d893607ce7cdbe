package io.ordinal.security.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A directory in the layout of a cert-manager Secret, as Kubernetes mounts it: {@code tls.crt} (this
 * pod's certificate, then the chain up to the CA), {@code tls.key} (its private key, PEM) and
 * {@code ca.crt} (the cluster CA, whose certificates this pod trusts). The same three files serve
 * HTTPS, Raft's mutual TLS on both sides, and the calls one pod makes to another.
 *
 * @param dir {@code ordinal.security.tls.dir}
 */
public record TlsDirectory(Path dir) {

    public Path certificate() {
        return dir.resolve("tls.crt");
    }

    public Path key() {
        return dir.resolve("tls.key");
    }

    public Path ca() {
        return dir.resolve("ca.crt");
    }

    /** The files that are not there (or are not regular files, after following links). */
    public List<Path> missing() {
        return List.of(certificate(), key(), ca()).stream().filter(f -> !Files.isRegularFile(f)).toList();
    }
}
