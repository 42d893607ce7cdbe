package io.ordinal.command;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one binary codec of everything that crosses Raft: commands in the log, queries, and the state
 * machine's answers. A tag byte, then fixed-width numbers and length-prefixed byte strings, so that
 * a value is never copied through JSON or Base64 inside the cluster.
 *
 * <p>Tags are part of the on-disk log format: never reuse or renumber one.
 */
public final class CommandCodec {

    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final byte BARRIER = 3;
    private static final byte PUT_WITH_LEASE = 4;
    private static final byte TXN = 5;
    private static final byte LEASE_GRANT = 6;
    private static final byte LEASE_KEEP_ALIVE = 7;
    private static final byte LEASE_REVOKE = 8;
    private static final byte BATCH = 9;
    private static final byte GET = 10;
    private static final byte RANGE = 11;
    private static final byte CHANGES = 12;
    private static final byte STATUS = 13;
    private static final byte LEASE_INFO = 14;
    private static final byte GET_MANY = 15;
    private static final byte AT_LEADER = 16;
    private static final byte TERM = 17;
    private static final byte LEASE_EXPIRE = 18;
    /** A command in the log behind the leader's clock ({@link #stampHeader}); never sent by a client. */
    private static final byte STAMPED = 50;
    private static final byte SET_HISTORY_RETENTION = 40;
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

    /** Transaction operations, inside a {@link #TXN} entry. */
    private static final byte OP_PUT = 1;
    private static final byte OP_DELETE = 2;
    private static final byte OP_GET = 3;
    private static final byte OP_DELETE_PREFIX = 4;

    private CommandCodec() {
    }

    public static byte[] encode(Command command) {
        Writer w = new Writer();
        if (command instanceof Command.Put put && put.lease() == 0) {
            w.tag(PUT).precondition(put.precondition()).bytes(put.key()).bytes(put.value());
        } else if (command instanceof Command.Put put) {
            w.tag(PUT_WITH_LEASE).precondition(put.precondition()).bytes(put.key()).bytes(put.value()).i64(put.lease());
        } else if (command instanceof Command.Delete delete) {
            w.tag(DELETE).precondition(delete.precondition()).bytes(delete.key());
        } else if (command instanceof Command.Batch batch) {
            return encodeBatch(batch.writes().stream().map(CommandCodec::encode).toList());
        } else if (command instanceof Command.Barrier) {
            w.tag(BARRIER);
        } else if (command instanceof Command.Txn txn) {
            w.tag(TXN).i32(txn.compares().size());
            for (Compare c : txn.compares()) {
                w.bytes(c.key()).i8(c.target().ordinal()).i8(c.op().ordinal()).i64(c.number()).nullableBytes(c.value());
            }
            w.ops(txn.success()).ops(txn.failure());
        } else if (command instanceof Command.LeaseGrant grant) {
            w.tag(LEASE_GRANT).i64(grant.ttlSeconds());
        } else if (command instanceof Command.LeaseKeepAlive keepAlive) {
            w.tag(LEASE_KEEP_ALIVE).i64(keepAlive.id());
        } else if (command instanceof Command.LeaseRevoke revoke) {
            w.tag(LEASE_REVOKE).i64(revoke.id());
        } else if (command instanceof Command.LeaseExpire expire) {
            w.tag(LEASE_EXPIRE).i64(expire.id()).i64(expire.decidingTerm()).i64(expire.renewedIndex());
        } else if (command instanceof Command.SetHistoryRetention retention) {
            w.tag(SET_HISTORY_RETENTION).i64(retention.revisions()).i64(retention.bytes());
        } else {
            throw new IllegalArgumentException("unknown command " + command);
        }
        return w.toByteArray();
    }

    /**
     * A {@link Command.Batch} of writes that are encoded already (each by {@link #encode(Command)}): the
     * frontend encodes a write once, when it arrives, whether it then goes alone or in a batch.
     */
    public static byte[] encodeBatch(List<byte[]> encodedWrites) {
        Writer w = new Writer().tag(BATCH).i32(encodedWrites.size());
        encodedWrites.forEach(w::bytes);
        return w.toByteArray();
    }

