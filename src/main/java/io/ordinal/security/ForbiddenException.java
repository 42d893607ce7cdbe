package io.ordinal.security;

import io.ordinal.command.OrdinalException;

import java.util.Map;

/**
 * An authenticated request that its credential's roles do not allow: a {@code 403} problem that
 * names the missing permission ({@code missing}: what was needed, on what), nothing read or written.
 */
public class ForbiddenException extends OrdinalException {

    private final Map<String, String> missing;

    public ForbiddenException(String message, Map<String, String> missing) {
        super(message);
        this.missing = Map.copyOf(missing);
    }

    /** The missing permission: {@code access} and {@code key} or {@code prefix}, or the {@code role} needed. */
    public Map<String, String> missing() {
        return missing;
    }
}
