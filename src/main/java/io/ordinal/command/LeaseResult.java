package io.ordinal.command;

/**
 * The answer to a lease command.
 *
 * @param found       false when the lease does not exist (keepalive or revoke of an unknown or expired lease)
 * @param id          the lease
 * @param ttlSeconds  its time to live
 * @param revision    for a revoke that deleted keys, the revision of those deletes; else 0
 * @param deletedKeys for a revoke, how many keys were deleted with the lease
 */
public record LeaseResult(boolean found, long id, long ttlSeconds, long revision, long deletedKeys)
        implements CommandResult {
}
