package io.ordinal.security.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * A client's trust in one cluster's CA: an {@link SSLContext} that accepts exactly the servers whose
 * certificates {@code ca.crt} (PEM, one or more certificates) signed, and no other (not the JDK's
 * public CAs: a cluster's pods are only ever signed by its own). Host names are still checked by the
 * client (the JDK's HttpClient does, against the certificate's SANs).
 */
public final class TrustedCa {

    private TrustedCa() {
    }

    /** The context; an IOException saying which file when it holds no certificate or cannot be read. */
    public static SSLContext sslContext(Path caCrt) throws IOException {
        try (InputStream in = Files.newInputStream(caCrt)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException(caCrt + " holds no PEM certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(caCrt + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }
}
