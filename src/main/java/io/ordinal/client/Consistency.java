package io.ordinal.client;

import java.util.Locale;

/** How fresh a read must be. */
public enum Consistency {
    /**
     * Reflects every write acknowledged before the read began: answered by a leader that a majority
     * confirms, or at a barrier entry ({@link ConfirmedReads}). The default.
     */
    LINEARIZABLE,
    /** Any replica's local state: may lag, never shows a value that was not written. */
    STALE;

    /** @return the consistency named by a query parameter, or null if the name is unknown */
    public static Consistency parse(String name) {
        if (name == null) {
            return LINEARIZABLE;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "linearizable" -> LINEARIZABLE;
            case "stale" -> STALE;
            default -> null;
        };
    }
}
