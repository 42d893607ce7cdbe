package io.ordinal.security;

import java.time.Instant;

/** What a verified bearer JWT proves: its subject (e.g. {@code system:serviceaccount:team-a:api}) until it expires. */
public record VerifiedJwt(String subject, Instant expiresAt) {
}
