package io.ordinal.security;

import java.util.List;

/** A named set of grants, stored under its name; {@code root}, built in, may do everything. */
public record Role(String name, List<Permission> permissions) {

    public static final String ROOT = "root";

    public Role {
        permissions = List.copyOf(permissions);
    }
}
