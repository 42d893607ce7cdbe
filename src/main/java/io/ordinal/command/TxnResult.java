package io.ordinal.command;

import java.util.List;

/**
 * The answer to a transaction.
 *
 * @param succeeded     whether every compare held (then the success branch ran, else the failure branch)
 * @param revision      the store's revision after the transaction: the new revision its writes share
 *                      when it changed anything, else the revision it was evaluated at
 * @param results       one result per operation of the branch that ran, in order
 * @param missingLease  a lease a put of the chosen branch named that does not exist (then nothing was
 *                      applied and {@code results} is empty), else 0
 * @param fullLease     a lease a put of the chosen branch would attach a key to while it already holds
 *                      {@link Limits#MAX_DELETED_KEYS} keys (then nothing was applied and {@code results}
 *                      is empty), else 0
 * @param tooManyDeletions the chosen branch's deletePrefix operations would delete more than
 *                      {@link Limits#MAX_DELETED_KEYS} keys (then nothing was applied and {@code results}
 *                      is empty)
 */
public record TxnResult(boolean succeeded, long revision, List<OpResult> results, long missingLease, long fullLease,
                        boolean tooManyDeletions) implements CommandResult {

    public TxnResult {
        results = List.copyOf(results);
    }

    /** A transaction that was not refused for a lease's or a deletion's limit. */
    public TxnResult(boolean succeeded, long revision, List<OpResult> results, long missingLease) {
        this(succeeded, revision, results, missingLease, 0, false);
    }

    /** The result of one operation. */
    public sealed interface OpResult permits Put, Delete, Get, DeletePrefix {
    }

    /** @param previousRevision the key's modRevision before the put, 0 when it was created */
    public record Put(long previousRevision) implements OpResult {
    }

    /** @param previousRevision the key's modRevision before the delete, 0 when it was absent (nothing deleted) */
    public record Delete(long previousRevision) implements OpResult {
    }

    /** @param found the key, its value, modRevision, createRevision and lease; null when absent */
    public record Get(KeyValue found, long createRevision, long lease) implements OpResult {
    }

    /** @param deleted how many keys were deleted */
    public record DeletePrefix(long deleted) implements OpResult {
    }
}
