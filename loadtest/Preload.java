import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes keys bench/1 … bench/N (256-byte values) so that the read scenarios find every key, into
 * Ordinal ({@code ordinal URL N}) or etcd's v3 gateway ({@code etcd URL N}). JDK only:
 * {@code java loadtest/Preload.java ordinal http://127.0.0.1:8080 100000}.
 */
public class Preload {
    public static void main(String[] args) throws Exception {
        String system = args[0];
        String endpoint = args[1];
        int n = Integer.parseInt(args[2]);
        String value = "v".repeat(Integer.parseInt(System.getenv().getOrDefault("VALUE", "256")));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore inFlight = new Semaphore(64);
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        for (int k = 1; k <= n; k++) {
            inFlight.acquire();
            HttpRequest request = system.equals("etcd")
                    ? HttpRequest.newBuilder(URI.create(endpoint + "/v3/kv/put"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + b64("bench/" + k) + "\",\"value\":\""
                                + b64(value) + "\"}")).build()
                    : HttpRequest.newBuilder(URI.create(endpoint + "/v1/kv/bench/" + k))
                        .PUT(HttpRequest.BodyPublishers.ofString(value)).build();
            CompletableFuture<HttpResponse<Void>> call = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
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

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
