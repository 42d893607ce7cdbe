package io.ordinal.command;

/**
 * What the state machine answers for a write. Expected outcomes such as a failed condition are
 * results, not exceptions.
 *
 * @param outcome          what happened
 * @param revision         the write's revision (the store's count of successful writes, this one
 *                         included); 0 when nothing was written
 * @param previousRevision the key's modRevision before the write (0 when it was absent); for
 *                         {@link Outcome#PRECONDITION_FAILED} and {@link Outcome#NOT_FOUND} the key's
 *                         current modRevision
 */
public record WriteResult(Outcome outcome, long revision, long previousRevision) implements CommandResult {

    public enum Outcome {
        // Encoded by ordinal: append only.
        CREATED, UPDATED, DELETED, NOT_FOUND, PRECONDITION_FAILED,
        /** A put named a lease that does not exist (never granted, revoked or expired): nothing changed. */
        LEASE_NOT_FOUND,
        /** A put would attach a key to a lease that already holds {@link Limits#MAX_DELETED_KEYS}: nothing changed. */
        LEASE_FULL;

        public boolean applied() {
            return this == CREATED || this == UPDATED || this == DELETED;
        }
    }
}
