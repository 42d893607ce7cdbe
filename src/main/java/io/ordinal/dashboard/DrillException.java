package io.ordinal.dashboard;

import io.ordinal.command.OrdinalException;

/** A drill that cannot run or did not work; the API maps {@link Reason} to a status. */
public class DrillException extends OrdinalException {

    public enum Reason {
        /** Drills are off: this frontend was not started by bin/kv-local. */
        DISABLED,
        /** No drill has that name. */
        UNKNOWN,
        /** Not now: another drill is running, or the cluster has no pod to act on (no leader, no follower). */
        CONFLICT,
        /** bin/kv-local failed. */
        FAILED
    }

    private final Reason reason;

    public DrillException(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
