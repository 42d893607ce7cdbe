package io.ordinal.command;

import io.ordinal.command.ByteFields.Reader;
import io.ordinal.command.ByteFields.Writer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The format of a {@link Query}, from a frontend to a replica. Queries never enter the log, so this
 * format only has to be read by the release before and after (a rolling upgrade). Tags 10–17: apart
 * from the log's ({@link LogFormat}), so that a query sent as a command is refused.
 */
public final class QueryFormat {

    private static final byte GET = 10;
    private static final byte RANGE = 11;
    private static final byte CHANGES = 12;
    private static final byte STATUS = 13;
    private static final byte LEASE_INFO = 14;
    private static final byte GET_MANY = 15;
    private static final byte AT_LEADER = 16;
    private static final byte TERM = 17;

    private QueryFormat() {
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
}
