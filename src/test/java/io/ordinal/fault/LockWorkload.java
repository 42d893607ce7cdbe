package io.ordinal.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordinal.drill.Poll;
import io.ordinal.fault.ApiClient.Answer;
import io.ordinal.history.GuardedAppends.Append;
import io.ordinal.history.GuardedAppends;
import io.ordinal.history.Outcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients taking turns at one lock, by the recipe of docs/api.md, and appending to a key the lock
 * guards: each grants a lease, keeps it alive every {@link #KEEP_ALIVE_EVERY}, and takes the lock with
 * a create-only {@code PUT} under it; the revision of that put is its fencing token. While it holds the
 * lock it appends entries to the guarded key, each append one transaction that compares the lock key's
 * modRevision with the token (and the guarded key's modRevision with the one it last saw, so that an
 * append of unknown outcome is never written over). It treats the lock as lost as soon as a keepalive
 * fails or a ttl has passed since the last keepalive that succeeded (counted from when it was sent),
 * and gives it up on its own after a few dozen appends by revoking its lease, so that the lock
 * changes hands during every step. {@link GuardedAppends} then checks the guarded key's final value.
 */
final class LockWorkload {

    static final Duration TTL = Duration.ofSeconds(2);
    static final Duration KEEP_ALIVE_EVERY = Duration.ofMillis(300);
    /**
     * Between an append and the next. Each append writes the whole value again, so the pace bounds
     * what the workload adds to the log: at 15 ms, a long step (a full disk) wrote about 100 MB of it.
     */
    private static final Duration THINK = Duration.ofMillis(100);
    /** Between tries at a lock someone else holds. */
    private static final Duration RETRY_LOCK_AFTER = Duration.ofMillis(100);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Service frontends;
    private final String lockKey;
    private final String guardedKey;
    private final int clients;
    private final long seed;
    private final ClientThreads threads = new ClientThreads("lock-client");
    /** Every append tried, by its entry: of unknown outcome from just before it is sent until it is answered. */
    private final Map<String, Append> appends = new LinkedHashMap<>();
    private final List<String> unexpected = new ArrayList<>();
    private final AtomicInteger tenures = new AtomicInteger();
    private final AtomicInteger keepAlivesFailed = new AtomicInteger();
    private final AtomicInteger takenOver = new AtomicInteger();

    LockWorkload(Service frontends, String prefix, int clients, long seed) {
        this.frontends = frontends;
        this.lockKey = prefix + "lock";
        this.guardedKey = prefix + "guarded";
        this.clients = clients;
        this.seed = seed;
    }

    void start() {
        threads.start(clients, seed, (c, random) -> new Client(c, random)::loop);
    }

    /** Stops the clients and waits for their last requests (each ends within the request timeout). */
    void stop() {
        threads.stop();
    }

    /**
     * Reads the guarded key (linearizable, tried again until an answer is definite) and checks it
     * against every append tried.
     *
     * @return every way the lock failed its guarantees, and answers the API never gives
     */
    List<String> check(Duration timeout) {
        List<String> problems = new ArrayList<>();
        synchronized (this) {
            unexpected.forEach(u -> problems.add("lock workload: an answer the API never gives: " + u));
        }
        ApiClient api = new ApiClient(frontends, 0, Workload.REQUEST_TIMEOUT);
        long until = System.nanoTime() + timeout.toNanos();
        Answer a = api.send("GET", guardedKey, null, Map.of());
        while (a.status() != 200 && a.status() != 404 && System.nanoTime() < until) {
            Poll.hold(Duration.ofMillis(200));
            a = api.send("GET", guardedKey, null, Map.of());
        }
        if (a.status() != 200 && a.status() != 404) {
            problems.add("lock workload: no read of " + guardedKey + " succeeded within " + timeout.toSeconds() + " s");
            return problems;
        }
        String value = a.status() == 200 ? a.body() : "";
        GuardedAppends.check(appends(), value).forEach(p -> problems.add("lock workload: " + p));
        return problems;
    }

    /** One line for the step's notes. */
    String summary() {
        List<Append> all = appends();
        return "lock workload: " + tenures.get() + " tenures of " + clients + " clients; appends "
                + count(all, Outcome.OK) + " acknowledged, " + count(all, Outcome.UNKNOWN) + " of unknown outcome, "
                + count(all, Outcome.FAILED) + " refused by their compare; the lock given up " + keepAlivesFailed.get()
                + " times for a failed or late keepalive, found taken over " + takenOver.get() + " times";
    }

    private static long count(List<Append> appends, Outcome outcome) {
        return appends.stream().filter(a -> a.outcome() == outcome).count();
    }

    private synchronized List<Append> appends() {
        return List.copyOf(appends.values());
    }

    private synchronized void recordAppend(Append append) {
        appends.put(append.entry(), append);
    }

    private synchronized void unexpected(String what, Answer a) {
        unexpected.add(what + " -> " + a.status() + " " + a.body());
    }

    /** The guarded key as a holder last saw it: its value and modRevision (0: absent). */
    private record Guarded(String value, long modRevision) {
    }

    private final class Client {
        private final int id;
        private final Random random;
        private final ApiClient api;
        /** When the last keepalive (or grant) that succeeded was sent: the lease lives at least a ttl from then. */
        private long keptAliveAt;
        private int seq;

        Client(int id, Random random) {
            this.id = id;
            this.random = random;
            this.api = new ApiClient(frontends, id, Workload.REQUEST_TIMEOUT);
        }

        void loop() {
            while (threads.running()) {
                long lease = grant();
                if (lease <= 0) {
                    Poll.hold(RETRY_LOCK_AFTER);
                    continue;
                }
                long token = acquire(lease);
                if (token > 0) {
                    tenures.incrementAndGet();
                    hold(lease, token);
                }
                // Releases the lock if this client still holds it; if the revoke is lost, the lease expires.
                api.call("DELETE", "/v1/lease/" + lease, null, Map.of());
            }
        }

        private long grant() {
            long sent = System.nanoTime();
            Answer a = api.call("POST", "/v1/lease", "{\"ttl\":" + TTL.toSeconds() + "}", Map.of());
            if (a.status() == 201) {
                keptAliveAt = sent;
                return Workload.field(a.body(), "id");
            }
            expectUnknown("grant", a);
            return -1;
        }

        /** @return the fencing token, or 0 when the lease was lost (or the run ended) before the lock was taken */
        private long acquire(long lease) {
            String holder = "c" + id + "-lease" + lease;
            boolean maybeMine = false;
            while (threads.running() && keepAlive(lease)) {
                Answer a = api.send("PUT", lockKey + "?lease=" + lease, holder, Map.of("If-None-Match", "*"));
                if (a.status() == 200 || a.status() == 201) {
                    return Workload.field(a.body(), "revision");
                } else if (a.status() == 404) {
                    return 0;
                } else if (a.status() == 412 && !maybeMine) {
                    Poll.hold(RETRY_LOCK_AFTER);
                    continue;
                } else if (a.status() != 412) {
                    expectUnknown("take the lock", a);
                }
                // This try's outcome is unknown, or an earlier one's was and a 412 followed: it may be ours.
                maybeMine = true;
                Answer read = api.send("GET", lockKey, null, Map.of());
                if (read.status() == 200 && holder.equals(read.body())) {
                    return Workload.etag(read.etag());
                }
                Poll.hold(RETRY_LOCK_AFTER);
            }
            return 0;
        }

        private void hold(long lease, long token) {
            Guarded guarded = read(token);
            int appendsLeft = 10 + random.nextInt(30);
            while (guarded != null && threads.running() && appendsLeft-- > 0) {
                if (!keepAlive(lease)) {
                    keepAlivesFailed.incrementAndGet();
                    return;
                }
                guarded = append(token, guarded);
                Poll.hold(THINK);
            }
        }

        /**
         * Keeps the lease alive when a keepalive is due.
         *
         * @return false when it may be gone: a keepalive failed, or a ttl has passed since the last that succeeded
         */
        private boolean keepAlive(long lease) {
            long now = System.nanoTime();
            if (now - keptAliveAt >= KEEP_ALIVE_EVERY.toNanos()) {
                Answer a = api.call("POST", "/v1/lease/" + lease + "/keepalive", null, Map.of());
                if (a.status() != 200) {
                    if (a.status() != 404) {
                        expectUnknown("keepalive", a);
                    }
                    return false;
                }
                keptAliveAt = now;
            }
            return System.nanoTime() - keptAliveAt < TTL.toNanos();
        }

        /** The guarded key as of a moment this client held the lock, or null when it no longer does (or cannot tell). */
        private Guarded read(long token) {
            ObjectNode txn = JSON.createObjectNode();
            txn.putArray("compare").addObject().put("key", lockKey).put("modRevision", token);
            txn.putArray("success").addObject().put("op", "get").put("key", guardedKey);
            Answer a = api.call("POST", "/v1/txn", txn.toString(), Map.of());
            JsonNode answer = a.status() == 200 ? json(a.body()) : null;
            if (answer == null) {
                expectUnknown("read the guarded key", a);
                return null;
            }
            if (!answer.path("succeeded").asBoolean()) {
                takenOver.incrementAndGet();
                return null;
            }
            return guarded(answer.path("results").path(0));
        }

        /** @return the guarded key as this client now knows it, or null when the lock is no longer its own */
        private Guarded append(long token, Guarded guarded) {
            int n = ++seq;
            String entry = Append.entry(id, token, n);
            String value = guarded.value().isEmpty() ? entry : guarded.value() + " " + entry;
            ObjectNode txn = JSON.createObjectNode();
            ArrayNode compare = txn.putArray("compare");
            compare.addObject().put("key", lockKey).put("modRevision", token);
            compare.addObject().put("key", guardedKey).put("modRevision", guarded.modRevision());
            txn.putArray("success").addObject().put("op", "put").put("key", guardedKey).put("value", base64(value));
            ArrayNode failure = txn.putArray("failure");
            failure.addObject().put("op", "get").put("key", lockKey);
            failure.addObject().put("op", "get").put("key", guardedKey);
            // Recorded before it is sent, so that even an append still in flight when the run stops is known to the checker.
            recordAppend(new Append(id, token, n, Outcome.UNKNOWN, 0));
            Answer a = api.call("POST", "/v1/txn", txn.toString(), Map.of());
            JsonNode answer = a.status() == 200 ? json(a.body()) : null;
            if (answer == null || !answer.path("revision").isIntegralNumber()) {
                expectUnknown("append", a);
                // If it was applied, the next append's compare on the guarded key fails and shows the value.
                return guarded;
            }
            if (answer.path("succeeded").asBoolean()) {
                long revision = answer.get("revision").asLong();
                recordAppend(new Append(id, token, n, Outcome.OK, revision));
                return new Guarded(value, revision);
            }
            recordAppend(new Append(id, token, n, Outcome.FAILED, 0));
            JsonNode lock = answer.path("results").path(0);
            if (!lock.path("found").asBoolean() || lock.path("modRevision").asLong() != token) {
                takenOver.incrementAndGet();
                return null;
            }
            return guarded(answer.path("results").path(1));
        }

        private Guarded guarded(JsonNode get) {
            if (!get.path("found").asBoolean()) {
                return new Guarded("", 0);
            }
            return new Guarded(new String(Base64.getDecoder().decode(get.path("value").asText()), StandardCharsets.UTF_8),
                    get.path("modRevision").asLong());
        }

        /** Timeouts, cut connections and {@code 503} leave an outcome unknown; any other answer is not the API's. */
        private void expectUnknown(String what, Answer a) {
            if (a.status() != 0 && a.status() != 503) {
                unexpected("client " + id + ": " + what, a);
            }
        }
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
