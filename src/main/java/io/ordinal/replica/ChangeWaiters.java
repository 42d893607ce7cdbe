package io.ordinal.replica;

import io.ordinal.command.ChangesResult;
import io.ordinal.command.Query;
import io.ordinal.storage.StorageException;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The replica side of watches: long polls of the history of changes. A poll that finds no matching
 * change waits here until the state machine applies a new revision (then it reads the history again)
 * or until its wait is over (then it answers with none, and the frontend polls again). Nothing polls
 * in a loop: a waiting poll costs a map entry and a timer.
 *
 * <p>Reads of the history run on one thread of their own, never on the thread that applies the log;
 * a waiter woken by many revisions in a row is read once for all of them.
 */
final class ChangeWaiters implements AutoCloseable {

    private final Function<Query.Changes, ChangesResult> read;
    private final LongSupplier revision;
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
    private final ExecutorService reader = Executors.newSingleThreadExecutor(daemon("ordinal-watch-reader"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("ordinal-watch-timer"));

    /**
     * @param read     reads the history (from the current store)
     * @param revision the store's current revision
     */
    ChangeWaiters(Function<Query.Changes, ChangesResult> read, LongSupplier revision) {
        this.read = read;
        this.revision = revision;
    }

    private final class Waiter {
        final CompletableFuture<ChangesResult> answer = new CompletableFuture<>();
        final AtomicBoolean readScheduled = new AtomicBoolean();
        volatile Query.Changes query;
        volatile ChangesResult last;

        Waiter(Query.Changes query, ChangesResult last) {
            this.query = query;
            this.last = last;
        }
    }

    CompletableFuture<ChangesResult> poll(Query.Changes query) {
        ChangesResult first = read.apply(query);
        if (answersNow(first) || query.waitMillis() <= 0) {
            return CompletableFuture.completedFuture(first);
        }
        Waiter w = new Waiter(from(query, first), first);
        waiting.add(w);
        timer.schedule(() -> {
            if (waiting.remove(w)) {
                w.answer.complete(w.last);
            }
        }, query.waitMillis(), TimeUnit.MILLISECONDS);
        if (revision.getAsLong() > first.revision()) {
            scheduleRead(w); // a revision was applied between the read and the registration
        }
        return w.answer;
    }

    /** Called by the state machine after it applied a new revision. */
    void applied(long newRevision) {
        for (Waiter w : waiting) {
            if (w.last.revision() < newRevision) {
                scheduleRead(w);
            }
        }
    }

    /** After the store was replaced (a snapshot was installed): every waiter reads again. */
    void storeReplaced() {
        waiting.forEach(this::scheduleRead);
    }

    private void scheduleRead(Waiter w) {
        if (!w.readScheduled.compareAndSet(false, true)) {
            return;
        }
        reader.execute(() -> {
            w.readScheduled.set(false);
            if (!waiting.contains(w)) {
                return;
            }
            ChangesResult r;
            try {
                r = read.apply(w.query);
            } catch (RuntimeException e) {
                if (waiting.remove(w)) {
                    w.answer.completeExceptionally(e);
                }
                return;
            }
            if (answersNow(r)) {
                if (waiting.remove(w)) {
                    w.answer.complete(r);
                }
            } else {
                w.query = from(w.query, r);
                w.last = r;
            }
        });
    }

    /**
     * A poll answers at once when it found changes, when its revision is compacted away, or when it
     * stopped looking before the end of the history (the frontend then asks again from there).
     */
    private static boolean answersNow(ChangesResult r) {
        return !r.changes().isEmpty() || r.compacted() || r.nextRevision() <= r.revision();
    }

    private static Query.Changes from(Query.Changes q, ChangesResult r) {
        return new Query.Changes(r.nextRevision(), r.nextSeq(), q.key(), q.prefix(), q.maxBytes(), q.waitMillis());
    }

    int waiting() {
        return waiting.size();
    }

    @Override
    public void close() {
        reader.shutdownNow();
        timer.shutdownNow();
        for (Waiter w : waiting) {
            w.answer.completeExceptionally(new StorageException("the replica is stopping", null));
        }
        waiting.clear();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
