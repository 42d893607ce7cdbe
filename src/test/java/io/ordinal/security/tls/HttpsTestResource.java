package io.ordinal.security.tls;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Makes, before the application starts, what a secure pod is given: a certificate directory in
 * cert-manager's layout (the node's certificate names localhost and 127.0.0.1, as kv-local's do) and a
 * root token file; and the settings that point at them, with a reload period of a second.
 */
public class HttpsTestResource implements QuarkusTestResourceLifecycleManager {

    /** Where the certificate directory is, for the test that rotates it (the application and the test share the JVM). */
    static volatile Path tlsDir;
    static volatile CertificateAuthority ca;

    @Override
    public Map<String, String> start() {
        try {
            Path base = Files.createTempDirectory("ordinal-https-test");
            tlsDir = base.resolve("tls");
            ca = CertificateAuthority.create("ordinal test CA", Duration.ofDays(1));
            issue();
            Path rootToken = base.resolve("root-token");
            Files.writeString(rootToken, "0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
            return Map.of(
                    "ordinal.security.enabled", "true",
                    "ordinal.security.tls.dir", tlsDir.toString(),
                    "ordinal.security.tls.reload-period", "1s",
                    "ordinal.security.root-token-file", rootToken.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Issues the node a new certificate (a new key and serial) into the directory it serves from. */
    static void issue() throws IOException {
        ca.issue("kv-store-0", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), tlsDir);
    }

    @Override
    public void stop() {
        // The temporary directory goes with the machine's; the node no longer reads it.
    }
}
