package io.ordinal.security;

import io.ordinal.config.OrdinalConfig;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies Kubernetes service-account tokens (JWTs) against {@code ordinal.security.jwt.*}, with SmallRye
 * JWT (jose4j underneath): the signature with a key of the issuer's key set (JWKS), {@code iss}, {@code aud},
 * {@code exp}, {@code nbf} and {@code iat} with {@link #CLOCK_SKEW_SECONDS} of allowance, and a {@code sub}.
 * Only asymmetric signatures are accepted: a JWKS holds the issuer's public keys, so an HMAC-signed token
 * (whose "key" anyone holding the JWKS has) and an unsigned one ({@code alg: none}) are refused before any
 * key is looked at. The key set is loaded once, at the first JWT, and kept: from a file for good (a new
 * file is read at the next start), from a URL refreshed every {@link #JWKS_REFRESH_MINUTES} minutes and,
 * when a token names a key id the set lacks (the issuer rotated its keys), at most once a minute sooner.
 */
@ApplicationScoped
public class JwtVerifier {

    /** How far the clocks of the issuer and of this process may disagree, for exp, nbf and iat. */
    public static final int CLOCK_SKEW_SECONDS = 30;
    static final int JWKS_REFRESH_MINUTES = 10;
    private static final Set<SignatureAlgorithm> ASYMMETRIC = EnumSet.complementOf(
            EnumSet.of(SignatureAlgorithm.HS256, SignatureAlgorithm.HS384, SignatureAlgorithm.HS512));

    private final Optional<String> issuer;
    private final String audience;
    private final JWTParser parser;

    @Inject
    public JwtVerifier(OrdinalConfig config) {
        OrdinalConfig.Security.Jwt jwt = config.security().jwt();
        this.issuer = jwt.issuer();
        this.audience = jwt.audience();
        this.parser = issuer.isPresent() && jwt.jwksLocation().isPresent()
                ? new DefaultJWTParser(context(issuer.get(), jwt.jwksLocation().get(), audience))
                : null;
    }

    private static JWTAuthContextInfo context(String issuer, String jwksLocation, String audience) {
        JWTAuthContextInfo context = new JWTAuthContextInfo(keyLocation(jwksLocation), issuer);
        context.setExpectedAudience(Set.of(audience));
        context.setSignatureAlgorithm(ASYMMETRIC);
        context.setClockSkew(CLOCK_SKEW_SECONDS);
        context.setJwksRefreshInterval(JWKS_REFRESH_MINUTES);
        context.setForcedJwksRefreshInterval(1);
        context.setRequireNamedPrincipal(false); // the subject is sub alone (not upn): checked below
        return context;
    }

    /** SmallRye reads a URL as it is and a file as a {@code file:} URL; a bare path would be a class-path resource. */
    static String keyLocation(String jwksLocation) {
        if (jwksLocation.startsWith("https://") || jwksLocation.startsWith("http://")
                || jwksLocation.startsWith("file:")) {
            return jwksLocation;
        }
        return Path.of(jwksLocation).toAbsolutePath().toUri().toString();
    }

    /** Whether JWTs are accepted at all ({@code ordinal.security.jwt.issuer} is set). */
    public boolean enabled() {
        return parser != null;
    }

    /** The verified subject of {@code jwt}; an {@link AuthenticationException} saying why not otherwise. */
    public VerifiedJwt verify(String jwt) {
        if (parser == null) {
            throw new AuthenticationException("bearer JWTs are not accepted: ordinal.security.jwt.issuer is not set");
        }
        JsonWebToken verified;
        try {
            verified = parser.parse(jwt);
        } catch (ParseException e) {
            // The library's own messages may quote the token's header and claims: only ours goes out.
            throw new AuthenticationException(reason(jwt, e));
        } catch (RuntimeException e) {
            throw new AuthenticationException("the bearer JWT is not well-formed");
        }
        String subject = verified.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new AuthenticationException("the bearer JWT has no subject (sub): it names no one to authorize");
        }
        return new VerifiedJwt(subject, Instant.ofEpochSecond(verified.getExpirationTime()));
    }

    private String reason(String jwt, ParseException e) {
        Optional<String> algorithm = algorithm(jwt);
        if (algorithm.isPresent() && ASYMMETRIC.stream().noneMatch(a -> a.getAlgorithm().equals(algorithm.get()))) {
            return algorithmReason(algorithm.get());
        }
        Throwable cause = e.getCause();
        if (cause instanceof InvalidJwtException invalid && !(invalid.getCause() instanceof UnresolvableKeyException)) {
            return claimReason(invalid);
        }
        if (cause instanceof InvalidJwtException || cause instanceof UnresolvableKeyException) {
            return "no key of the issuer's key set (JWKS) verifies the bearer JWT: it names a key the set does not"
                    + " have, or the key set could not be loaded";
        }
        return "the bearer JWT is not valid: its issue and expiry times (iat, exp) are inconsistent";
    }

    /**
     * The {@code alg} of the token's JOSE header, read only to say why a token was refused: the library
     * looks for a key first, and a token whose algorithm is refused finds none, which would hide the reason.
     */
    private static Optional<String> algorithm(String jwt) {
        try {
            return Optional.ofNullable(JsonWebStructure.fromCompactSerialization(jwt).getAlgorithmHeaderValue());
        } catch (JoseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String algorithmReason(String alg) {
        if (alg.equalsIgnoreCase("none")) {
            return "the bearer JWT is not signed (alg: none); only JWTs signed with a key of the issuer are accepted";
        }
        if (alg.startsWith("HS")) {
            return "the bearer JWT is signed with a shared secret (" + alg + "); only the issuer's public-key"
                    + " signatures (RS, PS, ES, EdDSA) are accepted";
        }
        return "the bearer JWT's signature algorithm is not accepted; only RS, PS, ES and EdDSA signatures are";
    }

    private String claimReason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "the bearer JWT has expired (exp, with " + CLOCK_SKEW_SECONDS + " s of clock skew allowed)";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID) || e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return "the bearer JWT is not valid yet (nbf or iat in the future, beyond " + CLOCK_SKEW_SECONDS
                    + " s of clock skew)";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "the bearer JWT's signature does not verify with the issuer's key";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return "the bearer JWT is not signed; only JWTs signed with a key of the issuer are accepted";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return "the bearer JWT's issuer (iss) is not " + issuer.orElseThrow();
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "the bearer JWT's audience (aud) does not include " + audience;
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return "the bearer JWT has no expiry (exp)";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)) {
            return "the bearer JWT has no issue time (iat)";
        }
        return "the bearer JWT is not well-formed";
    }
}
