package io.ordinal.dashboard;

import io.ordinal.config.TestConfig;
import io.ordinal.security.tls.CertificateAuthority;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard's calls to a replica's own API: with security on, over HTTPS trusting the cluster CA
 * alone, with the root token as the bearer; with it off, plain HTTP and no credential.
 */
class ReplicaHttpTest {

    static final String ROOT_TOKEN = "0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    @TempDir
    static Path dir;
    static Vertx vertx;
    static HttpServer replica;

    @BeforeAll
    static void replicaServingHttpsWithACertificateOfTheClusterCa() throws Exception {
        CertificateAuthority.create("ordinal-test-ca", Duration.ofDays(1))
                .issue("kv-store-0", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), dir.resolve("pod"));
        Files.writeString(dir.resolve("root-token"), ROOT_TOKEN + "\n");
        vertx = Vertx.vertx();
        replica = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(dir.resolve("pod/tls.crt").toString())
                        .setKeyPath(dir.resolve("pod/tls.key").toString())))
                .requestHandler(request -> request.response().end(String.valueOf(request.getHeader("Authorization"))))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        EXECUTOR.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void withSecurityOnAReplicaIsAskedOverHttpsWithTheRootToken() throws Exception {
        ReplicaHttp http = secure(dir.resolve("pod"));

        HttpResponse<byte[]> response = http.get(replicaUri(http.scheme()), TIMEOUT).get(30, TimeUnit.SECONDS);

        assertThat(http.scheme()).isEqualTo("https");
        assertThat(new String(response.body())).isEqualTo("Bearer " + ROOT_TOKEN);
    }

    @Test
    void aReplicaWhoseCertificateTheTrustedCaDidNotSignIsRefusedInTheHandshake() throws Exception {
        // This dashboard trusts another cluster's CA (its tls.dir is that cluster's): the replica is a stranger.
        CertificateAuthority.create("another-ca", Duration.ofDays(1))
                .issue("elsewhere", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), dir.resolve("other"));
        ReplicaHttp http = secure(dir.resolve("other"));

        assertThatThrownBy(() -> http.get(replicaUri("https"), TIMEOUT).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void withSecurityOffItIsPlainHttpWithoutCredential() throws Exception {
        HttpServer plain = vertx.createHttpServer()
                .requestHandler(request -> request.response().end(String.valueOf(request.getHeader("Authorization"))))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        ReplicaHttp http = new ReplicaHttp(TestConfig.of(Map.of()).security(), TIMEOUT, EXECUTOR);

        HttpResponse<byte[]> response = http.get(URI.create("http://127.0.0.1:" + plain.actualPort() + "/v1/replica"),
                TIMEOUT).get(30, TimeUnit.SECONDS);

        assertThat(http.scheme()).isEqualTo("http");
        assertThat(new String(response.body())).isEqualTo("null");
    }

    private static ReplicaHttp secure(Path tlsDir) {
        return new ReplicaHttp(TestConfig.of(Map.of("ordinal.security.enabled", "true",
                "ordinal.security.tls.dir", tlsDir.toString(),
                "ordinal.security.root-token-file", dir.resolve("root-token").toString())).security(),
                TIMEOUT, EXECUTOR);
    }

    private static URI replicaUri(String scheme) {
        return URI.create(scheme + "://127.0.0.1:" + replica.actualPort() + "/v1/replica");
    }
}
