package io.ordinal.command;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The fields every format of this package is made of: tag bytes, big-endian fixed-width numbers,
 * and byte strings prefixed with their length (-1: null). A reader checks each length and count
 * against the bytes left, so that bad bytes give a {@link CodecException}, never a huge allocation.
 */
final class ByteFields {

    private ByteFields() {
    }

    static final class Writer {
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

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    static final class Reader {
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

        long i64() {
            try {
                return buf.getLong();
            } catch (BufferUnderflowException e) {
                throw new CodecException("truncated");
            }
        }

        /** The bytes not read yet. */
        ByteBuffer rest() {
            return buf.slice();
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

        private byte get() {
            try {
                return buf.get();
            } catch (BufferUnderflowException e) {
                throw new CodecException("truncated");
            }
        }
    }
}
