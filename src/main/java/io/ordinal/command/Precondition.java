package io.ordinal.command;

/**
 * The condition a write is applied under. Decided by the state machine, in log order, against the
 * key's current modRevision — never by the frontend.
 */
public record Precondition(Kind kind, long revision) {

    public enum Kind {
        /** Apply unconditionally. */
        NONE,
        /** {@code If-Match: "N"}: the key exists and its modRevision is N. */
        MOD_REVISION_IS,
        /** {@code If-Match: *}: the key exists. */
        EXISTS,
        /** {@code If-None-Match: *}: the key does not exist (create-only). */
        ABSENT
    }

    public static final Precondition NONE = new Precondition(Kind.NONE, 0);
    public static final Precondition EXISTS = new Precondition(Kind.EXISTS, 0);
    public static final Precondition ABSENT = new Precondition(Kind.ABSENT, 0);

    public static Precondition modRevisionIs(long revision) {
        return new Precondition(Kind.MOD_REVISION_IS, revision);
    }

    /** @param currentRevision the key's modRevision, 0 when it is absent */
    public boolean holds(long currentRevision) {
        return switch (kind) {
            case NONE -> true;
            case MOD_REVISION_IS -> currentRevision != 0 && currentRevision == revision;
            case EXISTS -> currentRevision != 0;
            case ABSENT -> currentRevision == 0;
        };
    }

    public boolean isConditional() {
        return kind != Kind.NONE;
    }
}
