package io.ordinal.command;

/** A read, answered by a replica's state machine (linearizable through ReadIndex, or stale). */
public sealed interface Query permits Query.Get, Query.Range, Query.Changes, Query.Status, Query.LeaseInfo {

    /** One key's value and modRevision. */
    record Get(byte[] key) implements Query {
    }

    /**
     * Keys in unsigned byte order that start with {@code prefix}, strictly after {@code after}
     * (null: from the first), at most {@code limit} of them.
     */
    record Range(byte[] prefix, byte[] after, int limit, boolean keysOnly) implements Query {
    }

    /**
     * The changes to {@code key} (or, with {@code prefix}, to every key starting with it) from the
     * store's history, starting at the {@code fromSeq}-th change of revision {@code fromRevision}. A
     * long poll: when there is none yet, the replica answers as soon as one is applied, or after
     * {@code waitMillis} with none.
     *
     * @param maxBytes the answer stops growing past this many bytes of keys and values (at least one change)
     */
    record Changes(long fromRevision, int fromSeq, byte[] key, boolean prefix, int maxBytes, long waitMillis)
            implements Query {
    }

    /** The store's current revision and the oldest revision its history still holds. */
    record Status() implements Query {
    }

    /** A lease's time to live and keys (at most {@code maxKeys} of them). */
    record LeaseInfo(long id, int maxKeys) implements Query {
    }
}
