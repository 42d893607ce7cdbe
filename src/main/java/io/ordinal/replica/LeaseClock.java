package io.ordinal.replica;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The leader's countdown of every lease: in memory only, on the leader's monotonic clock, never in
 * the log (time is not deterministic; only the revocation the leader decides on is written). Every
 * replica keeps it up to date as it applies grants, keepalives and revocations, but only a leader
 * that {@link #arm armed} it for its term acts on it. Arming gives every lease a fresh time to live,
 * as etcd's new leaders do: a lease never expires because its keepalives went to an old leader.
 */
final class LeaseClock {

    private record Lease(long ttlSeconds, long deadlineNanos) {
    }

    private final LongSupplier nanoTime;
    private final Map<Long, Lease> leases = new ConcurrentHashMap<>();
    private volatile long armedTerm = -1;

    LeaseClock(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A new leader's start: the leases as stored, each with its full time to live from now. */
    synchronized void arm(long term, Map<Long, Long> ttlSeconds) {
        leases.clear();
        ttlSeconds.forEach(this::renew);
        armedTerm = term;
    }

    /** Forgets every countdown (the store was replaced, or leadership was lost). */
    synchronized void disarm() {
        armedTerm = -1;
    }

    boolean armedFor(long term) {
        return armedTerm == term;
    }

    /** A grant or a keepalive was applied: the lease has its full time to live again. */
    void renew(long id, long ttlSeconds) {
        leases.put(id, new Lease(ttlSeconds, nanoTime.getAsLong() + ttlSeconds * 1_000_000_000L));
    }

    void remove(long id) {
        leases.remove(id);
    }

    /** Leases whose time is up. */
    List<Long> expired() {
        long now = nanoTime.getAsLong();
        List<Long> expired = new ArrayList<>();
        leases.forEach((id, lease) -> {
            if (now - lease.deadlineNanos() >= 0) {
                expired.add(id);
            }
        });
        return expired;
    }

    /** Milliseconds left for a lease, or -1 when this clock does not count for it. */
    long remainingMillis(long id) {
        Lease lease = leases.get(id);
        if (lease == null || armedTerm < 0) {
            return -1;
        }
        return Math.max(0, (lease.deadlineNanos() - nanoTime.getAsLong()) / 1_000_000);
    }
}
