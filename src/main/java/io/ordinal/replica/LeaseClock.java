package io.ordinal.replica;

import io.ordinal.command.Command;
import io.ordinal.command.LeaseResult;
import io.ordinal.storage.KvStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The leader's countdown of every lease: in memory only, on the leader's monotonic clock, never in
 * the log (time is not deterministic; only the expiry the leader decides on is written). Every
 * replica keeps it up to date as it applies grants, keepalives and revocations, but only a leader
 * that {@link #arm armed} it for its term acts on it. Arming gives every lease a fresh time to live,
 * as etcd's new leaders do: a lease never expires because its keepalives went to an old leader.
 *
 * <p>Each countdown remembers the log entry it runs from (the lease's grant or latest keepalive), so
 * that an expiry names the renewal it was decided on: one applied after a later renewal changes nothing.
 */
final class LeaseClock {

    private record Lease(long ttlSeconds, long renewedIndex, long deadlineNanos) {
    }

    private final LongSupplier nanoTime;
    private final Map<Long, Lease> leases = new ConcurrentHashMap<>();
    private volatile long armedTerm = -1;

    LeaseClock(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A new leader's start: the leases as stored, each with its full time to live from now. */
    synchronized void arm(long term, Map<Long, KvStore.Lease> stored) {
        leases.clear();
        stored.forEach((id, lease) -> renew(id, lease.ttlSeconds(), lease.renewedIndex()));
        armedTerm = term;
    }

    /** Forgets every countdown (the store was replaced, or leadership was lost). */
    synchronized void disarm() {
        armedTerm = -1;
    }

    /** Keeps the countdown in step with the store: entry {@code index} granted, renewed or ended the lease. */
    void applied(Command.LeaseCommand command, LeaseResult result, long index) {
        if (!result.found()) {
            return; // nothing changed: the lease is gone, or an expiry that no longer held
        }
        if (command instanceof Command.LeaseRevoke || command instanceof Command.LeaseExpire) {
            remove(result.id());
        } else {
            renew(result.id(), result.ttlSeconds(), index);
        }
    }

    /** The grant or keepalive at log index {@code renewedIndex} was applied: the lease has its full time to live again. */
    void renew(long id, long ttlSeconds, long renewedIndex) {
        leases.put(id, new Lease(ttlSeconds, renewedIndex, nanoTime.getAsLong() + ttlSeconds * 1_000_000_000L));
    }

    void remove(long id) {
        leases.remove(id);
    }

    /**
     * The expiries of leases whose time is up, if this clock is armed for {@code term}: each names the
     * term and the renewal its countdown ran from, which the Applier checks when the entry is applied.
     */
    List<Command.LeaseExpire> expired(long term) {
        // Armed for the term before the countdowns are read: arm() sets the term after it filled them.
        if (armedTerm != term) {
            return List.of();
        }
        long now = nanoTime.getAsLong();
        List<Command.LeaseExpire> expired = new ArrayList<>();
        leases.forEach((id, lease) -> {
            if (now - lease.deadlineNanos() >= 0) {
                expired.add(new Command.LeaseExpire(id, term, lease.renewedIndex()));
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
