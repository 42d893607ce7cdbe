package io.ordinal.replica;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Futures that complete once the state machine has applied a given log index: how the leader waits,
 * without a thread, until it can answer a read at its commit index. Completed on {@code executor},
 * never on the apply thread that advanced the index.
 */
final class AppliedWaiters {

    private final Executor executor;
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiting = new TreeMap<>();
    private long applied;
    private Throwable closed;

    AppliedWaiters(Executor executor) {
        this.executor = executor;
    }

    /** Completes at once (on the caller's thread) when {@code index} is applied already. */
    CompletableFuture<Void> await(long index) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            if (closed != null) {
                done.completeExceptionally(closed);
                return done;
            }
            if (index > applied) {
                waiting.computeIfAbsent(index, i -> new ArrayList<>(2)).add(done);
                return done;
            }
        }
        done.complete(null);
        return done;
    }

    /** The state machine applied every entry up to {@code index}. */
    void applied(long index) {
        List<CompletableFuture<Void>> ready;
        synchronized (this) {
            if (index <= applied) {
                return;
            }
            applied = index;
            if (waiting.isEmpty() || waiting.firstKey() > index) {
                return;
            }
            ready = new ArrayList<>();
            Map<Long, List<CompletableFuture<Void>>> head = waiting.headMap(index, true);
            head.values().forEach(ready::addAll);
            head.clear();
        }
        try {
            executor.execute(() -> ready.forEach(f -> f.complete(null)));
        } catch (java.util.concurrent.RejectedExecutionException e) { // closing
            ready.forEach(f -> f.completeExceptionally(e));
        }
    }

    /** Fails every waiter, and every later one (the state machine closes). */
    void failAll(Throwable cause) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        synchronized (this) {
            closed = cause;
            waiting.values().forEach(all::addAll);
            waiting.clear();
        }
        all.forEach(f -> f.completeExceptionally(cause));
    }
}
