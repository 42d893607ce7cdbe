package io.ordinal.fault;

import io.ordinal.drill.Poll;
import io.ordinal.fault.ApiClient.Answer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One lease with keys under it, kept alive through the frontends while a fault runs, as a service
 * registration or a lock holder keeps its lease: a keepalive every {@link #EVERY}, each sent whether or
 * not the one before has been answered (a stalled request must not hold up the next), each given a ttl
 * to be answered. The lease must outlive any fault: it was never left a ttl without a keepalive sent.
 * {@link #check} asks that no keepalive was answered {@code 404} (the lease gone), and that the lease
 * and its keys are still there after the step.
 */
final class LeaseKeeper {

    static final Duration EVERY = Duration.ofMillis(300);
    private static final int KEYS = 2;
    private static final Duration DEFINITE_WITHIN = Duration.ofSeconds(10);

    private final ApiClient api;
    private final String prefix;
    private final Duration ttl;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lease-keeper"));
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> daemon(r, "lease-keepalive"));
    private final long startedAt = System.nanoTime();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger otherwise = new AtomicInteger();
    private final AtomicLong lastOkAt = new AtomicLong(startedAt);
    private final AtomicLong longestGap = new AtomicLong();
    private final List<String> notFound = new ArrayList<>();
    private long lease;

    LeaseKeeper(Service frontends, String prefix, Duration ttl) {
        this.api = new ApiClient(frontends, 0, ttl);
        this.prefix = prefix;
        this.ttl = ttl;
    }

    /**
     * Grants the lease, puts its keys, and starts keeping it alive.
     *
     * @return why it could not, or null
     */
    String start() {
        Answer grant = api.call("POST", "/v1/lease", "{\"ttl\":" + ttl.toSeconds() + "}", Map.of());
        lease = grant.status() == 201 ? Workload.field(grant.body(), "id") : -1;
        if (lease <= 0) {
            return "granting the lease failed: " + grant.status() + " " + grant.body() + " " + grant.error();
        }
        for (int i = 0; i < KEYS; i++) {
            Answer put = api.send("PUT", key(i) + "?lease=" + lease, value(i), Map.of());
            if (put.status() != 200 && put.status() != 201) {
                return "putting " + key(i) + " under lease " + lease + " failed: " + put.status() + " " + put.body();
            }
        }
        ticker.scheduleAtFixedRate(() -> senders.execute(this::keepAlive), EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return null;
    }

    private void keepAlive() {
        long at = System.nanoTime();
        sent.incrementAndGet();
        Answer a = api.call("POST", "/v1/lease/" + lease + "/keepalive", null, Map.of());
        if (a.status() == 200) {
            ok.incrementAndGet();
            long previous = lastOkAt.getAndAccumulate(at, Math::max);
            longestGap.accumulateAndGet(at - previous, Math::max);
        } else if (a.status() == 404) {
            synchronized (notFound) {
                notFound.add("a keepalive sent " + (at - startedAt) / 1_000_000 + " ms into the step was answered 404: " + a.body());
            }
        } else {
            otherwise.incrementAndGet();
        }
    }

    private void stop() {
        long at = System.nanoTime();
        longestGap.accumulateAndGet(at - lastOkAt.get(), Math::max);
        ticker.shutdownNow();
        senders.shutdown();
        try {
            senders.awaitTermination(ttl.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Looks for the lease and its keys while it is still kept alive (a check made after the keepalives
     * stopped could see it expire rightly), then stops keeping it alive and revokes it.
     *
     * @return every way the lease failed to live
     */
    List<String> checkAndStop() {
        List<String> problems = new ArrayList<>();
        Answer described = definite(() -> api.call("GET", "/v1/lease/" + lease, null, Map.of()));
        if (described.status() != 200) {
            problems.add("lease " + lease + " is gone after the step: GET /v1/lease/" + lease + " -> " + described.status() + " " + described.body());
        }
        for (int i = 0; i < KEYS; i++) {
            int k = i;
            Answer read = definite(() -> api.send("GET", key(k), null, Map.of()));
            if (read.status() != 200 || !value(i).equals(read.body())) {
                problems.add("lease " + lease + ": its key " + key(i) + " is gone after the step: GET -> " + read.status() + " " + read.body());
            }
        }
        stop();
        synchronized (notFound) {
            notFound.stream().limit(5).forEach(p -> problems.add("lease " + lease + ": " + p));
            if (notFound.size() > 5) {
                problems.add("lease " + lease + ": " + (notFound.size() - 5) + " more keepalives answered 404");
            }
        }
        api.call("DELETE", "/v1/lease/" + lease, null, Map.of());
        return problems;
    }

    /** Asks again (for a few seconds) while the answer says nothing: no answer, or {@code 503}. */
    private static Answer definite(Supplier<Answer> ask) {
        long until = System.nanoTime() + DEFINITE_WITHIN.toNanos();
        Answer a = ask.get();
        while ((a.status() == 0 || a.status() == 503) && System.nanoTime() < until) {
            Poll.hold(Duration.ofMillis(200));
            a = ask.get();
        }
        return a;
    }

    /** One line for the step's notes. */
    String summary() {
        int answered404;
        synchronized (notFound) {
            answered404 = notFound.size();
        }
        return "lease " + lease + " (ttl " + ttl.toSeconds() + " s): " + sent.get() + " keepalives sent every " + EVERY.toMillis()
                + " ms, " + ok.get() + " answered 200, " + answered404 + " answered 404, " + otherwise.get()
                + " unanswered or 503; longest time without a keepalive that succeeded (by when they were sent) "
                + longestGap.get() / 1_000_000 + " ms";
    }

    private String key(int i) {
        return prefix + "leased" + i;
    }

    private String value(int i) {
        return "kept-alive-" + i;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
