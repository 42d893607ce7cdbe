package io.ordinal.security;

import java.util.List;

/**
 * Who made a request and what their roles allow, resolved when it was authenticated.
 *
 * @param subject     {@code root} for the root token, {@code token:<id>} for a token of the store, a JWT's {@code sub}
 * @param roles       the role names the credential holds (a deleted role stays named, and grants nothing)
 * @param permissions the grants of those roles that exist
 */
public record Principal(String subject, List<String> roles, List<Permission> permissions) {

    /** The root token's holder. */
    public static final Principal ROOT = new Principal(Role.ROOT, List.of(Role.ROOT), List.of());

    public Principal {
        roles = List.copyOf(roles);
        permissions = List.copyOf(permissions);
    }

    public boolean isRoot() {
        return roles.contains(Role.ROOT);
    }

    /** The grants to show: root's is {@code readwrite} on {@code ""}, every key. */
    public List<Permission> effectivePermissions() {
        return isRoot() ? List.of(new Permission("", Access.READWRITE)) : permissions;
    }
}
