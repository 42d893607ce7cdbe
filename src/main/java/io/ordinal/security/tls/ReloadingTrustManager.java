package io.ordinal.security.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Trusts the CAs of {@code ca.crt}, read again when it changes ({@link Reloading}), so that a CA
 * rotation (a bundle of old and new CA, then the new one alone) needs no restart. Every check is the
 * JDK's PKIX validation, with the host name check a client asks for (gRPC's and the HTTP clients' do).
 */
public final class ReloadingTrustManager extends X509ExtendedTrustManager {

    private final Reloading<X509ExtendedTrustManager> managers;

    public ReloadingTrustManager(Path caFile, Duration period) throws IOException {
        this.managers = new Reloading<>("the CA of " + caFile.getParent(), List.of(caFile), period,
                () -> PemFiles.trustManager(caFile));
    }

    private X509ExtendedTrustManager current() {
        return managers.current().value();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        current().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        current().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        current().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        current().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        current().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        current().checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return current().getAcceptedIssuers();
    }
}
