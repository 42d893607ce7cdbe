package io.ordinal.security;

import java.time.Instant;
import java.util.List;

/**
 * A token as the store keeps it: never its secret, only the SHA-256 of the whole token string.
 *
 * @param expiresAt null: it never expires
 */
public record TokenRecord(String id, String hash, List<String> roles, String description, Instant expiresAt) {

    public TokenRecord {
        roles = List.copyOf(roles);
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
