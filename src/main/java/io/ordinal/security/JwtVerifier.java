package io.ordinal.security;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Verifies Kubernetes service-account tokens (JWTs) against {@code ordinal.security.jwt.*}.
 * (A seam: the verification itself comes with its own change.)
 */
@ApplicationScoped
public class JwtVerifier {

    /** Whether JWTs are accepted at all ({@code ordinal.security.jwt.issuer} is set). */
    public boolean enabled() {
        return false;
    }

    /** The verified subject of {@code jwt}; an {@link AuthenticationException} saying why not otherwise. */
    public VerifiedJwt verify(String jwt) {
        throw new AuthenticationException("bearer JWTs are not accepted: ordinal.security.jwt.issuer is not set");
    }
}
