package io.ordinal.security;

import io.ordinal.command.OrdinalException;

/**
 * A request whose bearer credential is missing, malformed, unknown, expired or revoked: a {@code 401}
 * with {@code WWW-Authenticate: Bearer}. The message says which, and never holds the credential.
 */
public class AuthenticationException extends OrdinalException {

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
