package io.ordinal.storage;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The record of recently applied client calls and their replies, in the replicated state: written in
 * the batch of the entry that applied the call, so that it is in every checkpoint (and snapshot)
 * that holds the call's effect, and survives restarts — unlike Ratis's retry cache, which a replica
 * fills only with the entries it applies itself, and loses when it stops.
 *
 * <p>Every replica must hold the same records at the same entry, or a retry could be applied by one
 * and not another. So a record's age is measured in log time: a call is recorded at its entry's
 * leader clock, and an entry stamped {@code t} treats records older than
 * {@code t - }{@link ClientCall#RETRY_WINDOW} as gone, and deletes at most
 * {@link #MAX_FORGOTTEN_PER_ENTRY} of them (in their order in {@code call_times}): the same records
 * at the same entry on every replica, whatever each one's own clock says.
 *
 * <p>Single writer, like the store: written only through the {@link Mutation} of an entry the
 * {@link Applier} decided, and committed by {@link KvStore#commit}.
 */
final class AppliedCalls {

    /** A bound on the deletes one entry adds, after a long quiet spell: each entry records one call. */
    static final int MAX_FORGOTTEN_PER_ENTRY = 64;
    /**
     * Replies larger than this (a transaction's reads) are recorded empty: a retry of such a call
     * still changes nothing, and is answered with an unknown outcome, as when the record has gone.
     */
    static final int MAX_RECORDED_REPLY_BYTES = 64 * 1024;
    private static final long WINDOW_MILLIS = ClientCall.RETRY_WINDOW.toMillis();

    /** A call's record as stored. */
    record Recorded(long leaderMillis, byte[] reply) {
    }

    private final KvStore.Families cf;
    /**
     * No record is older than this (Long.MAX_VALUE when there is none): lets most entries skip looking
     * for records to forget. Derived from the records alone, so it cannot make replicas differ.
     */
    private long oldest;

    AppliedCalls(KvStore.Families cf) throws RocksDBException {
        this.cf = cf;
        try (RocksIterator it = cf.db().newIterator(cf.callTimes())) {
            it.seekToFirst();
            this.oldest = it.isValid() ? Schema.decodeLong(it.key()) : Long.MAX_VALUE;
            it.status();
        }
    }

    /** The call's record, also when it has aged out but is not deleted yet; null when none. */
    Recorded find(ClientCall call) throws RocksDBException {
        byte[] stored = cf.db().get(cf.calls(), Schema.callKey(call));
        return stored == null ? null : new Recorded(Schema.decodeLong(stored), Schema.callReply(stored));
    }

    /** Whether a record still answers for its call in an entry stamped {@code leaderMillis}. */
    static boolean live(Recorded recorded, long leaderMillis) {
        return recorded != null && recorded.leaderMillis() >= leaderMillis - WINDOW_MILLIS;
    }

    /**
     * Adds to the entry's batch the record of {@code call} and its reply, and the deletion of records
     * that have aged out. {@code agedOut} is the call's own earlier record, if it had one that aged out
     * (its place in {@code call_times} goes with it). Takes effect in memory by {@link #committed}.
     *
     * @return the new {@link #oldest}, for {@link #committed}
     */
    long record(WriteBatchWithIndex batch, ClientCall call, byte[] reply, Recorded agedOut) throws RocksDBException {
        long cutoff = call.leaderMillis() - WINDOW_MILLIS;
        long newOldest = oldest;
        if (oldest < cutoff) {
            newOldest = forget(batch, cutoff);
        }
        if (agedOut != null) {
            batch.delete(cf.callTimes(), Schema.callTimeKey(agedOut.leaderMillis(), call));
        }
        byte[] recorded = reply.length > MAX_RECORDED_REPLY_BYTES ? new byte[0] : reply;
        batch.put(cf.calls(), Schema.callKey(call), Schema.encodeCall(call.leaderMillis(), recorded));
        batch.put(cf.callTimes(), Schema.callTimeKey(call.leaderMillis(), call), new byte[0]);
        return Math.min(newOldest, call.leaderMillis());
    }

    /** The entry's batch is written. */
    void committed(long newOldest) {
        oldest = newOldest;
    }

    /** Deletes, in the batch, up to the bound of the records older than {@code cutoff}; @return the oldest left */
    private long forget(WriteBatchWithIndex batch, long cutoff) throws RocksDBException {
        try (RocksIterator it = cf.db().newIterator(cf.callTimes())) {
            int forgotten = 0;
            for (it.seekToFirst(); it.isValid() && forgotten < MAX_FORGOTTEN_PER_ENTRY; it.next()) {
                if (Schema.decodeLong(it.key()) >= cutoff) {
                    break;
                }
                byte[] callKey = Schema.callKeyOfTimeKey(it.key());
                batch.delete(cf.callTimes(), it.key());
                batch.delete(cf.calls(), callKey);
                forgotten++;
            }
            it.status();
            return it.isValid() ? Schema.decodeLong(it.key()) : Long.MAX_VALUE;
        }
    }
}
