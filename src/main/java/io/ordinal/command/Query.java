package io.ordinal.command;

/**
 * A read, answered by a replica's state machine: linearizable (by a confirmed leader, at a barrier, or
 * for a watch's poll through Ratis's read index) or stale.
 */
public sealed interface Query permits Query.Get, Query.GetMany, Query.Range, Query.Changes, Query.Status, Query.LeaseInfo,
        Query.AtLeader, Query.Term {

    /** One key's value and modRevision. */
    record Get(byte[] key) implements Query {
    }

    /**
     * Several keys' values and modRevisions, in the order asked: the linearizable GETs that share one
     * read barrier. The answer stops after the first key whose value takes it past {@code maxBytes}
     * (always at least one key); the frontend asks again for the rest.
     */
    record GetMany(java.util.List<byte[]> keys, int maxBytes) implements Query {
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

    /**
     * {@code inner}, answered only by the ready leader, once it has applied everything committed when
     * the query arrived; the answer names the leader's term and voting members, which the frontend then
     * confirms with a majority ({@code client.ConfirmedReads}). Never {@link Changes} (a long poll).
     */
    record AtLeader(Query inner) implements Query {
    }

    /** The replica's current Raft term (the frontend's check that no newer leader was elected). */
    record Term() implements Query {
    }
}
