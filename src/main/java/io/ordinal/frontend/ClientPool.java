package io.ordinal.frontend;

import org.apache.ratis.client.RaftClient;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A few Ratis clients of the group, used in turn, each replaced as soon as a call through it fails.
 *
 * <p>Why replace: a Ratis client sends writes through one ordered sliding window, and when a call
 * fails for good (its retries ran out: no quorum within the deadline) Ratis closes that window — every
 * later call on the client fails at once with "is closed". A frontend must answer again as soon as a
 * quorum is back, so a client that has seen a failure is swapped for a new one. Why several: one
 * ordered window per client means one slow call holds back the calls behind it.
 *
 * <p>A replaced client is closed only after the deadline has passed twice, so that calls still in
 * flight on it (reads, which do not use the window) are not cut short.
 */
final class ClientPool implements Closeable {

    private final Supplier<RaftClient> factory;
    private final AtomicReferenceArray<RaftClient> clients;
    private final AtomicInteger next = new AtomicInteger();
    private final Duration closeDelay;
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ordinal-client-closer");
        t.setDaemon(true);
        return t;
    });

    ClientPool(int size, Supplier<RaftClient> factory, Duration deadline) {
        this.factory = factory;
        this.clients = new AtomicReferenceArray<>(size);
        this.closeDelay = deadline.multipliedBy(2);
        for (int i = 0; i < size; i++) {
            clients.set(i, factory.get());
        }
    }

    /** The client to use for one call, and where it came from (to {@link #discard} it if the call fails). */
    record Lease(int slot, RaftClient client) {
    }

    Lease acquire() {
        int slot = Math.floorMod(next.getAndIncrement(), clients.length());
        return new Lease(slot, clients.get(slot));
    }

    /** Replaces the leased client, unless another failed call already did. */
    void discard(Lease lease) {
        RaftClient replacement = factory.get();
        if (clients.compareAndSet(lease.slot(), lease.client(), replacement)) {
            closer.schedule(() -> closeQuietly(lease.client()), closeDelay.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            closeQuietly(replacement);
        }
    }

    @Override
    public void close() {
        closer.shutdownNow();
        for (int i = 0; i < clients.length(); i++) {
            closeQuietly(clients.get(i));
        }
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
