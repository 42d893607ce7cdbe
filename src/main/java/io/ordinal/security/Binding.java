package io.ordinal.security;

import java.util.List;

/** Roles for a JWT subject (a Kubernetes service account, {@code system:serviceaccount:<ns>:<name>}). */
public record Binding(String name, String subject, List<String> roles) {

    public Binding {
        roles = List.copyOf(roles);
    }
}
