package io.ordinal.security.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The key manager Raft's TLS presents: a rotated pair is taken, half a rotation is not. */
class ReloadingKeyManagerTest {

    private static final Duration PERIOD = Duration.ofMillis(50);

    @TempDir
    Path dir;

    private final CertificateAuthority ca = CertificateAuthority.create("test CA", Duration.ofDays(1));

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws IOException {
        TlsDirectory a = issue(dir.resolve("a"));
        TlsDirectory b = issue(dir.resolve("b"));

        assertThatThrownBy(() -> PemFiles.keyManager(a.certificate(), b.key()))
                .hasMessageContaining("is not the key of the certificate in " + a.certificate());
    }

    @Test
    void aRotatedPairIsPresentedAndHalfARotationIsNot() throws Exception {
        TlsDirectory served = issue(dir.resolve("served"));
        ReloadingKeyManager keys = new ReloadingKeyManager(served, PERIOD);
        BigInteger first = presented(keys);
        TlsDirectory next = issue(dir.resolve("next"));

        // The new key alone: a pair that does not belong together; the old pair is still presented.
        Files.copy(next.key(), served.key(), StandardCopyOption.REPLACE_EXISTING);
        Thread.sleep(3 * PERIOD.toMillis()); // several looks at the files, each refusing them
        assertThat(presented(keys)).isEqualTo(first);

        Files.copy(next.certificate(), served.certificate(), StandardCopyOption.REPLACE_EXISTING);
        BigInteger second = PemFiles.certificates(next.certificate()).get(0).getSerialNumber();
        await().atMost(Duration.ofSeconds(5)).until(() -> presented(keys), second::equals);
    }

    /** The serial of the certificate a TLS server would present, after checking that the key it would sign with is its. */
    private static BigInteger presented(ReloadingKeyManager keys) throws GeneralSecurityException {
        String alias = keys.chooseEngineServerAlias("EC", null, null);
        X509Certificate certificate = keys.getCertificateChain(alias)[0];
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivateKey(alias));
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate);
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signer.sign())).as("the key belongs to the certificate").isTrue();
        return certificate.getSerialNumber();
    }

    private TlsDirectory issue(Path where) throws IOException {
        ca.issue("kv-store-0", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), where);
        return new TlsDirectory(where);
    }
}
