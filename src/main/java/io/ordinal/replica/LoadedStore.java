package io.ordinal.replica;

import io.ordinal.command.ChangesResult;
import io.ordinal.command.Query;
import io.ordinal.storage.Applier;
import io.ordinal.storage.KvStore;
import io.ordinal.storage.StorageException;

import java.io.IOException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The replica's open {@link KvStore} and the {@link Applier} over it, replaced whole when a snapshot
 * is installed. Readers hold it shared ({@link #read}); the swap and the close hold it exclusively, so
 * no read runs on a closed database. Ratis's apply thread takes it without the lock: Ratis applies no
 * entry while it installs a snapshot.
 */
final class LoadedStore {

    /** Opens a store: a load from the state machine directory. */
    interface Opener {
        KvStore open() throws IOException;
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile KvStore store;
    private volatile Applier applier;

    /** The store, for the apply thread and for gauges; null while a snapshot is installed, and once stopped. */
    KvStore store() {
        return store;
    }

    Applier applier() {
        return applier;
    }

    /** What {@code reader} answers from the store held open; it is given null while none is (see {@link #store}). */
    <T> T read(Function<KvStore, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(store);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The history's changes, for a watch; fails while a snapshot is being installed. */
    ChangesResult changes(Query.Changes query) {
        return read(s -> {
            if (s == null) {
                throw new StorageException("the replica is installing a snapshot", null);
            }
            return s.changes(query);
        });
    }

    long revision() {
        KvStore s = store;
        return s == null ? 0 : s.revision();
    }

    /** Closes the store there is, and opens the next one; none if {@code next} is null. */
    void replace(Opener next) throws IOException {
        lock.writeLock().lock();
        try {
            KvStore old = store;
            store = null;
            applier = null;
            if (old != null) {
                old.close();
            }
            if (next != null) {
                KvStore opened = next.open();
                applier = new Applier(opened);
                store = opened;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
