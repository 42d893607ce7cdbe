package io.ordinal.command;

/** A read, answered by a replica's state machine (linearizable through ReadIndex, or stale). */
public sealed interface Query permits Query.Get, Query.Range {

    /** One key's value and modRevision. */
    record Get(byte[] key) implements Query {
    }

    /**
     * Keys in unsigned byte order that start with {@code prefix}, strictly after {@code after}
     * (null: from the first), at most {@code limit} of them.
     */
    record Range(byte[] prefix, byte[] after, int limit, boolean keysOnly) implements Query {
    }
}
