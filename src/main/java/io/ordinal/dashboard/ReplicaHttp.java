package io.ordinal.dashboard;

import io.ordinal.config.OrdinalConfig;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * How the dashboard calls a replica's own API ({@code GET /v1/replica}): plain HTTP, or, with
 * {@code ordinal.security.enabled}, HTTPS trusting the cluster CA ({@code ca.crt} in
 * {@code ordinal.security.tls.dir}) with the root token ({@code ordinal.security.root-token-file}) as the
 * bearer: the report is the cluster's own, and only {@code root} may see every replica's. The token file is
 * read at each call, so a rotated Secret is used at once; the CA is read once, at startup.
 */
final class ReplicaHttp {

    private final HttpClient http;
    private final String scheme;
    private final Optional<Path> rootTokenFile;

    ReplicaHttp(OrdinalConfig.Security security, Duration connectTimeout, Executor executor) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(executor);
        if (security.enabled()) {
            Path dir = security.tls().dir().orElseThrow(() -> new IllegalArgumentException(
                    "ordinal.security.tls.dir is unset: the dashboard cannot trust the replicas' certificates"));
            builder.sslContext(trusting(dir.resolve("ca.crt")));
        }
        this.http = builder.build();
        this.scheme = security.enabled() ? "https" : "http";
        this.rootTokenFile = security.enabled() ? security.rootTokenFile() : Optional.empty();
    }

    /** {@code http}, or {@code https} with security on. */
    String scheme() {
        return scheme;
    }

    CompletableFuture<HttpResponse<byte[]>> get(URI uri, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        try {
            rootTokenFile.ifPresent(file -> request.header("Authorization", "Bearer " + rootToken(file)));
        } catch (UncheckedIOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String rootToken(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                    .orElseThrow(() -> new UncheckedIOException(new IOException("the root token file is empty")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An SSL context that trusts the certificates of {@code caCrt} (PEM) and nothing else. A minimal one of
     * this class's own: the TLS change brings the reloading factory every internal client is to share.
     */
    private static SSLContext trusting(Path caCrt) {
        try (InputStream in = Files.newInputStream(caCrt)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cluster CA " + caCrt, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a CA certificate in PEM: " + caCrt, e);
        }
    }
}
