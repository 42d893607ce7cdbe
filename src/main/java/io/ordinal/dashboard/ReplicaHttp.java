package io.ordinal.dashboard;

import io.ordinal.config.OrdinalConfig;
import io.ordinal.security.tls.TrustedCa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * How the dashboard calls a replica's own API ({@code GET /v1/replica}): plain HTTP, or, with
 * {@code ordinal.security.enabled}, HTTPS trusting the cluster CA ({@code ca.crt} in
 * {@code ordinal.security.tls.dir}) with the root token ({@code ordinal.security.root-token-file}) as the
 * bearer: the report is the cluster's own, and only {@code root} may see every replica's. The token file is
 * read at each call, so a rotated Secret is used at once; the CA is looked at again every
 * {@code ordinal.security.tls.reload-period}.
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
            try {
                builder.sslContext(TrustedCa.reloading(dir.resolve("ca.crt"), security.tls().reloadPeriod()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the cluster CA " + dir.resolve("ca.crt"), e);
            }
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
}
