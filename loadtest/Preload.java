import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Writes keys bench/1 … bench/N (256-byte values) so that the read scenarios find every key, into
 * Ordinal ({@code ordinal URL N}) or etcd's v3 gateway ({@code etcd URL N}). JDK only:
 * {@code java loadtest/Preload.java ordinal http://127.0.0.1:8080 100000}. Over https, {@code CACERT} names
 * the PEM file of the CA to trust (else the JDK's); {@code TOKEN} is sent with every write, as a
 * bearer token to Ordinal and bare to etcd (its gateway's way).
 */
public class Preload {
    public static void main(String[] args) throws Exception {
        String system = args[0];
        String endpoint = args[1];
        int n = Integer.parseInt(args[2]);
        String value = "v".repeat(Integer.parseInt(System.getenv().getOrDefault("VALUE", "256")));
        String token = System.getenv().getOrDefault("TOKEN", "");
        String authorization = system.equals("etcd") ? token : "Bearer " + token;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        String caCert = System.getenv().getOrDefault("CACERT", "");
        if (!caCert.isEmpty()) {
            builder.sslContext(trusting(Path.of(caCert)));
        }
        HttpClient http = builder.build();
        Semaphore inFlight = new Semaphore(64);
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        for (int k = 1; k <= n; k++) {
            inFlight.acquire();
            HttpRequest.Builder request = system.equals("etcd")
                    ? HttpRequest.newBuilder(URI.create(endpoint + "/v3/kv/put"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + b64("bench/" + k) + "\",\"value\":\""
                                + b64(value) + "\"}"))
                    : HttpRequest.newBuilder(URI.create(endpoint + "/v1/kv/bench/" + k))
                        .PUT(HttpRequest.BodyPublishers.ofString(value));
            if (!token.isEmpty()) {
                request.header("Authorization", authorization);
            }
            CompletableFuture<HttpResponse<Void>> call = http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
            call.whenComplete((r, e) -> {
                if (e != null || r.statusCode() >= 300) {
                    failed.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(64);
        System.out.printf("preloaded %d keys into %s in %.1f s (%d failed)%n", n, system,
                (System.nanoTime() - start) / 1e9, failed.get());
        System.exit(failed.get() == 0 ? 0 : 1);
    }

    /** TLS that trusts the CA certificate of the PEM file {@code caCert} alone (one certificate). */
    private static SSLContext trusting(Path caCert) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
