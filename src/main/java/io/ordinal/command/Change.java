package io.ordinal.command;

/**
 * One change of the store's history: a key put (with its new value) or deleted, at a revision. A
 * transaction or a lease revocation that changes several keys makes several changes of one revision.
 */
public record Change(Type type, byte[] key, byte[] value, long modRevision) {

    /** Encoded by ordinal: append only. */
    public enum Type { PUT, DELETE }
}
