package io.ordinal.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP clients that write unique keys create-only ({@code If-None-Match: *}) through the frontend and
 * remember what was acknowledged: a retried write applied twice would answer {@code 412} for its own
 * success, and an acknowledged write that is later missing was lost.
 */
final class HttpWriters {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String endpoint;
    private final String prefix;
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    final List<String> selfConflicts = Collections.synchronizedList(new ArrayList<>());
    final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sinceMark = new AtomicInteger();
    private final List<Future<?>> threads = new ArrayList<>();
    private ExecutorService pool;

    HttpWriters(String endpoint, String prefix) {
        this.endpoint = endpoint;
        this.prefix = prefix;
    }

    void start(int n) {
        pool = Executors.newFixedThreadPool(n);
        for (int w = 0; w < n; w++) {
            int writer = w;
            threads.add(pool.submit(() -> {
                for (int i = 0; running.get() && i < 100_000; i++) {
                    String key = prefix + "/" + writer + "/" + i;
                    String value = "v" + writer + "-" + i;
                    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(endpoint + "/v1/kv/" + key))
                            .header("If-None-Match", "*")
                            .PUT(HttpRequest.BodyPublishers.ofString(value)));
                    if (r == null || r.statusCode() == 503) {
                        continue; // outcome unknown: may or may not have been applied
                    }
                    if (r.statusCode() == 201) {
                        acknowledged.put(key, value);
                        sinceMark.incrementAndGet();
                    } else if (r.statusCode() == 412) {
                        selfConflicts.add(key + ": " + r.body());
                    } else {
                        unexpected.add(key + ": " + r.statusCode() + " " + r.body());
                    }
                }
                return null;
            }));
        }
    }

    /** Waits until {@code n} writes were acknowledged since the last mark (or the start). */
    void awaitAcknowledged(int n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> sinceMark.get() >= n);
    }

    /** Starts counting acknowledged writes afresh: after a fault, to see that writes go on. */
    void mark() {
        sinceMark.set(0);
    }

    void stop() throws Exception {
        running.set(false);
        for (Future<?> f : threads) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    void assertEveryAcknowledgedWriteIsReadable() {
        assertThat(acknowledged).isNotEmpty();
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            HttpResponse<String> r = null;
            for (int attempt = 0; attempt < 20 && (r == null || r.statusCode() == 503); attempt++) {
                r = send(HttpRequest.newBuilder(URI.create(endpoint + "/v1/kv/" + e.getKey())).GET());
            }
            assertThat(r).as(e.getKey()).isNotNull();
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(200);
            assertThat(r.body()).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    void assertNoWriteAppliedTwiceOrRefused() {
        assertThat(selfConflicts).as("create-only writes that answered 412 for their own success").isEmpty();
        assertThat(unexpected).as("answers other than 201, 503 or a timeout").isEmpty();
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
