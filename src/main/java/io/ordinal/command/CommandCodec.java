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
    private static final byte GET = 10;
    private static final byte RANGE = 11;
    private static final byte WRITE_RESULT = 20;
    private static final byte GET_RESULT = 21;
    private static final byte RANGE_RESULT = 22;

    private CommandCodec() {
    }

    public static byte[] encode(Command command) {
        Writer w = new Writer();
        if (command instanceof Command.Put put) {
            w.tag(PUT).precondition(put.precondition()).bytes(put.key()).bytes(put.value());
        } else if (command instanceof Command.Delete delete) {
            w.tag(DELETE).precondition(delete.precondition()).bytes(delete.key());
        } else if (command instanceof Command.Barrier) {
            w.tag(BARRIER);
        } else {
            throw new IllegalArgumentException("unknown command " + command);
        }
        return w.toByteArray();
    }

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
            default -> throw new CodecException("not a command: tag " + tag);
        };
    }

    public static byte[] encode(Query query) {
        Writer w = new Writer();
        if (query instanceof Query.Get get) {
            w.tag(GET).bytes(get.key());
        } else if (query instanceof Query.Range range) {
            w.tag(RANGE).bytes(range.prefix()).nullableBytes(range.after())
                    .i32(range.limit()).bool(range.keysOnly());
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
            case RANGE -> {
                byte[] prefix = r.bytes();
                byte[] after = r.nullableBytes();
                int limit = r.i32();
                yield new Query.Range(prefix, after, limit, r.bool());
            }
            default -> throw new CodecException("not a query: tag " + tag);
        };
    }

    public static byte[] encode(WriteResult result) {
        return new Writer().tag(WRITE_RESULT).i8(result.outcome().ordinal())
                .i64(result.revision()).i64(result.previousRevision()).toByteArray();
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
