package io.ordinal.command;

import java.util.Collection;
import java.util.List;

/**
 * The condition a write is applied under. Decided by the state machine, in log order, against the
 * key's current modRevision — never by the frontend.
 *
 * @param kind      what is compared
 * @param revisions for {@link Kind#MOD_REVISION_IN}: the accepted modRevisions (may be empty: never holds)
 */
public record Precondition(Kind kind, List<Long> revisions) {

    public enum Kind {
        /** Apply unconditionally. */
        NONE,
        /** {@code If-Match: "N"} or {@code "N", "M"}: the key exists and its modRevision is one of these. */
        MOD_REVISION_IN,
        /** {@code If-Match: *}: the key exists. */
        EXISTS,
        /** {@code If-None-Match: *}: the key does not exist (create-only). */
        ABSENT
    }

    public static final Precondition NONE = new Precondition(Kind.NONE, List.of());
    public static final Precondition EXISTS = new Precondition(Kind.EXISTS, List.of());
    public static final Precondition ABSENT = new Precondition(Kind.ABSENT, List.of());

    public Precondition {
        revisions = List.copyOf(revisions);
    }

    public static Precondition modRevisionIs(long revision) {
        return new Precondition(Kind.MOD_REVISION_IN, List.of(revision));
    }

    public static Precondition modRevisionIn(Collection<Long> revisions) {
        return new Precondition(Kind.MOD_REVISION_IN, List.copyOf(revisions));
    }

    /** @param currentRevision the key's modRevision, 0 when it is absent */
    public boolean holds(long currentRevision) {
        return switch (kind) {
            case NONE -> true;
            case MOD_REVISION_IN -> currentRevision != 0 && revisions.contains(currentRevision);
            case EXISTS -> currentRevision != 0;
            case ABSENT -> currentRevision == 0;
        };
    }

    public boolean isConditional() {
        return kind != Kind.NONE;
    }
}
