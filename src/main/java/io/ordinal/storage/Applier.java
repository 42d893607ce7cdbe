package io.ordinal.storage;

import io.ordinal.command.BatchResult;
import io.ordinal.command.Command;
import io.ordinal.command.CommandResult;
import io.ordinal.command.Compare;
import io.ordinal.command.KeyValue;
import io.ordinal.command.LeaseResult;
import io.ordinal.command.Limits;
import io.ordinal.command.ResultFormat;
import io.ordinal.command.TxnOp;
import io.ordinal.command.TxnResult;
import io.ordinal.command.WriteResult;
import io.ordinal.command.WriteResult.Outcome;
import org.rocksdb.RocksDBException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key-value rules: decides what one log entry does, against the state the entries before it
 * left in the {@link KvStore}, into one {@link Mutation} that {@link KvStore#commit} then writes with
 * the entry's index. Deterministic: it reads only the store and the entry (its index, its term, the
 * leader's clock stamped on it), never this replica's clock or configuration, so every replica
 * decides every entry alike.
 *
 * <p>An entry that changes something takes the next revision, which all its writes share (a
 * transaction's, or the deletes of a revoked lease's keys): revisions count successful writes,
 * store-wide, as etcd's do. An entry that changes no key (a failed condition, a delete of an absent
 * key, a lease grant) takes none, so a {@code 4xx} leaves no trace but the applied index.
 *
 * <p>The history of changes (for watches) is written with the change itself and compacted in log
 * order under a retention that the log sets too ({@link Command.SetHistoryRetention}), never the
 * replica's own configuration: every replica holds the same history.
 */
public final class Applier {

    private final KvStore store;

    public Applier(KvStore store) {
        this.store = store;
    }

    /**
     * Decides the command of log entry {@code index}, sent as {@code call}. A call already applied
     * within {@link ClientCall#RETRY_WINDOW} (a retry that reached a leader whose retry cache never saw
     * it, and was appended again) changes nothing, and is answered with its recorded reply; any other
     * is recorded with its reply in the entry's batch ({@link AppliedCalls}).
     *
     * @param term the term the entry was written in, the same on every replica: a
     *             {@link Command.LeaseExpire} applies only in the term that decided it
     * @param call null for an entry that names no call (from before the leader stamped entries): it is
     *             applied without a record
     * @return the entry's mutation, with its result and reply, for {@link KvStore#commit}; the caller closes it
     */
    public Mutation apply(long index, long term, Command command, ClientCall call) {
        Mutation m = store.mutation();
        boolean decided = false;
        try {
            decide(m, index, term, command, call);
            decided = true;
            return m;
        } catch (RocksDBException e) {
            throw new StorageException("cannot apply entry " + index + ": " + e.getMessage(), e);
        } finally {
            if (!decided) {
                m.close();
            }
        }
    }

    private void decide(Mutation m, long index, long term, Command command, ClientCall call) throws RocksDBException {
        if (command instanceof Command.Barrier) {
            return; // changes nothing but the applied index
        }
        if (command instanceof Command.SetHistoryRetention next) {
            // No revision: the history is compacted to it, like every compaction, by the next entry that changes a key.
            m.setRetention(new HistoryRetention(next.revisions(), next.bytes()));
            return;
        }
        AppliedCalls.Recorded recorded = call == null ? null : store.recordedCall(call);
        if (call != null && AppliedCalls.live(recorded, call.leaderMillis())) {
            m.answer(null, recorded.reply());
            return;
        }
        CommandResult result = decideKeys(m, index, term, command);
        recordHistory(m);
        byte[] reply = ResultFormat.encode(result);
        if (call != null) {
            m.recordCall(call, reply, recorded);
        }
        m.answer(result, reply);
    }

