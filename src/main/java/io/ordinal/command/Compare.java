package io.ordinal.command;

import java.util.Arrays;

/**
 * One condition of a transaction, on one key, as etcd's {@code Compare}: the key's modRevision,
 * createRevision (both 0 when the key is absent), value, or existence, against an operand.
 *
 * @param number the operand of a revision compare; for {@link Target#EXISTS} 1 (exists) or 0 (absent)
 * @param value  the operand of a value compare (null otherwise)
 */
public record Compare(byte[] key, Target target, Op op, long number, byte[] value) {

    public enum Target { MOD_REVISION, CREATE_REVISION, VALUE, EXISTS }

    public enum Op { EQUAL, NOT_EQUAL, LESS, GREATER }

    /**
     * Whether the compare holds for the key's current state. As in etcd, a value compare on an absent
     * key never holds (whatever the operator); revision compares see 0 for an absent key.
     *
     * @param currentValue the key's value, null when the key is absent
     */
    public boolean holds(byte[] currentValue, long modRevision, long createRevision) {
        boolean exists = currentValue != null;
        return switch (target) {
            case MOD_REVISION -> compare(Long.compare(exists ? modRevision : 0, number));
            case CREATE_REVISION -> compare(Long.compare(exists ? createRevision : 0, number));
            case EXISTS -> compare(Long.compare(exists ? 1 : 0, number));
            case VALUE -> exists && compare(Arrays.compareUnsigned(currentValue, value));
        };
    }

    private boolean compare(int c) {
        return switch (op) {
            case EQUAL -> c == 0;
            case NOT_EQUAL -> c != 0;
            case LESS -> c < 0;
            case GREATER -> c > 0;
        };
    }
}
