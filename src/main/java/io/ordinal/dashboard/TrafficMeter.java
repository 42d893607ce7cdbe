package io.ordinal.dashboard;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the key-value requests this process serves, and their latency, while a dashboard watches —
 * and only then: unwatched, a request costs one read of a volatile flag here, nothing else.
 *
 * <p>Latency goes into a fixed log-scale histogram (four buckets per doubling, from 1 µs to about 30 s),
 * so the 99th percentile of an interval is known to within about 9% without keeping any sample.
 */
@ApplicationScoped
public class TrafficMeter {

    /** After {@code RequestTargetCheck} (a refused request target is not a request of the API). */
    static final int PRIORITY = 90_000;
    static final int BUCKETS = 100;
    private static final String KV = "/v1/kv";

    private volatile boolean on;
    private final LongAdder writes = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final AtomicLongArray latency = new AtomicLongArray(BUCKETS);
    private long intervalStart = System.nanoTime();

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    void filter(RoutingContext context) {
        if (on) {
            Kind kind = kind(context.request().method(), context.request().path());
            if (kind != null) {
                long start = System.nanoTime();
                context.addEndHandler(done -> record(kind, System.nanoTime() - start));
            }
        }
        context.next();
    }

    enum Kind { READ, WRITE }

    static Kind kind(HttpMethod method, String path) {
        if (path == null || !(path.equals(KV) || path.startsWith(KV + "/"))) {
            return null;
        }
        if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
            return Kind.READ;
        }
        if ((HttpMethod.PUT.equals(method) || HttpMethod.DELETE.equals(method)) && path.startsWith(KV + "/")) {
            return Kind.WRITE;
        }
        return null;
    }

    void record(Kind kind, long nanos) {
        (kind == Kind.WRITE ? writes : reads).increment();
        latency.incrementAndGet(bucket(nanos));
    }

    /** Starts counting (the first page began watching). */
    synchronized void start() {
        sample(0);
        on = true;
    }

    /** Stops counting (the last page went away). */
    synchronized void stop() {
        on = false;
    }

    /** The interval since the last sample, and a new interval begins. */
    synchronized TrafficPoint sample(int watchers) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - intervalStart) / 1e9);
        intervalStart = now;
        long w = writes.sumThenReset();
        long r = reads.sumThenReset();
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = latency.getAndSet(i, 0);
            total += counts[i];
        }
        return new TrafficPoint(System.currentTimeMillis(), w / seconds, r / seconds, percentile(counts, total, 0.99),
                watchers);
    }

    static int bucket(long nanos) {
        double micros = nanos / 1000.0;
        if (micros < 1) {
            return 0;
        }
        return (int) Math.min(BUCKETS - 1, Math.floor(4 * Math.log(micros) / Math.log(2)));
    }

    /** The geometric middle of the bucket that holds the percentile, in milliseconds; null with no samples. */
    static Double percentile(long[] counts, long total, double p) {
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(p * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.pow(2, (i + 0.5) / 4) / 1000.0;
            }
        }
        return Math.pow(2, (counts.length - 0.5) / 4) / 1000.0;
    }
}
