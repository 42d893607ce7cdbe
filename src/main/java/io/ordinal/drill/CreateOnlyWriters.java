package io.ordinal.drill;

import io.ordinal.local.ClusterAccess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that write unique keys create-only ({@code If-None-Match: *}) through the API while a fault
 * happens, and remember what was acknowledged: a retried write applied twice answers {@code 412} for
 * its own success, and an acknowledged write that is later missing was lost. Readers read back
 * acknowledged keys meanwhile. Every request's outcome is recorded, for the stall and the errors
 * clients saw around a fault.
 */
public final class CreateOnlyWriters {

    /** A client that got no answer or a 503 backs off this long before its next request. */
    private static final Duration BACK_OFF = Duration.ofMillis(20);
    private static final int MAX_WRITES_PER_WRITER = 100_000;

    /** One finished request: when it started and ended ({@link System#nanoTime()}), its status (0: no answer). */
    public record Outcome(boolean write, long startNs, long endNs, int status) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final URI endpoint;
    private final String prefix;
    private final ClusterAccess access;
    private final HttpClient http;
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final List<String> selfConflicts = Collections.synchronizedList(new ArrayList<>());
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final List<String> badReads = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sinceMark = new AtomicInteger();
    private final List<Future<?>> threads = new ArrayList<>();
    private ExecutorService pool;

    /** @param prefix the keys' prefix, unique to this run: {@code prefix/writer/i} */
    public CreateOnlyWriters(URI endpoint, String prefix) {
        this(endpoint, prefix, ClusterAccess.plain());
    }

    /** @param access the CA and token of a secure cluster (an {@code https} endpoint) */
    public CreateOnlyWriters(URI endpoint, String prefix, ClusterAccess access) {
        this.endpoint = endpoint;
        this.prefix = prefix;
        this.access = access;
        this.http = access.client().connectTimeout(Duration.ofSeconds(2)).build();
    }

    public void start(int writers, int readers) {
        pool = Executors.newFixedThreadPool(writers + readers);
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(pool.submit(() -> write(writer)));
        }
        for (int r = 0; r < readers; r++) {
            threads.add(pool.submit(this::read));
        }
    }

    private Void write(int writer) {
        for (int i = 0; running.get() && i < MAX_WRITES_PER_WRITER; i++) {
            String key = prefix + "/" + writer + "/" + i;
            String value = "v" + writer + "-" + i;
            long start = System.nanoTime();
            HttpResponse<String> r = send(access.request(keyUri(key)).header("If-None-Match", "*")
                    .PUT(HttpRequest.BodyPublishers.ofString(value)));
            int status = r == null ? 0 : r.statusCode();
            outcomes.add(new Outcome(true, start, System.nanoTime(), status));
            if (status == 201) {
                acknowledged.put(key, value);
                sinceMark.incrementAndGet();
            } else if (status == 412) {
                selfConflicts.add(key + ": " + r.body());
            } else if (status == 0 || status == 503) {
                Poll.hold(BACK_OFF); // outcome unknown: may or may not have been applied
            } else {
                unexpected.add(key + ": " + status + " " + r.body());
                Poll.hold(BACK_OFF);
            }
        }
        return null;
    }

    /** Reads back recently acknowledged keys, linearizably: each must be there with its value. */
    private Void read() {
        while (running.get()) {
            List<String> keys = new ArrayList<>(acknowledged.keySet());
            if (keys.isEmpty()) {
                Poll.hold(BACK_OFF);
                continue;
            }
            String key = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
            long start = System.nanoTime();
            HttpResponse<String> r = send(access.request(keyUri(key)).GET());
            int status = r == null ? 0 : r.statusCode();
            outcomes.add(new Outcome(false, start, System.nanoTime(), status));
            if (status == 0 || status >= 500) {
                Poll.hold(BACK_OFF);
            } else if (status == 404 || (status == 200 && !r.body().equals(acknowledged.get(key)))) {
                badReads.add("acknowledged " + key + " read back as " + status + " " + r.body());
            }
        }
        return null;
    }

    /** Waits until {@code n} writes were acknowledged since the last {@link #mark} (or the start). */
    public boolean awaitAcknowledged(int n, Duration within) {
        return Poll.until(within, Duration.ofMillis(100), () -> Optional.of(true).filter(x -> sinceMark.get() >= n))
                .isPresent();
    }

    /** Starts counting acknowledged writes afresh: after a fault, to see that writes go on. */
    public void mark() {
        sinceMark.set(0);
    }

    /** Stops the clients and waits until each has finished its request in flight. */
    public void stop() throws InterruptedException, ExecutionException, TimeoutException {
        running.set(false);
        for (Future<?> f : threads) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    /**
     * Reads back every acknowledged write (again while the answer is none or 503) and says which were
     * not there with their value: {@code key -> what was read}. Empty when none was lost.
     */
    public List<String> unreadable() {
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            HttpResponse<String> r = null;
            for (int attempt = 0; attempt < 20 && (r == null || r.statusCode() == 503); attempt++) {
                r = send(access.request(keyUri(e.getKey())).GET());
            }
            if (r == null || r.statusCode() != 200 || !r.body().equals(e.getValue())) {
                lost.add(e.getKey() + " -> " + (r == null ? "no answer" : r.statusCode() + " " + r.body()));
            }
        }
        return lost;
    }

    public Map<String, String> acknowledged() {
        return Collections.unmodifiableMap(acknowledged);
    }

    /** Create-only writes that answered 412 for their own success: a write applied twice. */
    public List<String> selfConflicts() {
        return List.copyOf(selfConflicts);
    }

    /** Answers to a write other than 201, 412, 503 or none. */
    public List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    /** Reads of an acknowledged key that did not find its value. */
    public List<String> badReads() {
        return List.copyOf(badReads);
    }

    /** Every request's outcome so far, in the order they finished. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    private URI keyUri(String key) {
        return endpoint.resolve("/v1/kv/" + key);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return Answers.of(http, request.timeout(Duration.ofSeconds(10)).build());
    }
}
