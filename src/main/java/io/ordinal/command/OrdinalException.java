package io.ordinal.command;

/**
 * A failure the layers tell each other about, as opposed to a programming error (an
 * {@link IllegalStateException} or {@link IllegalArgumentException}, which stays one). Every layer
 * throws its own subtype: a request the API refuses, a cluster that did not answer, a replica or its
 * store that failed, bytes that are not a valid encoding. {@code api.ProblemMapper} maps them, by type,
 * to the status and problem body they answer, in one place.
 *
 * <p>Here, in the package every other one may depend on (it depends on none), so that no layer needs
 * another's exceptions and no package cycle appears.
 */
public abstract class OrdinalException extends RuntimeException {

    protected OrdinalException(String message) {
        super(message);
    }

    protected OrdinalException(String message, Throwable cause) {
        super(message, cause);
    }
}
