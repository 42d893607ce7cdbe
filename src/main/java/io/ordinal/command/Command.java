package io.ordinal.command;

/**
 * A write, as it travels through the Raft log. The frontend encodes it with {@link CommandCodec};
 * the state machine decodes and applies it. Nothing else touches the bytes of the log.
 */
public sealed interface Command permits Command.Put, Command.Delete {

    byte[] key();

    Precondition precondition();

    /** Set {@code key} to {@code value}, if the precondition holds. */
    record Put(byte[] key, byte[] value, Precondition precondition) implements Command {
    }

    /** Remove {@code key}, if the precondition holds. */
    record Delete(byte[] key, Precondition precondition) implements Command {
    }
}
