package io.ordinal.security;

import io.ordinal.command.OrdinalException;

import java.util.List;

/** A token or binding that names roles that do not exist: a {@code 400}, nothing written. */
public class UnknownRoleException extends OrdinalException {

    private final List<String> roles;

    public UnknownRoleException(List<String> roles) {
        super("no such role: " + String.join(", ", roles) + "; create it first (PUT /v1/auth/roles/{name})");
        this.roles = List.copyOf(roles);
    }

    public List<String> roles() {
        return roles;
    }
}
