package io.ordinal.storage;

import io.ordinal.command.Change;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Every byte layout in RocksDB, in one place. Numbers are 8-byte big-endian, so that they sort in
 * numeric order under RocksDB's bytewise comparator. Layouts are only ever added to: a database
 * written before a column family existed simply has it empty.
 * <ul>
 *   <li>column family {@code default} (meta): {@code appliedIndex} → log index of the last applied
 *       entry; {@code revision} → revision of the last successful write; {@code historyStart} → the
 *       oldest revision whose changes {@code changes} still holds ({@code oldestRevision} in the code) (absent: the revision after the one
 *       the store had when it was first opened with history); {@code historyBytes} → the bytes of keys
 *       and values {@code changes} holds; {@code historyRetention} → {@code revisions (8) | bytes (8)}: the
 *       history's retention, as the log last set it (absent: {@link HistoryRetention#DEFAULT});
 *       {@code leaseKeys | id (8)} → how many keys lease {@code id}
 *       holds (absent for a lease granted before it was counted: then its {@code lease_keys} are
 *       counted once);</li>
 *   <li>{@code kv}: key bytes → {@code modRevision (8) | createRevision (8) | value};</li>
 *   <li>{@code changes}: the history of changes for watches, {@code revision (8) | seq (4)} → {@code
 *       type (1: 0 put, 1 delete) | key length (4) | key | value (puts only)}; {@code seq} numbers the
 *       changes of one revision from 0, in the order they were made;</li>
 *   <li>{@code leases}: {@code id (8)} → {@code ttlSeconds (8) | renewedIndex (8)}: the log index of the
 *       lease's last grant or keepalive, which a fenced expiry is checked against; a value of the ttl
 *       alone was written before renewals were kept, and counts as renewed by the grant, whose index is
 *       the id;</li>
 *   <li>{@code lease_keys}: {@code id (8) | key} → empty: the keys attached to each lease;</li>
 *   <li>{@code key_leases}: key → {@code id (8)}: the lease of each key that has one;</li>
 *   <li>{@code calls}: {@code clientId (16) | callId (8)} → {@code leaderMillis (8) | reply}: the
 *       recently applied client calls and their encoded replies ({@link AppliedCalls});</li>
 *   <li>{@code call_times}: {@code leaderMillis (8) | clientId (16) | callId (8)} → empty: the same
 *       calls in the order they expire.</li>
 * </ul>
 */
final class Schema {

    static final byte[] KV_FAMILY = bytes("kv");
    static final byte[] CHANGES_FAMILY = bytes("changes");
    static final byte[] LEASES_FAMILY = bytes("leases");
    static final byte[] LEASE_KEYS_FAMILY = bytes("lease_keys");
    static final byte[] KEY_LEASES_FAMILY = bytes("key_leases");
    static final byte[] CALLS_FAMILY = bytes("calls");
    static final byte[] CALL_TIMES_FAMILY = bytes("call_times");
    static final byte[] APPLIED_INDEX = bytes("appliedIndex");
    static final byte[] REVISION = bytes("revision");
    /** The oldest revision the history holds; the key keeps the name it was first written under. */
    static final byte[] OLDEST_REVISION = bytes("historyStart");
    static final byte[] HISTORY_BYTES = bytes("historyBytes");
    static final byte[] HISTORY_RETENTION = bytes("historyRetention");
    private static final byte[] LEASE_KEY_COUNT = bytes("leaseKeys");
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

    /** Key of the {@code seq}-th change of {@code revision} in {@code changes}. */
    static byte[] changeKey(long revision, int seq) {
        return ByteBuffer.allocate(12).putLong(revision).putInt(seq).array();
    }

    static long changeRevision(byte[] changeKey) {
        return ByteBuffer.wrap(changeKey).getLong(0);
    }

    static int changeSeq(byte[] changeKey) {
        return ByteBuffer.wrap(changeKey).getInt(8);
    }

    static byte[] encodeChange(Change change) {
        byte[] value = change.value() == null ? new byte[0] : change.value();
        return ByteBuffer.allocate(1 + 4 + change.key().length + value.length)
                .put((byte) change.type().ordinal()).putInt(change.key().length).put(change.key()).put(value).array();
    }

    /** The key of a stored change, without copying its value. */
    static byte[] changedKey(byte[] stored) {
        int length = ByteBuffer.wrap(stored).getInt(1);
        return Arrays.copyOfRange(stored, 5, 5 + length);
    }

    static Change decodeChange(byte[] changeKey, byte[] stored) {
        ByteBuffer b = ByteBuffer.wrap(stored);
        Change.Type type = Change.Type.values()[b.get()];
        byte[] key = new byte[b.getInt()];
        b.get(key);
        byte[] value = null;
        if (type == Change.Type.PUT) {
            value = new byte[b.remaining()];
            b.get(value);
        }
        return new Change(type, key, value, changeRevision(changeKey));
    }

    static byte[] encodeLease(long ttlSeconds, long renewedIndex) {
        return ByteBuffer.allocate(16).putLong(ttlSeconds).putLong(renewedIndex).array();
    }

    static long leaseTtl(byte[] stored) {
        return ByteBuffer.wrap(stored).getLong(0);
    }

    static long leaseRenewedIndex(long id, byte[] stored) {
        return stored.length < 16 ? id : ByteBuffer.wrap(stored).getLong(8);
    }

    static byte[] encodeRetention(HistoryRetention retention) {
        return ByteBuffer.allocate(16).putLong(retention.revisions()).putLong(retention.bytes()).array();
    }

    static HistoryRetention decodeRetention(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        return new HistoryRetention(buf.getLong(), buf.getLong());
    }

    /** Key of {@code key}'s entry under lease {@code id} in {@code lease_keys}. */
    static byte[] leaseKey(long id, byte[] key) {
        return ByteBuffer.allocate(8 + key.length).putLong(id).put(key).array();
    }

    /** Key, in meta, of how many keys lease {@code id} holds. */
    static byte[] leaseKeyCount(long id) {
        return ByteBuffer.allocate(LEASE_KEY_COUNT.length + 8).put(LEASE_KEY_COUNT).putLong(id).array();
    }

    static byte[] leaseKeyToKey(byte[] leaseKey) {
        return Arrays.copyOfRange(leaseKey, 8, leaseKey.length);
    }

    /** Key of a call in {@code calls}. */
    static byte[] callKey(ClientCall call) {
        return ByteBuffer.allocate(call.clientId().length + 8).put(call.clientId()).putLong(call.callId()).array();
    }

    /** Key of a call, recorded at {@code leaderMillis}, in {@code call_times}. */
    static byte[] callTimeKey(long leaderMillis, ClientCall call) {
        return ByteBuffer.allocate(8 + call.clientId().length + 8).putLong(leaderMillis).put(call.clientId())
                .putLong(call.callId()).array();
    }

    /** The key in {@code calls} of the call that a {@code call_times} key names. */
    static byte[] callKeyOfTimeKey(byte[] callTimeKey) {
        return Arrays.copyOfRange(callTimeKey, 8, callTimeKey.length);
    }

    static byte[] encodeCall(long leaderMillis, byte[] reply) {
        return ByteBuffer.allocate(8 + reply.length).putLong(leaderMillis).put(reply).array();
    }

    static byte[] callReply(byte[] stored) {
        return Arrays.copyOfRange(stored, 8, stored.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
