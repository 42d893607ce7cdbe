package io.ordinal.security.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateAuthorityTest {

    @Test
    void issuedCertificateIsSignedByTheCaAndNamesItsHosts(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("ordinal test CA", Duration.ofDays(1));
        ca.issue("kv-store-0", List.of("localhost", "kv-store-0"), List.of("127.0.0.1"), Duration.ofDays(1), dir);

        List<X509Certificate> chain = certificates(dir.resolve("tls.crt"));
        X509Certificate leaf = chain.get(0);
        leaf.verify(ca.certificate().getPublicKey());
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=kv-store-0");
        assertThat(leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .containsExactlyInAnyOrder("localhost", "kv-store-0", "127.0.0.1");
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(certificates(dir.resolve("ca.crt"))).containsExactly(ca.certificate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls.key"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("tls.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void caWrittenAndLoadedIssuesCertificatesTheSameCaVerifies(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("ordinal test CA", Duration.ofDays(1));
        ca.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        CertificateAuthority loaded = CertificateAuthority.load(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        loaded.issue("kv-frontend-0", List.of("localhost"), List.of(), Duration.ofDays(1), dir.resolve("pod"));

        certificates(dir.resolve("pod/tls.crt")).get(0).verify(ca.certificate().getPublicKey());
        CertificateAuthority other = CertificateAuthority.create("another CA", Duration.ofDays(1));
        assertThatThrownBy(() -> certificates(dir.resolve("pod/tls.crt")).get(0).verify(other.certificate().getPublicKey()))
                .isInstanceOf(java.security.SignatureException.class);
    }

    private static List<X509Certificate> certificates(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            List<X509Certificate> result = new ArrayList<>();
            all.forEach(c -> result.add((X509Certificate) c));
            return result;
        }
    }
}