    private CommandResult decideKeys(Mutation m, long index, long term, Command command) throws RocksDBException {
        if (command instanceof Command.Batch batch) {
            List<WriteResult> results = new ArrayList<>(batch.writes().size());
            for (Command.KeyCommand write : batch.writes()) {
                int before = m.changes().size();
                results.add(applyWrite(m, write));
                if (m.changes().size() > before) {
                    m.advance();
                }
            }
            return new BatchResult(results);
        }
        if (command instanceof Command.KeyCommand write) {
            return applyWrite(m, write);
        }
        if (command instanceof Command.Txn txn) {
            return applyTxn(m, txn);
        }
        // What the sealed Command leaves: a Barrier and a SetHistoryRetention were decided before.
        return applyLease(m, (Command.LeaseCommand) command, index, term);
    }

    /**
     * Adds the entry's changes to the history and compacts it: compaction is part of the entry,
     * decided by the same numbers on every replica.
     */
    private void recordHistory(Mutation m) throws RocksDBException {
        if (!m.changed()) {
            return;
        }
        // The revision of the entry's last change: a batch's writes each take one of their own.
        long newRevision = m.changes().get(m.changes().size() - 1).modRevision();
        long bytes = store.historyBytes() + m.appendToHistory();
        long oldest = store.oldestRevision();
        HistoryRetention retention = store.historyRetention();
        if (mustForget(retention, oldest, newRevision, bytes)) {
            try (Mutation.Forgetting history = m.forgetFrom(oldest)) {
                do {
                    bytes -= history.forget(oldest);
                    oldest++;
                } while (mustForget(retention, oldest, newRevision, bytes));
            }
        }
        m.moveHistory(new Mutation.History(newRevision, oldest, bytes));
    }

    private static boolean mustForget(HistoryRetention retention, long oldest, long newRevision, long bytes) {
        return oldest < newRevision && (newRevision - oldest + 1 > retention.revisions() || bytes > retention.bytes());
    }

    private static WriteResult applyWrite(Mutation m, Command.KeyCommand command) throws RocksDBException {
        Mutation.Stored current = m.read(command.key());
        long currentRevision = current == null ? 0 : current.modRevision();
        if (!command.precondition().holds(currentRevision)) {
            return new WriteResult(Outcome.PRECONDITION_FAILED, 0, currentRevision);
        }
        if (command instanceof Command.Put put) {
            if (put.lease() != 0 && m.leaseTtl(put.lease()) < 0) {
                return new WriteResult(Outcome.LEASE_NOT_FOUND, 0, currentRevision);
            }
            if (put.lease() != 0 && (current == null || current.lease() != put.lease())
                    && m.leaseKeys(put.lease()) >= Limits.MAX_DELETED_KEYS) {
                return new WriteResult(Outcome.LEASE_FULL, 0, currentRevision);
            }
            m.put(put.key(), put.value(), put.lease());
            return new WriteResult(current == null ? Outcome.CREATED : Outcome.UPDATED, m.revision(), currentRevision);
        }
        if (current == null) {
            return new WriteResult(Outcome.NOT_FOUND, 0, 0);
        }
        m.delete(command.key());
        return new WriteResult(Outcome.DELETED, m.revision(), currentRevision);
    }

