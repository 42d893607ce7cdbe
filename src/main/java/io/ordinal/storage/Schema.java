package io.ordinal.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Every byte layout in RocksDB, in one place.
 * <ul>
 *   <li>column family {@code default} (meta): {@code appliedIndex} → 8-byte big-endian log index of the
 *       last applied entry; {@code revision} → 8-byte big-endian revision of the last successful write;</li>
 *   <li>column family {@code kv}: key bytes → {@code modRevision (8) | createRevision (8) | value}.</li>
 * </ul>
 */
final class Schema {

    static final byte[] KV_FAMILY = "kv".getBytes(StandardCharsets.UTF_8);
    static final byte[] APPLIED_INDEX = "appliedIndex".getBytes(StandardCharsets.UTF_8);
    static final byte[] REVISION = "revision".getBytes(StandardCharsets.UTF_8);
    private static final int HEADER = 16;

    private Schema() {
    }

    static byte[] encodeValue(long modRevision, long createRevision, byte[] value) {
        return ByteBuffer.allocate(HEADER + value.length)
                .putLong(modRevision).putLong(createRevision).put(value).array();
    }

    static long modRevision(byte[] stored) {
        return ByteBuffer.wrap(stored).getLong(0);
    }

    static long createRevision(byte[] stored) {
        return ByteBuffer.wrap(stored).getLong(8);
    }

    static byte[] value(byte[] stored) {
        return Arrays.copyOfRange(stored, HEADER, stored.length);
    }

    static byte[] encodeLong(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long decodeLong(byte[] b) {
        return ByteBuffer.wrap(b).getLong();
    }
}
