package io.ordinal.security.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * PEM files into the JDK's TLS objects: the certificates of a file, a private key (PKCS#8 or the
 * traditional OpenSSL forms), a key manager that presents {@code tls.crt} with {@code tls.key}, a
 * trust manager that trusts the CAs of {@code ca.crt} and nothing else (an HTTPS client's:
 * {@link TrustedCa}).
 */
public final class PemFiles {

    private static final char[] NO_PASSWORD = new char[0];

    private PemFiles() {
    }

    /** An {@link SSLContext} over these managers (either may be null: the JDK's defaults). */
    static SSLContext context(KeyManager[] keyManagers, TrustManager[] trustManagers) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a TLS context", e);
        }
    }

    /** Every certificate of a PEM file, in order. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .stream().map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IOException("no certificate in " + file);
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IOException("not PEM certificates: " + file, e);
        }
    }

    /** The private key of a PEM file: PKCS#8 ({@code PRIVATE KEY}, as cert-manager writes it) or EC/RSA. */
    public static PrivateKey privateKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException("no unencrypted private key in " + file);
        }
    }

    /**
     * A key manager that presents the certificate chain of {@code certificateFile} with the key of
     * {@code keyFile}. Refuses a key that is not the certificate's: a pair caught halfway through a
     * rotation (one file replaced, not yet the other) must not be served.
     */
    public static X509ExtendedKeyManager keyManager(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key = privateKey(keyFile);
        requireMatch(key, chain.get(0), certificateFile, keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("tls", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
            factory.init(store, NO_PASSWORD);
            return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + certificateFile + " with " + keyFile, e);
        }
    }

    /** A trust manager that trusts the certificates of {@code caFile} (one CA, or several during a CA rotation). */
    public static X509ExtendedTrustManager trustManager(Path caFile) throws IOException {
        List<X509Certificate> cas = certificates(caFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the CAs of " + caFile, e);
        }
    }

    private static void requireMatch(PrivateKey key, X509Certificate certificate, Path certificateFile, Path keyFile)
            throws IOException {
        byte[] probe = "ordinal".getBytes(StandardCharsets.US_ASCII);
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another kind than the certificate's: no match
        }
        throw new IOException(keyFile + " is not the key of the certificate in " + certificateFile);
    }
}
