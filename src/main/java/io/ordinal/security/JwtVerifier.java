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

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
 * key is looked at. The key set is loaded at the first JWT and kept. From a URL it is fetched again every
 * {@link #JWKS_REFRESH_MINUTES} minutes and, when a token names a key id the set lacks (the issuer rotated
 * its keys), at most once a minute sooner (the library's refresh). From a file it is read again when a
 * token finds no key in it and the file has changed since (a ConfigMap updated in place): no polling, and
 * no cost on the path of a token that verifies.
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
    private final Optional<String> keyLocation;
    /** The parser and, for a file, the file's modification time when the parser was made. */
    private volatile KeySet keys;

    private record KeySet(JWTParser parser, Optional<FileTime> modified) {
    }

    @Inject
    public JwtVerifier(OrdinalConfig config) {
        OrdinalConfig.Security.Jwt jwt = config.security().jwt();
        this.issuer = jwt.issuer();
        this.audience = jwt.audience();
        this.keyLocation = issuer.isPresent() ? jwt.jwksLocation().map(JwtVerifier::keyLocation) : Optional.empty();
        this.keys = keyLocation.map(location -> keySet(location, modified(location))).orElse(null);
    }

    private KeySet keySet(String location, Optional<FileTime> modified) {
        return new KeySet(new DefaultJWTParser(context(issuer.orElseThrow(), location, audience)), modified);
    }

    private static JWTAuthContextInfo context(String issuer, String jwksLocation, String audience) {
        JWTAuthContextInfo context = new JWTAuthContextInfo(jwksLocation, issuer);
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

    /** The modification time of a {@code file:} key set; none for a URL, or a file that cannot be read. */
    private static Optional<FileTime> modified(String location) {
        if (!location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.getLastModifiedTime(Path.of(URI.create(location))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether JWTs are accepted at all ({@code ordinal.security.jwt.issuer} is set). */
    public boolean enabled() {
        return keys != null;
    }

    /** The verified subject of {@code jwt}; an {@link AuthenticationException} saying why not otherwise. */
    public VerifiedJwt verify(String jwt) {
        KeySet current = keys;
        if (current == null) {
            throw new AuthenticationException("bearer JWTs are not accepted: ordinal.security.jwt.issuer is not set");
        }
        JsonWebToken verified;
        try {
            try {
                verified = current.parser().parse(jwt);
            } catch (ParseException e) {
                if (!keyNotFound(e) || !reloaded(current)) {
                    throw e;
                }
                verified = keys.parser().parse(jwt);
            }
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

    /** Whether the file's key set changed since {@code current} was made; if so, it is used from now on. */
    private boolean reloaded(KeySet current) {
        Optional<FileTime> modified = modified(keyLocation.orElseThrow());
        if (modified.isEmpty() || modified.equals(current.modified())) {
            return false;
        }
        synchronized (this) {
            if (keys == current) {
                keys = keySet(keyLocation.get(), modified);
            }
        }
        return true;
    }

    private static boolean keyNotFound(ParseException e) {
        return e.getCause() instanceof UnresolvableKeyException
                || e.getCause() instanceof InvalidJwtException invalid && invalid.getCause() instanceof UnresolvableKeyException;
    }

    private String reason(String jwt, ParseException e) {
        Optional<String> algorithm = algorithm(jwt);
        if (algorithm.isPresent() && ASYMMETRIC.stream().noneMatch(a -> a.getAlgorithm().equals(algorithm.get()))) {
            return algorithmReason(algorithm.get());
        }
        if (e.getCause() instanceof InvalidJwtException invalid && !keyNotFound(e)) {
            return claimReason(invalid);
        }
        if (keyNotFound(e)) {
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
