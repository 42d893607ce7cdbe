package io.ordinal.history;

public enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    /** The search ran out of its budget before finding a linearization or ruling every one out. */
    UNDECIDED
}
