package io.ordinal.command;

/**
 * @param revision       the store's current revision
 * @param oldestRevision the oldest revision the history of changes still holds (history is kept from
 *                       there to {@code revision}; {@code revision + 1} when it holds none)
 */
public record StoreStatus(long revision, long oldestRevision) {
}
