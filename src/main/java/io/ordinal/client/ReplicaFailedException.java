package io.ordinal.client;

import io.ordinal.command.OrdinalException;

/**
 * A replica answered, but with a failure: its state machine threw while it applied a command or
 * answered a query (a {@code StateMachineException}), or its answer does not fit the request. A failure
 * of ours, not a cluster that did not answer ({@link UnavailableException}); the Ratis exception stays
 * the cause, for the log, and never reaches the HTTP layer as a type.
 */
public class ReplicaFailedException extends OrdinalException {
    public ReplicaFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
