package io.ordinal.command;

/**
 * An entry of the Raft log, as the state machine applies it. The frontend encodes it with
 * {@link CommandCodec}; the state machine decodes and applies it. Nothing else touches the bytes of
 * the log.
 */
public sealed interface Command permits Command.Write, Command.Barrier {

    /** A change to one key, under a precondition. */
    sealed interface Write extends Command permits Put, Delete {

        byte[] key();

        Precondition precondition();
    }

    /** Set {@code key} to {@code value}, if the precondition holds. */
    record Put(byte[] key, byte[] value, Precondition precondition) implements Write {
    }

    /** Remove {@code key}, if the precondition holds. */
    record Delete(byte[] key, Precondition precondition) implements Write {
    }

    /**
     * Changes nothing. Its commit proves that whoever committed it led the group after the barrier
     * was sent, and its index is a point in the log that a linearizable read may be served at: see
     * {@code frontend.ReadBarrier}.
     */
    record Barrier() implements Command {
    }
}
