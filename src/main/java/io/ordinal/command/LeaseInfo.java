package io.ordinal.command;

import java.util.List;

/**
 * A lease as a replica knows it.
 *
 * @param found            false when there is no such lease
 * @param remainingMillis  time left before it expires, as the leader counts it; -1 when the replica
 *                         that answered is not the leader (only the leader counts down)
 * @param keys             keys attached to it, in byte order (at most as many as asked for)
 */
public record LeaseInfo(boolean found, long id, long ttlSeconds, long remainingMillis, List<byte[]> keys) {

    public LeaseInfo {
        keys = List.copyOf(keys);
    }
}
