package io.ordinal.security;

import java.nio.charset.StandardCharsets;

/**
 * A grant: {@code access} on every key that starts with {@code prefix} (and every prefix that does:
 * a grant on {@code app/} covers listing {@code app/x/}). The prefix {@code ""} is every key.
 */
public record Permission(String prefix, Access access) {

    /** Whether this grant allows {@code needed} on {@code target} (a key, or a listed or watched prefix). */
    public boolean allows(Access needed, byte[] target) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        return access.allows(needed) && target.length >= p.length
                && java.util.Arrays.equals(target, 0, p.length, p, 0, p.length);
    }
}
