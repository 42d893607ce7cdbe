package io.ordinal.command;

/**
 * Limits the state machine decides in the apply, from the replicated state only, so that every
 * replica gives the same answer; the frontend only words it.
 */
public final class Limits {

    /**
     * The most keys one entry may delete: by the deletePrefix operations of one transaction, and so
     * the most keys a lease may hold (its revoke or expiry deletes them all in one entry, and must
     * never be refused). An entry is applied in one write batch, in memory; without a bound one
     * request could need more than a replica's heap, and fail the same way on every replica and on
     * every replay of the log.
     */
    public static final int MAX_DELETED_KEYS = 10_000;

    private Limits() {
    }
}
