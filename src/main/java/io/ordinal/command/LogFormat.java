package io.ordinal.command;

import io.ordinal.command.ByteFields.Reader;
import io.ordinal.command.ByteFields.Writer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The format of the Raft log: the {@link Command}s a client sends, and the entries the leader makes
 * of them ({@link StampedCommand}). Entries are kept in the log and replayed after a restart, so
 * what is written here must be readable by every later release: never reuse or renumber a tag.
 *
 * <p>A command is a tag byte, then fixed-width numbers and length-prefixed byte strings
 * ({@link ByteFields}). Tags: 1–9, 18 and 40 are commands; 50 is the stamp of the release before
 * versions. Queries ({@link QueryFormat}, 10–17) and answers ({@link ResultFormat}, 20–31) use other
 * tags, so that bytes of one kind are never read as another.
 *
 * <p>A log entry, as the leader appends it ({@link #stampHeader}):
 * <pre>
 *   0x81                 the format version: high bit set, version 1 in the low seven bits
 *   leaderMillis   i64   the leader's clock when it appended the entry
 *   command              the client's command, byte for byte as it was sent
 * </pre>
 * Entries of earlier releases have no version byte; they start with a tag, which is always below
 * 0x80, and are still read: {@code 50, leaderMillis, command} (stamped), or the command alone
 * (from before stamps). A first byte with the high bit set and another version is refused with a
 * {@link CodecException}, never guessed at. A replica of a release before versions reads a versioned
 * entry as an unknown command tag and fails to apply it: replicas must all run a release that reads
 * a version before any leader writes it (a rolling upgrade has to order this; not solved here).
 */
public final class LogFormat {

    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final byte BARRIER = 3;
    private static final byte PUT_WITH_LEASE = 4;
    private static final byte TXN = 5;
    private static final byte LEASE_GRANT = 6;
    private static final byte LEASE_KEEP_ALIVE = 7;
    private static final byte LEASE_REVOKE = 8;
    private static final byte BATCH = 9;
    private static final byte LEASE_EXPIRE = 18;
    private static final byte SET_HISTORY_RETENTION = 40;
    /** An entry of the release before versions: the leader's clock, then the command (read, never written). */
    private static final byte STAMPED = 50;
    /** The first byte of every entry written now; any other byte with the high bit set is a version unknown here. */
    private static final byte FORMAT_V1 = (byte) 0x81;
    private static final int VERSIONED = 0x80;

    /** Transaction operations, inside a {@link #TXN} entry; their results in a transaction's answer too. */
    static final byte OP_PUT = 1;
    static final byte OP_DELETE = 2;
    static final byte OP_GET = 3;
    static final byte OP_DELETE_PREFIX = 4;

    private LogFormat() {
    }

    public static byte[] encode(Command command) {
        Writer w = new Writer();
        if (command instanceof Command.Put put && put.lease() == 0) {
            precondition(w.tag(PUT), put.precondition()).bytes(put.key()).bytes(put.value());
        } else if (command instanceof Command.Put put) {
            precondition(w.tag(PUT_WITH_LEASE), put.precondition()).bytes(put.key()).bytes(put.value()).i64(put.lease());
        } else if (command instanceof Command.Delete delete) {
            precondition(w.tag(DELETE), delete.precondition()).bytes(delete.key());
        } else if (command instanceof Command.Batch batch) {
            return encodeBatch(batch.writes().stream().map(LogFormat::encode).toList());
        } else if (command instanceof Command.Barrier) {
            w.tag(BARRIER);
        } else if (command instanceof Command.Txn txn) {
            w.tag(TXN).i32(txn.compares().size());
            for (Compare c : txn.compares()) {
                w.bytes(c.key()).i8(c.target().ordinal()).i8(c.op().ordinal()).i64(c.number()).nullableBytes(c.value());
            }
            ops(ops(w, txn.success()), txn.failure());
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
     * What the leader puts in front of a client's command when it appends it to the log: the format
     * version, and its clock in milliseconds since the epoch ({@link StampedCommand}). The command's
     * own bytes follow as they were sent, uncopied.
     */
    public static byte[] stampHeader(long leaderMillis) {
        return new Writer().tag(FORMAT_V1).i64(leaderMillis).toByteArray();
    }

    /** A log entry's command, and the leader's clock when it was appended (-1 if it was not stamped). */
    public static StampedCommand decodeLogEntry(ByteBuffer entry) {
        byte first = entry.remaining() > 0 ? entry.get(entry.position()) : 0;
        if ((first & VERSIONED) == 0 && first != STAMPED) {
            return new StampedCommand(-1, decodeCommand(entry));
        }
        if ((first & VERSIONED) != 0 && first != FORMAT_V1) {
            throw new CodecException("a log entry of log format version " + version(first)
                    + ", which this release cannot read (it reads version " + version(FORMAT_V1) + ")");
        }
        Reader r = new Reader(entry);
        r.tag();
        long leaderMillis = r.i64();
        return new StampedCommand(leaderMillis, decodeCommand(r.rest()));
    }

    private static int version(byte first) {
        return first & 0x7f;
    }

    /** A command as a client sends it (never stamped: only the leader stamps). */
    public static Command decodeCommand(ByteBuffer buf) {
        Reader r = new Reader(buf);
        byte tag = r.tag();
        return switch (tag) {
            case PUT -> {
                Precondition p = precondition(r);
                byte[] key = r.bytes();
                yield new Command.Put(key, r.bytes(), p);
            }
            case DELETE -> {
                Precondition p = precondition(r);
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
                Precondition p = precondition(r);
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
                List<TxnOp> success = ops(r);
                yield new Command.Txn(compares, success, ops(r));
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

    private static Writer precondition(Writer w, Precondition p) {
        w.i8(p.kind().ordinal()).i32(p.revisions().size());
        p.revisions().forEach(w::i64);
        return w;
    }

    private static Precondition precondition(Reader r) {
        Precondition.Kind kind = r.enumValue(Precondition.Kind.values());
        int n = r.count(Long.BYTES);
        List<Long> revisions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            revisions.add(r.i64());
        }
        return new Precondition(kind, revisions);
    }

    private static Writer ops(Writer w, List<TxnOp> ops) {
        w.i32(ops.size());
        for (TxnOp op : ops) {
            if (op instanceof TxnOp.Put put) {
                w.i8(OP_PUT).bytes(put.key()).bytes(put.value()).i64(put.lease());
            } else if (op instanceof TxnOp.Delete delete) {
                w.i8(OP_DELETE).bytes(delete.key());
            } else if (op instanceof TxnOp.Get get) {
                w.i8(OP_GET).bytes(get.key());
            } else {
                w.i8(OP_DELETE_PREFIX).bytes(((TxnOp.DeletePrefix) op).prefix());
            }
        }
        return w;
    }

    private static List<TxnOp> ops(Reader r) {
        int n = r.count(5);
        List<TxnOp> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte op = r.tag();
            ops.add(switch (op) {
                case OP_PUT -> {
                    byte[] key = r.bytes();
                    byte[] value = r.bytes();
                    yield new TxnOp.Put(key, value, r.i64());
                }
                case OP_DELETE -> new TxnOp.Delete(r.bytes());
                case OP_GET -> new TxnOp.Get(r.bytes());
                case OP_DELETE_PREFIX -> new TxnOp.DeletePrefix(r.bytes());
                default -> throw new CodecException("not an operation: tag " + op);
            });
        }
        return ops;
    }
}