    /**
     * etcd's Txn: the compares are checked against the state before the transaction, then the chosen
     * branch runs in order, each operation seeing the ones before it. A put under a lease that does not
     * exist, or that would take a lease past {@link Limits#MAX_DELETED_KEYS} keys, and deletePrefix
     * operations that would delete more than that many keys, fail the whole transaction before
     * anything is written (overlapping prefixes are counted twice).
     */
    private TxnResult applyTxn(Mutation m, Command.Txn txn) throws RocksDBException {
        long revision = store.revision();
        boolean succeeded = true;
        for (Compare c : txn.compares()) {
            Mutation.Stored s = m.read(c.key());
            if (s == null ? !c.holds(null, 0, 0) : !c.holds(s.value(), s.modRevision(), s.createRevision())) {
                succeeded = false;
                break;
            }
        }
        List<TxnOp> ops = succeeded ? txn.success() : txn.failure();
        Map<Long, Long> attaching = new LinkedHashMap<>();
        long deleting = 0;
        for (TxnOp op : ops) {
            if (op instanceof TxnOp.Put put && put.lease() != 0) {
                if (m.leaseTtl(put.lease()) < 0) {
                    return new TxnResult(succeeded, revision, List.of(), put.lease());
                }
                Mutation.Stored s = m.read(put.key());
                if (s == null || s.lease() != put.lease()) {
                    attaching.merge(put.lease(), 1L, Long::sum);
                }
            } else if (op instanceof TxnOp.DeletePrefix deletePrefix) {
                deleting += m.countPrefix(deletePrefix.prefix(), Limits.MAX_DELETED_KEYS + 1 - deleting);
            }
        }
        for (Map.Entry<Long, Long> lease : attaching.entrySet()) {
            if (m.leaseKeys(lease.getKey()) + lease.getValue() > Limits.MAX_DELETED_KEYS) {
                return new TxnResult(succeeded, revision, List.of(), 0, lease.getKey(), false);
            }
        }
        if (deleting > Limits.MAX_DELETED_KEYS) {
            return new TxnResult(succeeded, revision, List.of(), 0, 0, true);
        }
        List<TxnResult.OpResult> results = new ArrayList<>(ops.size());
        for (TxnOp op : ops) {
            if (op instanceof TxnOp.Put put) {
                Mutation.Stored before = m.put(put.key(), put.value(), put.lease());
                results.add(new TxnResult.Put(before == null ? 0 : before.modRevision()));
            } else if (op instanceof TxnOp.Delete delete) {
                Mutation.Stored before = m.delete(delete.key());
                results.add(new TxnResult.Delete(before == null ? 0 : before.modRevision()));
            } else if (op instanceof TxnOp.DeletePrefix deletePrefix) {
                results.add(new TxnResult.DeletePrefix(m.deletePrefix(deletePrefix.prefix())));
            } else {
                byte[] key = ((TxnOp.Get) op).key();
                Mutation.Stored s = m.read(key);
                results.add(s == null ? new TxnResult.Get(null, 0, 0)
                        : new TxnResult.Get(new KeyValue(key, s.value(), s.modRevision()), s.createRevision(), s.lease()));
            }
        }
        return new TxnResult(succeeded, m.changed() ? m.revision() : revision, results, 0);
    }

    /**
     * A lease's id is the log index of the entry that granted it: unique, and the same on every replica.
     * A grant or keepalive records its own index as the lease's last renewal (no revision: no key
     * changes). An expiry ends the lease only if the decision it carries still holds here: the entry
     * was written in the term whose leader decided (a later leader restarted every countdown), and
     * nothing renewed the lease after the renewal that countdown ran from.
     */
    private static LeaseResult applyLease(Mutation m, Command.LeaseCommand command, long index, long term)
            throws RocksDBException {
        if (command instanceof Command.LeaseGrant grant) {
            m.renewLease(index, grant.ttlSeconds(), index);
            return new LeaseResult(true, index, grant.ttlSeconds(), 0, 0);
        }
        long id = command instanceof Command.LeaseKeepAlive k ? k.id()
                : command instanceof Command.LeaseExpire e ? e.id() : ((Command.LeaseRevoke) command).id();
        long ttl = m.leaseTtl(id);
        if (ttl < 0) {
            return new LeaseResult(false, id, 0, 0, 0);
        }
        if (command instanceof Command.LeaseKeepAlive) {
            m.renewLease(id, ttl, index);
            return new LeaseResult(true, id, ttl, 0, 0);
        }
        if (command instanceof Command.LeaseExpire e
                && (e.decidingTerm() != term || e.renewedIndex() != m.leaseRenewedIndex(id))) {
            return new LeaseResult(false, id, 0, 0, 0); // the decision no longer holds: nothing expires
        }
        long deleted = m.revokeLease(id);
        return new LeaseResult(true, id, ttl, deleted > 0 ? m.revision() : 0, deleted);
    }
}
