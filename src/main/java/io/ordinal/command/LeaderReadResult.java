package io.ordinal.command;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A replica's answer to a {@link Query.AtLeader}: whether it served the query as the leader of
 * {@code term}, the voting members of its (stable) configuration, and the inner query's answer.
 *
 * @param answer the inner query's encoded answer; empty unless {@code status} is {@link Status#SERVED}
 */
public record LeaderReadResult(Status status, long term, List<String> voters, ByteBuffer answer) {

    public enum Status {
        /** Served as the ready leader of {@code term}, at or after its commit index. */
        SERVED,
        /** Not the leader, or not yet ready (has not committed an entry of its term). */
        NOT_LEADER,
        /** The group's configuration is changing: the reader must take another path. */
        CONF_CHANGING
    }
}
