package io.ordinal.client;

import io.ordinal.command.OrdinalException;

/**
 * The cluster did not answer within the request deadline: no leader, no quorum, or every replica
 * unreachable. For a write, the outcome is unknown: it may or may not have been applied.
 */
public class UnavailableException extends OrdinalException {
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
