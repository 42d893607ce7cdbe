package io.ordinal.security;

import io.ordinal.client.UnavailableException;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Who sent a request, from its {@code Authorization} header, in one place: the root token (from
 * {@code ordinal.security.root-token-file}, compared in constant time), a token of the store (its hash
 * compared in constant time, its expiry checked), or a service-account JWT (verified by
 * {@link JwtVerifier}; its subject's roles come from bindings). Anything else is an
 * {@link AuthenticationException} that says why, and never repeats the credential.
 */
public final class Authenticator {

    private static final String SCHEME = "bearer";

    /** The root token's SHA-256 (null: no root token): only a digest is kept, and compared. */
    private final byte[] rootDigest;
    private final AuthCache cache;
    private final Function<String, VerifiedJwt> jwts;

    /**
     * @param jwts verifies a JWT (blocking: it may fetch keys), throwing {@link AuthenticationException}
     */
    public Authenticator(String rootToken, AuthCache cache, Function<String, VerifiedJwt> jwts) {
        this.rootDigest = rootToken == null ? null : Tokens.sha256(rootToken);
        this.cache = cache;
        this.jwts = jwts;
    }

    /** The bearer credential of a request's {@code Authorization} headers (all of them, as sent). */
    public static String credential(List<String> authorization) {
        if (authorization.isEmpty()) {
            throw new AuthenticationException("the request has no Authorization header; every request needs "
                    + "'Authorization: Bearer <token>'");
        }
        if (authorization.size() > 1) {
            throw new AuthenticationException("the request has " + authorization.size()
                    + " Authorization headers; send one, 'Authorization: Bearer <token>'");
        }
        String header = authorization.get(0);
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            throw new AuthenticationException("the Authorization header is not a Bearer credential; send "
                    + "'Authorization: Bearer <token>'");
        }
        String token = header.substring(space + 1).strip();
        if (token.isEmpty()) {
            throw new AuthenticationException("the Authorization header has no token after 'Bearer'");
        }
        if (token.length() > Tokens.MAX_LENGTH) {
            throw new AuthenticationException("the bearer token is " + token.length() + " characters long; no token "
                    + "of this cluster is longer than " + Tokens.MAX_LENGTH);
        }
        return token;
    }

    /** Whether {@code token} is a JWT, whose verification may block (keys fetched from the issuer). */
    public boolean needsBlocking(String token) {
        return !isRoot(token) && Tokens.isJwt(token);
    }

    /**
     * The principal {@code token} stands for: completes with an {@link AuthenticationException} when it
     * stands for none, or an {@link UnavailableException} when the access records could not be confirmed
     * current (the cluster did not answer): a refusal then, not a guess on stale records.
     */
    public CompletableFuture<Principal> authenticate(String token) {
        try {
            if (isRoot(token)) {
                return CompletableFuture.completedFuture(Principal.ROOT);
            }
            if (!Tokens.isBearerCredential(token)) {
                throw new AuthenticationException("the bearer token has characters no token has; a token is "
                        + "letters, digits and - . _ ~ + / (RFC 6750)");
            }
            if (Tokens.isOpaque(token)) {
                return opaque(token);
            }
            if (Tokens.isJwt(token)) {
                VerifiedJwt jwt = jwts.apply(token);
                requireCurrent();
                return CompletableFuture.completedFuture(cache.principal(jwt.subject(), cache.rolesOf(jwt.subject())));
            }
            throw new AuthenticationException("the bearer token is neither a token of this cluster (<16 hex digits>."
                    + "<43 base64url characters>) nor a JWT");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Principal> opaque(String token) {
        requireCurrent();
        String id = Tokens.idOf(token);
        return cache.tokenOrFetch(id).thenApply(found -> {
            TokenRecord t = found.filter(r -> Tokens.matches(token, r.hash())).orElseThrow(() ->
                    new AuthenticationException("the bearer token is unknown: it was never issued, or it was revoked"));
            if (t.expiredAt(Instant.now())) {
                throw new AuthenticationException("the bearer token " + id + " expired at " + t.expiresAt());
            }
            return cache.principal("token:" + id, t.roles());
        });
    }

    private boolean isRoot(String token) {
        return rootDigest != null && Tokens.hasDigest(token, rootDigest);
    }

    private void requireCurrent() {
        if (!cache.current()) {
            throw new UnavailableException("the access records could not be confirmed current: no replica answered "
                    + "in time", null);
        }
    }
}
