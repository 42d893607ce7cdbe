package io.ordinal.storage;

import io.ordinal.command.Command;
import io.ordinal.command.CommandResult;
import io.ordinal.command.LeaseResult;
import io.ordinal.command.TxnResult;
import io.ordinal.command.WriteResult;

/**
 * Applies log entries to a store the way the state machine does, without Ratis: the {@link Applier}
 * decides each entry into a mutation, and the store commits it under the entry's index. An entry whose
 * term is not given is of term 0, below every term: a {@link Command.LeaseExpire} in it changes nothing.
 */
public final class Entries {

    private Entries() {
    }

    /** What an entry did: its result (null when it was a call applied before) and its encoded reply. */
    public record Applied(CommandResult result, byte[] reply) {
    }

    public static Applied apply(KvStore store, long index, long term, Command command, ClientCall call) {
        try (Mutation m = new Applier(store).apply(index, term, command, call)) {
            store.commit(m, index);
            return new Applied(m.result(), m.reply());
        }
    }

    public static Applied apply(KvStore store, long index, Command command, ClientCall call) {
        return apply(store, index, 0, command, call);
    }

    public static CommandResult apply(KvStore store, long index, long term, Command command) {
        return apply(store, index, term, command, null).result();
    }

    public static CommandResult apply(KvStore store, long index, Command command) {
        return apply(store, index, 0, command);
    }

    /** A put or a delete of one key. */
    public static WriteResult apply(KvStore store, long index, Command.KeyCommand command) {
        return (WriteResult) apply(store, index, (Command) command);
    }

    public static TxnResult apply(KvStore store, long index, Command.Txn txn) {
        return (TxnResult) apply(store, index, (Command) txn);
    }

    public static LeaseResult apply(KvStore store, long index, Command.LeaseCommand command) {
        return (LeaseResult) apply(store, index, (Command) command);
    }

    public static LeaseResult apply(KvStore store, long index, long term, Command.LeaseCommand command) {
        return (LeaseResult) apply(store, index, term, (Command) command);
    }

    /** An entry that changes no data (a barrier). */
    public static void applyNothing(KvStore store, long index) {
        apply(store, index, new Command.Barrier());
    }
}
