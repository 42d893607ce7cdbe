package io.ordinal.command;

import java.util.List;

/**
 * An entry of the Raft log, as the state machine applies it. The frontend encodes it with
 * {@link LogFormat}; the state machine decodes and applies it. Nothing else touches the bytes of
 * the log.
 */
public sealed interface Command permits Command.KeyCommand, Command.Batch, Command.Barrier, Command.Txn, Command.LeaseCommand,
        Command.SetHistoryRetention {

    /** A write of one key under a precondition: what {@code PUT} and {@code DELETE} send. */
    sealed interface KeyCommand extends Command permits Put, Delete {
        byte[] key();

        Precondition precondition();
    }

    /**
     * Set {@code key} to {@code value}, if the precondition holds, attached to {@code lease} (0: none;
     * a put without a lease detaches the key from the lease it had, as etcd does).
     */
    record Put(byte[] key, byte[] value, Precondition precondition, long lease) implements KeyCommand {
        public Put(byte[] key, byte[] value, Precondition precondition) {
            this(key, value, precondition, 0);
        }
    }

    /** Remove {@code key}, if the precondition holds. */
    record Delete(byte[] key, Precondition precondition) implements KeyCommand {
    }

    /**
     * Independent key writes that a frontend gathered from concurrent requests into one log entry.
     * Applied in order, each exactly as if it were an entry of its own — its precondition decided
     * against the writes before it, its own revision when it succeeds — and all in one RocksDB batch
     * with the entry's applied index. Nothing ties their outcomes together: one failing condition
     * fails that write alone. One entry instead of many is what makes the log fast under load.
     */
    record Batch(List<KeyCommand> writes) implements Command {
        public Batch {
            writes = List.copyOf(writes);
        }
    }

    /**
     * Changes nothing. Its commit proves that whoever committed it led the group after the barrier
     * was sent, and its index is a point in the log that a linearizable read may be served at: see
     * {@code client.ReadBarrier}.
     */
    record Barrier() implements Command {
    }

    /**
     * An etcd-style transaction, applied as one log entry: if every compare holds against the state
     * before the transaction, the {@code success} operations run, else the {@code failure} ones, in
     * order. All its writes share one new revision.
     */
    record Txn(List<Compare> compares, List<TxnOp> success, List<TxnOp> failure) implements Command {
        public Txn {
            compares = List.copyOf(compares);
            success = List.copyOf(success);
            failure = List.copyOf(failure);
        }
    }

    /** Grant, renew or revoke a lease; decided and applied in log order like every write. */
    sealed interface LeaseCommand extends Command permits LeaseGrant, LeaseKeepAlive, LeaseRevoke, LeaseExpire {
    }

    /** A new lease of {@code ttlSeconds}; its id is the index of this entry in the log. */
    record LeaseGrant(long ttlSeconds) implements LeaseCommand {
    }

    /** Renews the lease's time to live (the leader restarts its countdown when it applies this). */
    record LeaseKeepAlive(long id) implements LeaseCommand {
    }

    /** Ends the lease and deletes every key attached to it, at one revision, whenever it still exists. */
    record LeaseRevoke(long id) implements LeaseCommand {
    }

    /**
     * The leader's decision that the lease ran out: ends it like a {@link LeaseRevoke}, but only if the
     * decision still holds when the entry is applied — the entry was written in {@code decidingTerm}
     * (by the leader whose clock decided, not by one that took over and restarted the countdown), and
     * the lease's last renewal (its grant or latest keepalive) is still the entry at
     * {@code renewedIndex}, the one the countdown ran from. Otherwise it changes nothing.
     */
    record LeaseExpire(long id, long decidingTerm, long renewedIndex) implements LeaseCommand {
    }

    /**
     * From this entry on, the history of changes keeps the changes of at most {@code revisions}
     * revisions, and fewer once they hold more than {@code bytes} of keys and values. The policy is
     * part of the replicated state, so that every replica compacts its history at the same entries
     * whatever its own configuration says; a leader proposes its configured policy when it differs.
     */
    record SetHistoryRetention(long revisions, long bytes) implements Command {
    }
}
