package io.ordinal.command;

/**
 * A command as the leader appends it to the log: what the client sent, and the leader's wall clock
 * when it was appended. The clock is read from the entry, the same on every replica, and used for
 * one thing only: how long a replica keeps the record of an applied call ({@code storage.ClientCall}).
 *
 * @param leaderMillis milliseconds since the epoch on the leader, or -1 for an entry from before
 *                     stamps (it is then applied without such a record)
 */
public record StampedCommand(long leaderMillis, Command command) {
}
