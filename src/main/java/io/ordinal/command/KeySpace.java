package io.ordinal.command;

import java.util.Arrays;

/**
 * The store's two key spaces. Keys of the API are valid UTF-8, so none starts with the byte
 * {@code 0xFF}, which UTF-8 never uses: keys that start with it are the system's own (the access
 * records of {@code io.ordinal.security}), written through the log like every key, and out of the
 * API's reach. No API key names one, and a prefix of the API never covers one: listing, watching
 * or deleting the prefix {@code ""} sees user keys only. (0xFF also sorts last, so a scan of
 * {@code ""} meets them only at its end.)
 */
public final class KeySpace {

    /** The first byte of every system key. */
    public static final byte SYSTEM = (byte) 0xFF;

    private KeySpace() {
    }

    public static boolean isSystem(byte[] key) {
        return key.length > 0 && key[0] == SYSTEM;
    }

    /**
     * Whether {@code key} is under {@code prefix} as listings, watches and deletePrefix see it: it
     * starts with it, and a prefix outside the system space never covers a system key.
     */
    public static boolean covers(byte[] prefix, byte[] key) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)
                && (!isSystem(key) || isSystem(prefix));
    }
}