    /**
     * What the leader puts in front of a client's command when it appends it to the log: its clock,
     * in milliseconds since the epoch ({@link StampedCommand}). The command's own bytes follow as
     * they were sent, uncopied.
     */
    public static byte[] stampHeader(long leaderMillis) {
        return new Writer().tag(STAMPED).i64(leaderMillis).toByteArray();
    }

    /** A log entry's command, and the leader's clock when it was appended (-1 if it was not stamped). */
    public static StampedCommand decodeLogEntry(ByteBuffer entry) {
        if (entry.remaining() > 0 && entry.get(entry.position()) == STAMPED) {
            Reader r = new Reader(entry);
            r.tag();
            long leaderMillis = r.i64();
            return new StampedCommand(leaderMillis, decodeCommand(r.rest()));
        }
        return new StampedCommand(-1, decodeCommand(entry));
    }

    /** A command as a client sends it (never stamped: only the leader stamps). */
    public static Command decodeCommand(ByteBuffer buf) {
        Reader r = new Reader(buf);
        byte tag = r.tag();
        return switch (tag) {
            case PUT -> {
                Precondition p = r.precondition();
                byte[] key = r.bytes();
                yield new Command.Put(key, r.bytes(), p);
            }
            case DELETE -> {
                Precondition p = r.precondition();
                yield new Command.Delete(r.bytes(), p);
            }
            case BARRIER -> new Command.Barrier();
            case SET_HISTORY_RETENTION -> {
                long revisions = r.i64();
                long bytes = r.i64();
                if (revisions < 1 || bytes < 1) {
                    throw new CodecException("a history keeps at least one revision and one byte");
                }
                yield new Command.SetHistoryRetention(revisions, bytes);
            }
            case BATCH -> {
                int n = r.count(4 + 1);
                List<Command.KeyCommand> writes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    if (!(decodeCommand(ByteBuffer.wrap(r.bytes())) instanceof Command.KeyCommand write)) {
                        throw new CodecException("a batch holds only key writes");
                    }
                    writes.add(write);
                }
                yield new Command.Batch(writes);
            }
            case PUT_WITH_LEASE -> {
                Precondition p = r.precondition();
                byte[] key = r.bytes();
                byte[] value = r.bytes();
                yield new Command.Put(key, value, p, r.i64());
            }
            case TXN -> {
                int n = r.count(4 + 1 + 1 + 8 + 4);
                List<Compare> compares = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    byte[] key = r.bytes();
                    Compare.Target target = r.enumValue(Compare.Target.values());
                    Compare.Op op = r.enumValue(Compare.Op.values());
                    long number = r.i64();
                    compares.add(new Compare(key, target, op, number, r.nullableBytes()));
                }
                List<TxnOp> success = r.ops();
                yield new Command.Txn(compares, success, r.ops());
            }
            case LEASE_GRANT -> new Command.LeaseGrant(r.i64());
            case LEASE_KEEP_ALIVE -> new Command.LeaseKeepAlive(r.i64());
            case LEASE_REVOKE -> new Command.LeaseRevoke(r.i64());
            case LEASE_EXPIRE -> {
                long id = r.i64();
                long decidingTerm = r.i64();
                yield new Command.LeaseExpire(id, decidingTerm, r.i64());
            }
            default -> throw new CodecException("not a command: tag " + tag);
        };
    }

    public static byte[] encode(Query query) {
        Writer w = new Writer();
        if (query instanceof Query.Get get) {
            w.tag(GET).bytes(get.key());
        } else if (query instanceof Query.GetMany many) {
            w.tag(GET_MANY).i32(many.maxBytes()).i32(many.keys().size());
            many.keys().forEach(w::bytes);
        } else if (query instanceof Query.Range range) {
            w.tag(RANGE).bytes(range.prefix()).nullableBytes(range.after())
                    .i32(range.limit()).bool(range.keysOnly());
        } else if (query instanceof Query.Changes changes) {
            w.tag(CHANGES).i64(changes.fromRevision()).i32(changes.fromSeq()).bytes(changes.key()).bool(changes.prefix())
                    .i32(changes.maxBytes()).i64(changes.waitMillis());
        } else if (query instanceof Query.Status) {
            w.tag(STATUS);
        } else if (query instanceof Query.LeaseInfo info) {
            w.tag(LEASE_INFO).i64(info.id()).i32(info.maxKeys());
        } else if (query instanceof Query.AtLeader atLeader) {
            if (atLeader.inner() instanceof Query.AtLeader || atLeader.inner() instanceof Query.Changes) {
                throw new IllegalArgumentException("not a query for the leader: " + atLeader.inner());
            }
            w.tag(AT_LEADER).bytes(encode(atLeader.inner()));
        } else if (query instanceof Query.Term) {
            w.tag(TERM);
        } else {
            throw new IllegalArgumentException("unknown query " + query);
        }
        return w.toByteArray();
    }

    public static Query decodeQuery(ByteBuffer buf) {
        Reader r = new Reader(buf);
        byte tag = r.tag();
        return switch (tag) {
            case GET -> new Query.Get(r.bytes());
            case GET_MANY -> {
                int maxBytes = r.i32();
                int n = r.count(4);
                List<byte[]> keys = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    keys.add(r.bytes());
                }
                yield new Query.GetMany(keys, maxBytes);
            }
            case RANGE -> {
                byte[] prefix = r.bytes();
                byte[] after = r.nullableBytes();
                int limit = r.i32();
                yield new Query.Range(prefix, after, limit, r.bool());
            }
            case CHANGES -> {
                long from = r.i64();
                int fromSeq = r.i32();
                byte[] key = r.bytes();
                boolean prefix = r.bool();
                int maxBytes = r.i32();
                yield new Query.Changes(from, fromSeq, key, prefix, maxBytes, r.i64());
            }
            case STATUS -> new Query.Status();
            case AT_LEADER -> {
                Query inner = decodeQuery(ByteBuffer.wrap(r.bytes()));
                if (inner instanceof Query.AtLeader || inner instanceof Query.Changes) {
                    throw new CodecException("not a query for the leader: " + inner.getClass().getSimpleName());
                }
                yield new Query.AtLeader(inner);
            }
            case TERM -> new Query.Term();
            case LEASE_INFO -> {
                long id = r.i64();
                yield new Query.LeaseInfo(id, r.i32());
            }
            default -> throw new CodecException("not a query: tag " + tag);
        };
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
                w.i8(OP_PUT).i64(put.previousRevision());
            } else if (op instanceof TxnResult.Delete delete) {
                w.i8(OP_DELETE).i64(delete.previousRevision());
            } else if (op instanceof TxnResult.DeletePrefix deleted) {
                w.i8(OP_DELETE_PREFIX).i64(deleted.deleted());
            } else {
                TxnResult.Get get = (TxnResult.Get) op;
                w.i8(OP_GET).bool(get.found() != null);
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
                case OP_PUT -> new TxnResult.Put(r.i64());
                case OP_DELETE -> new TxnResult.Delete(r.i64());
                case OP_DELETE_PREFIX -> new TxnResult.DeletePrefix(r.i64());
                case OP_GET -> {
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
        result.voters().forEach(v -> w.bytes(v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
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
            voters.add(new String(r.bytes(), java.nio.charset.StandardCharsets.UTF_8));
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

    /** Bytes that are not a valid encoding. */
    public static final class CodecException extends RuntimeException {
        public CodecException(String message) {
            super(message);
        }
    }

    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        Writer tag(byte tag) {
            out.write(tag);
            return this;
        }

        Writer i8(int v) {
            out.write(v);
            return this;
        }

        Writer bool(boolean v) {
            out.write(v ? 1 : 0);
            return this;
        }

        Writer i32(int v) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Writer i64(long v) {
            return i32((int) (v >>> 32)).i32((int) v);
        }

        Writer bytes(byte[] b) {
            i32(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        Writer nullableBytes(byte[] b) {
            return b == null ? i32(-1) : bytes(b);
        }

        Writer precondition(Precondition p) {
            i8(p.kind().ordinal()).i32(p.revisions().size());
            p.revisions().forEach(this::i64);
            return this;
        }

        Writer ops(List<TxnOp> ops) {
            i32(ops.size());
            for (TxnOp op : ops) {
                if (op instanceof TxnOp.Put put) {
                    i8(OP_PUT).bytes(put.key()).bytes(put.value()).i64(put.lease());
                } else if (op instanceof TxnOp.Delete delete) {
                    i8(OP_DELETE).bytes(delete.key());
                } else if (op instanceof TxnOp.Get get) {
                    i8(OP_GET).bytes(get.key());
                } else {
                    i8(OP_DELETE_PREFIX).bytes(((TxnOp.DeletePrefix) op).prefix());
                }
            }
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    private static final class Reader {
        private final ByteBuffer buf;

        Reader(ByteBuffer buf) {
            this.buf = buf.slice();
        }

        byte tag() {
            return get();
        }

        boolean more() {
            return buf.hasRemaining();
        }

        void expect(byte tag) {
            byte actual = get();
            if (actual != tag) {
                throw new CodecException("expected tag " + tag + " but found " + actual);
            }
        }

        boolean bool() {
            return get() != 0;
        }

        <E extends Enum<E>> E enumValue(E[] values) {
            int ordinal = get();
            if (ordinal < 0 || ordinal >= values.length) {
                throw new CodecException("bad enum ordinal " + ordinal);
            }
            return values[ordinal];
        }

        int i32() {
            try {
                return buf.getInt();
            } catch (BufferUnderflowException e) {
                throw new CodecException("truncated");
            }
        }

        /** The bytes not read yet. */
        ByteBuffer rest() {
            return buf.slice();
        }

        long i64() {
            try {
                return buf.getLong();
            } catch (BufferUnderflowException e) {
                throw new CodecException("truncated");
            }
        }

        byte[] bytes() {
            byte[] b = nullableBytes();
            if (b == null) {
                throw new CodecException("unexpected null byte string");
            }
            return b;
        }

        byte[] nullableBytes() {
            int n = i32();
            if (n == -1) {
                return null;
            }
            if (n < 0 || n > buf.remaining()) {
                throw new CodecException("bad length " + n + " with " + buf.remaining() + " bytes left");
            }
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }

        /** A length-prefixed byte string as a view of the buffer, not a copy. */
        ByteBuffer slice() {
            int n = i32();
            if (n < 0 || n > buf.remaining()) {
                throw new CodecException("bad length " + n + " with " + buf.remaining() + " bytes left");
            }
            ByteBuffer view = buf.slice(buf.position(), n);
            buf.position(buf.position() + n);
            return view;
        }

        /** A count of items of at least {@code minBytes} each, checked against what is left. */
        int count(int minBytes) {
            int n = i32();
            if (n < 0 || n > buf.remaining() / minBytes) {
                throw new CodecException("bad count " + n + " with " + buf.remaining() + " bytes left");
            }
            return n;
        }

        List<TxnOp> ops() {
            int n = count(5);
            List<TxnOp> ops = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte op = tag();
                ops.add(switch (op) {
                    case OP_PUT -> {
                        byte[] key = bytes();
                        byte[] value = bytes();
                        yield new TxnOp.Put(key, value, i64());
                    }
                    case OP_DELETE -> new TxnOp.Delete(bytes());
                    case OP_GET -> new TxnOp.Get(bytes());
                    case OP_DELETE_PREFIX -> new TxnOp.DeletePrefix(bytes());
                    default -> throw new CodecException("not an operation: tag " + op);
                });
            }
            return ops;
        }

        Precondition precondition() {
            Precondition.Kind kind = enumValue(Precondition.Kind.values());
            int n = i32();
            if (n < 0 || n > buf.remaining() / Long.BYTES) {
                throw new CodecException("bad revision count " + n);
            }
            List<Long> revisions = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                revisions.add(i64());
            }
            return new Precondition(kind, revisions);
        }

        private byte get() {
            try {
                return buf.get();
            } catch (BufferUnderflowException e) {
                throw new CodecException("truncated");
            }
        }
    }
}
