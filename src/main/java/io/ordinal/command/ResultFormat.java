package io.ordinal.command;

import io.ordinal.command.ByteFields.Reader;
import io.ordinal.command.ByteFields.Writer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The format of the state machine's answers, from a replica to a frontend: results of commands and
 * of {@link Query}s. Tags 20–31: apart from the log's and the queries', so that bytes of one kind are
 * never read as another.
 *
 * <p>Not only on the wire: the reply to a client call is also recorded with the call in the store
 * (for the retry window, a couple of minutes) and answers a retry, perhaps after an upgrade. So a field
 * is only ever appended, and a decoder reads an answer of the release before without it (as
 * {@link #decodeTxnResult} does).
 */
public final class ResultFormat {

    private static final byte WRITE_RESULT = 20;
    private static final byte GET_RESULT = 21;
    private static final byte RANGE_RESULT = 22;
    private static final byte TXN_RESULT = 23;
    private static final byte LEASE_RESULT = 24;
    private static final byte CHANGES_RESULT = 25;
    private static final byte STATUS_RESULT = 26;
    private static final byte LEASE_INFO_RESULT = 27;
    private static final byte BATCH_RESULT = 28;
    private static final byte GET_MANY_RESULT = 29;
    private static final byte LEADER_READ_RESULT = 30;
    private static final byte TERM_RESULT = 31;

    private ResultFormat() {
    }

    /** The state machine's answer to any command. */
    public static byte[] encode(CommandResult result) {
        if (result instanceof WriteResult write) {
            return encode(write);
        }
        if (result instanceof TxnResult txn) {
            return encode(txn);
        }
        if (result instanceof BatchResult batch) {
            return encode(batch);
        }
        return encode((LeaseResult) result);
    }

    public static byte[] encode(TxnResult result) {
        Writer w = new Writer().tag(TXN_RESULT).bool(result.succeeded()).i64(result.revision())
                .i64(result.missingLease()).i32(result.results().size());
        for (TxnResult.OpResult op : result.results()) {
            if (op instanceof TxnResult.Put put) {
                w.i8(LogFormat.OP_PUT).i64(put.previousRevision());
            } else if (op instanceof TxnResult.Delete delete) {
                w.i8(LogFormat.OP_DELETE).i64(delete.previousRevision());
            } else if (op instanceof TxnResult.DeletePrefix deleted) {
                w.i8(LogFormat.OP_DELETE_PREFIX).i64(deleted.deleted());
            } else {
                TxnResult.Get get = (TxnResult.Get) op;
                w.i8(LogFormat.OP_GET).bool(get.found() != null);
                if (get.found() != null) {
                    w.bytes(get.found().key()).bytes(get.found().value()).i64(get.found().modRevision())
                            .i64(get.createRevision()).i64(get.lease());
                }
            }
        }
        // Appended after the results: a frontend of the release before reads the rest without them.
        return w.i64(result.fullLease()).bool(result.tooManyDeletions()).toByteArray();
    }

    public static TxnResult decodeTxnResult(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(TXN_RESULT);
        boolean succeeded = r.bool();
        long revision = r.i64();
        long missingLease = r.i64();
        int n = r.count(2);
        List<TxnResult.OpResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte op = r.tag();
            results.add(switch (op) {
                case LogFormat.OP_PUT -> new TxnResult.Put(r.i64());
                case LogFormat.OP_DELETE -> new TxnResult.Delete(r.i64());
                case LogFormat.OP_DELETE_PREFIX -> new TxnResult.DeletePrefix(r.i64());
                case LogFormat.OP_GET -> {
                    if (!r.bool()) {
                        yield new TxnResult.Get(null, 0, 0);
                    }
                    byte[] key = r.bytes();
                    byte[] value = r.bytes();
                    long modRevision = r.i64();
                    long createRevision = r.i64();
                    yield new TxnResult.Get(new KeyValue(key, value, modRevision), createRevision, r.i64());
                }
                default -> throw new CodecException("not an operation result: tag " + op);
            });
        }
        if (!r.more()) {
            return new TxnResult(succeeded, revision, results, missingLease); // from a replica of the release before
        }
        return new TxnResult(succeeded, revision, results, missingLease, r.i64(), r.bool());
    }

    public static byte[] encode(LeaseResult result) {
        return new Writer().tag(LEASE_RESULT).bool(result.found()).i64(result.id()).i64(result.ttlSeconds())
                .i64(result.revision()).i64(result.deletedKeys()).toByteArray();
    }

    public static LeaseResult decodeLeaseResult(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(LEASE_RESULT);
        return new LeaseResult(r.bool(), r.i64(), r.i64(), r.i64(), r.i64());
    }

    public static byte[] encode(ChangesResult result) {
        Writer w = new Writer().tag(CHANGES_RESULT).i64(result.nextRevision()).i32(result.nextSeq()).i64(result.revision())
                .i64(result.oldestRevision()).bool(result.compacted()).i32(result.changes().size());
        for (Change c : result.changes()) {
            w.i8(c.type().ordinal()).i64(c.modRevision()).bytes(c.key()).nullableBytes(c.value());
        }
        return w.toByteArray();
    }

    public static ChangesResult decodeChangesResult(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(CHANGES_RESULT);
        long next = r.i64();
        int nextSeq = r.i32();
        long revision = r.i64();
        long oldest = r.i64();
        boolean compacted = r.bool();
        int n = r.count(1 + 8 + 4 + 4);
        List<Change> changes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Change.Type type = r.enumValue(Change.Type.values());
            long modRevision = r.i64();
            byte[] key = r.bytes();
            changes.add(new Change(type, key, r.nullableBytes(), modRevision));
        }
        return new ChangesResult(changes, next, nextSeq, revision, oldest, compacted);
    }

    public static byte[] encode(StoreStatus status) {
        return new Writer().tag(STATUS_RESULT).i64(status.revision()).i64(status.oldestRevision()).toByteArray();
    }

    public static StoreStatus decodeStoreStatus(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(STATUS_RESULT);
        return new StoreStatus(r.i64(), r.i64());
    }

    public static byte[] encode(LeaseInfo info) {
        Writer w = new Writer().tag(LEASE_INFO_RESULT).bool(info.found()).i64(info.id()).i64(info.ttlSeconds())
                .i64(info.remainingMillis()).i32(info.keys().size());
        info.keys().forEach(w::bytes);
        return w.toByteArray();
    }

    public static LeaseInfo decodeLeaseInfo(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(LEASE_INFO_RESULT);
        boolean found = r.bool();
        long id = r.i64();
        long ttl = r.i64();
        long remaining = r.i64();
        int n = r.count(4);
        List<byte[]> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(r.bytes());
        }
        return new LeaseInfo(found, id, ttl, remaining, keys);
    }

    public static byte[] encode(WriteResult result) {
        return new Writer().tag(WRITE_RESULT).i8(result.outcome().ordinal())
                .i64(result.revision()).i64(result.previousRevision()).toByteArray();
    }

    public static byte[] encode(BatchResult result) {
        Writer w = new Writer().tag(BATCH_RESULT).i32(result.results().size());
        for (WriteResult one : result.results()) {
            w.i8(one.outcome().ordinal()).i64(one.revision()).i64(one.previousRevision());
        }
        return w.toByteArray();
    }

    public static BatchResult decodeBatchResult(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(BATCH_RESULT);
        int n = r.count(1 + 8 + 8);
        List<WriteResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            WriteResult.Outcome outcome = r.enumValue(WriteResult.Outcome.values());
            results.add(new WriteResult(outcome, r.i64(), r.i64()));
        }
        return new BatchResult(results);
    }

    public static WriteResult decodeWriteResult(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(WRITE_RESULT);
        WriteResult.Outcome outcome = r.enumValue(WriteResult.Outcome.values());
        return new WriteResult(outcome, r.i64(), r.i64());
    }

    /** @param found the key's value and modRevision, or null when the key is absent */
    public static byte[] encodeGetResult(KeyValue found) {
        Writer w = new Writer().tag(GET_RESULT).bool(found != null);
        if (found != null) {
            w.i64(found.modRevision()).bytes(found.value());
        }
        return w.toByteArray();
    }

    /** @return the key's value and modRevision, or null when absent */
    public static KeyValue decodeGetResult(byte[] key, ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(GET_RESULT);
        if (!r.bool()) {
            return null;
        }
        long modRevision = r.i64();
        return new KeyValue(key, r.bytes(), modRevision);
    }

    /**
     * The answer to a {@link Query.GetMany}: each answered key's {@link #encodeGetResult}, in the order
     * asked; fewer than asked when the byte budget ran out.
     */
    public static byte[] encodeGetManyResult(List<byte[]> encodedGetResults) {
        Writer w = new Writer().tag(GET_MANY_RESULT).i32(encodedGetResults.size());
        encodedGetResults.forEach(w::bytes);
        return w.toByteArray();
    }

    /** @return each answered key's get result, to be read by {@link #decodeGetResult} */
    public static List<ByteBuffer> decodeGetManyResult(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(GET_MANY_RESULT);
        int n = r.count(4);
        List<ByteBuffer> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(r.slice());
        }
        return results;
    }

    public static byte[] encode(LeaderReadResult result) {
        Writer w = new Writer().tag(LEADER_READ_RESULT).i8(result.status().ordinal()).i64(result.term())
                .i32(result.voters().size());
        result.voters().forEach(v -> w.bytes(v.getBytes(StandardCharsets.UTF_8)));
        ByteBuffer answer = result.answer().duplicate();
        byte[] bytes = new byte[answer.remaining()];
        answer.get(bytes);
        return w.bytes(bytes).toByteArray();
    }

    public static LeaderReadResult decodeLeaderReadResult(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(LEADER_READ_RESULT);
        LeaderReadResult.Status status = r.enumValue(LeaderReadResult.Status.values());
        long term = r.i64();
        int n = r.count(4);
        List<String> voters = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            voters.add(new String(r.bytes(), StandardCharsets.UTF_8));
        }
        return new LeaderReadResult(status, term, voters, r.slice());
    }

    public static byte[] encodeTermResult(long term) {
        return new Writer().tag(TERM_RESULT).i64(term).toByteArray();
    }

    public static long decodeTermResult(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(TERM_RESULT);
        return r.i64();
    }

    public static byte[] encode(RangeResult result) {
        Writer w = new Writer().tag(RANGE_RESULT).bool(result.more()).i32(result.items().size());
        for (KeyValue kv : result.items()) {
            w.bytes(kv.key()).i64(kv.modRevision()).nullableBytes(kv.value());
        }
        return w.toByteArray();
    }

    public static RangeResult decodeRangeResult(ByteBuffer buf) {
        Reader r = new Reader(buf);
        r.expect(RANGE_RESULT);
        boolean more = r.bool();
        int n = r.i32();
        if (n < 0) {
            throw new CodecException("negative item count " + n);
        }
        List<KeyValue> items = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            byte[] key = r.bytes();
            long modRevision = r.i64();
            items.add(new KeyValue(key, r.nullableBytes(), modRevision));
        }
        return new RangeResult(items, more);
    }
}
