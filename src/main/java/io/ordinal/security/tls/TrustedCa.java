package io.ordinal.security.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A client's trust in one cluster's CA: an {@link SSLContext} that accepts exactly the servers whose
 * certificates {@code ca.crt} (PEM, one or more certificates) signed, and no other (not the JDK's
 * public CAs: a cluster's pods are only ever signed by its own). Host names are still checked by the
 * client (the JDK's HttpClient does, against the certificate's SANs). For a Vert.x client,
 * {@code new PemTrustOptions().addCertPath(caCrt)} is the same trust.
 */
public final class TrustedCa {

    private TrustedCa() {
    }

    /** The context, as {@code ca.crt} is now; an IOException saying which file when it holds no certificate or cannot be read. */
    public static SSLContext sslContext(Path caCrt) throws IOException {
        return PemFiles.context(null, new TrustManager[] {PemFiles.trustManager(caCrt)});
    }

    /**
     * The context for a client that lives as long as its process (a pod calling other pods): {@code ca.crt}
     * is looked at again every {@code reloadPeriod}, so that a CA rotation needs no restart.
     */
    public static SSLContext reloading(Path caCrt, Duration reloadPeriod) throws IOException {
        return PemFiles.context(null, new TrustManager[] {new ReloadingTrustManager(caCrt, reloadPeriod)});
    }
}
