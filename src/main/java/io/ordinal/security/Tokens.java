package io.ordinal.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The store's opaque tokens, {@code <id>.<secret>}: the id is 16 lowercase hex digits (64 random
 * bits; public, it names the token in {@code /v1/auth/tokens/{id}}), the secret 43 base64url
 * characters (256 random bits). Only the SHA-256 of the whole string is ever stored.
 */
public final class Tokens {

    /** The longest bearer credential looked at (a service-account JWT is about 1 KB). */
    public static final int MAX_LENGTH = 8192;

    private static final Pattern OPAQUE = Pattern.compile("[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    /** Three base64url parts, the header's and the payload's non-empty (a JWS in compact form). */
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    /** RFC 6750's b64token: what a bearer credential may be made of. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A new token, {@code <id>.<secret>}. */
    public static String generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return HexFormat.of().formatHex(id) + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public static boolean isOpaque(String token) {
        return OPAQUE.matcher(token).matches();
    }

    public static boolean isId(String id) {
        return ID.matcher(id).matches();
    }

    public static boolean isJwt(String token) {
        return JWT.matcher(token).matches();
    }

    /** Whether a credential is well formed at all: 1 to {@link #MAX_LENGTH} characters of RFC 6750's b64token. */
    public static boolean isBearerCredential(String token) {
        return token.length() <= MAX_LENGTH && B64TOKEN.matcher(token).matches();
    }

    /** The opaque token's id: what comes before the dot. */
    public static String idOf(String opaque) {
        return opaque.substring(0, 16);
    }

    /** SHA-256 of the whole token string, in lowercase hex: what the store keeps. */
    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** Whether {@code token} has the SHA-256 {@code digest}, compared in time that does not depend on where they differ. */
    public static boolean hasDigest(String token, byte[] digest) {
        return MessageDigest.isEqual(sha256(token), digest);
    }

    /** Compares a token with a stored hash in time that does not depend on where they differ. */
    public static boolean matches(String token, String storedHash) {
        return MessageDigest.isEqual(hash(token).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
