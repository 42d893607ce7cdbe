package io.ordinal.local;

import io.ordinal.security.tls.CertificateAuthority;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * What {@code up --secure} makes once and keeps across {@code down} (what cert-manager and a Secret
 * are in Kubernetes): the cluster CA ({@code tls/ca.crt}, its key {@code tls/ca.key}), each pod's
 * certificate ({@code tls/<pod>/}: {@code tls.crt}, {@code tls.key}, {@code ca.crt}) and the root
 * token ({@code root-token}). Secrets are mode 0600. Nothing is made again while it exists, so a
 * client's {@code ca.crt} and token stay good across restarts.
 */
final class ClusterSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Long enough that a developer's cluster never meets an expiry; {@code down --purge} starts afresh. */
    private static final Duration CA_VALIDITY = Duration.ofDays(10 * 365);
    private static final Duration POD_VALIDITY = Duration.ofDays(5 * 365);

    private final Cluster cluster;

    ClusterSecrets(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The CA and the root token, unless they exist. */
    void ensureClusterWide() throws IOException {
        if (!Files.exists(cluster.caCrt())) {
            Files.createDirectories(cluster.caCrt().getParent());
            // The key first: a ca.crt without its key would stop every later pod's certificate.
            Path key = cluster.caKey().resolveSibling(".ca.key.new");
            Path crt = cluster.caCrt().resolveSibling(".ca.crt.new");
            Files.deleteIfExists(key);
            CertificateAuthority.create("ordinal kv-local CA", CA_VALIDITY).writeTo(crt, key);
            Files.move(key, cluster.caKey(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(crt, cluster.caCrt(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        if (!Files.exists(cluster.rootTokenFile())) {
            writeSecret(cluster.rootTokenFile(), newToken() + "\n");
        }
    }

    /**
     * The pod's certificate, unless it has one: valid for {@code localhost}, its name, {@code 127.0.0.1}
     * and the address it listens on (its network namespace's, in that mode), which its clients and
     * Raft peers dial.
     */
    void ensurePod(Pod pod) throws IOException {
        Path dir = cluster.tlsDir(pod);
        if (Files.exists(dir.resolve("tls.crt"))) {
            return;
        }
        List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
        if (!ips.contains(cluster.host(pod))) {
            ips.add(cluster.host(pod));
        }
        CertificateAuthority.load(cluster.caCrt(), cluster.caKey())
                .issue(pod.name(), List.of("localhost", pod.name()), ips, POD_VALIDITY, dir);
    }

    /**
     * A token in the store's format: {@code <id>.<secret>}, the id 16 lowercase hex characters (64 random
     * bits, which name the token), the secret 43 base64url characters without padding (256 random bits).
     */
    static String newToken() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return HexFormat.of().formatHex(id) + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Created with mode 0600 from the start (never readable by others, not even for a moment), then renamed into place. */
    private static void writeSecret(Path file, String content) throws IOException {
        Path aside = file.resolveSibling("." + file.getFileName() + ".new");
        Files.deleteIfExists(aside);
        Files.createFile(aside, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(aside, content, StandardCharsets.UTF_8);
        Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
