package io.ordinal.security;

import com.sun.net.httpserver.HttpServer;
import io.ordinal.config.TestConfig;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Service-account JWTs minted here from a local key set, as SmallRye JWT's own tests do, against a JWKS
 * file (or a loopback HTTP server) holding the public key: a valid one gives its subject; every other is
 * refused with its own reason, which never quotes the token.
 */
class JwtVerifierTest {

    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final String SUBJECT = "system:serviceaccount:team-a:api";

    static KeyPair issuerKey;
    static KeyPair otherKey;

    @TempDir
    Path dir;
    HttpServer server;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        issuerKey = rsa.generateKeyPair();
        otherKey = rsa.generateKeyPair();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aValidServiceAccountTokenGivesItsSubjectAndExpiry() throws Exception {
        Instant expiry = Instant.now().plusSeconds(600);
        String jwt = claims().expiresAt(expiry).jws().keyId("k1").sign(issuerKey.getPrivate());

        VerifiedJwt verified = verifier().verify(jwt);

        assertThat(verified.subject()).isEqualTo(SUBJECT);
        assertThat(verified.expiresAt()).isEqualTo(Instant.ofEpochSecond(expiry.getEpochSecond()));
    }

    @Test
    void aTokenWithoutKeyIdIsVerifiedWithTheOnlyKeyOfTheSet() throws Exception {
        String jwt = claims().sign(issuerKey.getPrivate());

        assertThat(verifier(jwksFile(null)).verify(jwt).subject()).isEqualTo(SUBJECT);
    }

    @Test
    void anUnsetIssuerAcceptsNoJwt() {
        JwtVerifier verifier = new JwtVerifier(TestConfig.of(Map.of()));

        assertThat(verifier.enabled()).isFalse();
        refused(verifier, claims().jws().keyId("k1").sign(issuerKey.getPrivate()), "ordinal.security.jwt.issuer");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        Instant past = Instant.now().minusSeconds(3600);
        String jwt = claims().issuedAt(past).expiresAt(past.plusSeconds(600)).jws().keyId("k1")
                .sign(issuerKey.getPrivate());

        refused(verifier(), jwt, "expired");
    }

    @Test
    void aTokenExpiredWithinTheClockSkewIsStillAccepted() throws Exception {
        Instant now = Instant.now();
        String jwt = claims().issuedAt(now.minusSeconds(600)).expiresAt(now.minusSeconds(5)).jws().keyId("k1")
                .sign(issuerKey.getPrivate());

        assertThat(verifier().verify(jwt).subject()).isEqualTo(SUBJECT);
    }

    @Test
    void aTokenNotValidYetIsRefused() throws Exception {
        Instant future = Instant.now().plusSeconds(3600);
        String jwt = claims().claim("nbf", future.getEpochSecond()).expiresAt(future.plusSeconds(600)).jws()
                .keyId("k1").sign(issuerKey.getPrivate());

        refused(verifier(), jwt, "not valid yet");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() throws Exception {
        String jwt = claims().issuer("https://evil.example").jws().keyId("k1").sign(issuerKey.getPrivate());

        refused(verifier(), jwt, "issuer (iss) is not " + ISSUER);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        String jwt = claims().audience("vault").jws().keyId("k1").sign(issuerKey.getPrivate());

        refused(verifier(), jwt, "audience (aud) does not include ordinal");
    }

    @Test
    void aTokenSignedByAnotherKeyUnderTheSameKeyIdIsRefused() throws Exception {
        String jwt = claims().jws().keyId("k1").sign(otherKey.getPrivate());

        refused(verifier(), jwt, "signature does not verify");
    }

    @Test
    void aTokenSignedByAKeyTheSetDoesNotHaveIsRefused() throws Exception {
        String jwt = claims().jws().keyId("someone-else").sign(otherKey.getPrivate());

        refused(verifier(), jwt, "no key of the issuer's key set");
    }

    @Test
    void anUnsignedTokenIsRefused() throws Exception {
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = base64Url("{\"iss\":\"" + ISSUER + "\",\"aud\":\"ordinal\",\"sub\":\"" + SUBJECT
                + "\",\"iat\":" + Instant.now().getEpochSecond() + ",\"exp\":"
                + Instant.now().plusSeconds(600).getEpochSecond() + "}");

        refused(verifier(), header + "." + payload + ".", "alg: none");
    }

    @Test
    void aTokenSignedWithASharedSecretIsRefusedEvenWithTheRightSecret() throws Exception {
        // The "secret" of an HMAC token checked against a JWKS would be public: never accepted.
        byte[] secret = ((RSAPublicKey) issuerKey.getPublic()).getModulus().toByteArray();
        String jwt = claims().jws().keyId("k1").algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(secret, "HmacSHA256"));

        refused(verifier(), jwt, "shared secret (HS256)");
    }

    @Test
    void aTokenWithoutSubjectIsRefused() throws Exception {
        String jwt = Jwt.issuer(ISSUER).audience("ordinal").expiresIn(600).jws().keyId("k1")
                .sign(issuerKey.getPrivate());

        refused(verifier(), jwt, "no subject (sub)");
    }

    @Test
    void garbageIsRefusedAsNotWellFormed() throws Exception {
        JwtVerifier verifier = verifier();

        for (String garbage : new String[] {"a.b.c", "not-a-jwt", "eyJhbGciOiJSUzI1NiJ9.e30.", "..", ""}) {
            refused(verifier, garbage, "not");
        }
    }

    @Test
    void aMissingKeySetFileRefusesTokensWithoutFailingTheRequest() {
        JwtVerifier verifier = verifier(dir.resolve("absent.json").toString());

        refused(verifier, claims().jws().keyId("k1").sign(issuerKey.getPrivate()), "key set (JWKS)");
    }

    @Test
    void aKeySetFileChangedInPlaceIsReadAgainWhenATokenNamesAKeyItLacked() throws Exception {
        String location = jwksFile("k1");
        JwtVerifier verifier = verifier(location);
        String rotated = claims().jws().keyId("k2").sign(otherKey.getPrivate());
        refused(verifier, rotated, "no key of the issuer's key set");

        // The issuer rotated its keys: the ConfigMap now holds the new key beside the old one.
        RsaJsonWebKey old = new RsaJsonWebKey((RSAPublicKey) issuerKey.getPublic());
        old.setKeyId("k1");
        RsaJsonWebKey added = new RsaJsonWebKey((RSAPublicKey) otherKey.getPublic());
        added.setKeyId("k2");
        Path file = Path.of(location);
        Files.writeString(file, new JsonWebKeySet(old, added).toJson());
        Files.setLastModifiedTime(file, FileTime.from(Files.getLastModifiedTime(file).toInstant().plusSeconds(60)));

        assertThat(verifier.verify(rotated).subject()).isEqualTo(SUBJECT);
        assertThat(verifier.verify(claims().jws().keyId("k1").sign(issuerKey.getPrivate())).subject())
                .isEqualTo(SUBJECT);
    }

    @Test
    void theKeySetIsFetchedOnceFromAUrlAndKept() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        byte[] jwks = jwksJson("k1").getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/openid/v1/jwks", exchange -> {
            fetches.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
        JwtVerifier verifier = verifier("http://127.0.0.1:" + server.getAddress().getPort() + "/openid/v1/jwks");

        for (int i = 0; i < 5; i++) {
            String jwt = claims().jws().keyId("k1").sign(issuerKey.getPrivate());
            assertThat(verifier.verify(jwt).subject()).isEqualTo(SUBJECT);
        }
        assertThat(fetches).hasValue(1);
    }

    @Test
    void aBareJwksPathIsReadAsAFile() {
        assertThat(JwtVerifier.keyLocation("/var/run/jwks.json")).isEqualTo("file:///var/run/jwks.json");
        assertThat(JwtVerifier.keyLocation("https://issuer/jwks")).isEqualTo("https://issuer/jwks");
    }

    @Test
    void anIssuerWithoutAKeySetStopsTheProcessAtStartup() {
        assertThatThrownBy(() -> TestConfig.of(Map.of("ordinal.security.jwt.issuer", ISSUER)))
                .hasMessageContaining("ordinal.security.jwt.jwks-location is unset");
    }

    @Test
    void aKeySetOverPlainHttpIsFetchedFromLoopbackOnly() {
        assertThatThrownBy(() -> TestConfig.of(Map.of("ordinal.security.jwt.issuer", ISSUER,
                "ordinal.security.jwt.jwks-location", "http://kubernetes.default.svc/openid/v1/jwks")))
                .hasMessageContaining("ordinal.security.jwt.jwks-location is http://kubernetes.default.svc");
        assertThat(TestConfig.of(Map.of("ordinal.security.jwt.issuer", ISSUER,
                "ordinal.security.jwt.jwks-location", "http://127.0.0.1:8001/openid/v1/jwks")).security().jwt()
                .jwksLocation()).hasValue("http://127.0.0.1:8001/openid/v1/jwks");
    }

    private static void refused(JwtVerifier verifier, String jwt, String reason) {
        assertThatThrownBy(() -> verifier.verify(jwt))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> {
                    if (!jwt.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(jwt);
                        for (String part : jwt.split("\\.")) {
                            if (part.length() > 3) {
                                assertThat(e.getMessage()).doesNotContain(part);
                            }
                        }
                    }
                });
    }

    private static JwtClaimsBuilder claims() {
        return Jwt.issuer(ISSUER).audience("ordinal").subject(SUBJECT).issuedAt(Instant.now()).expiresIn(600);
    }

    private JwtVerifier verifier() throws Exception {
        return verifier(jwksFile("k1"));
    }

    private String jwksFile(String keyId) throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, jwksJson(keyId));
        return file.toString();
    }

    private static String jwksJson(String keyId) throws Exception {
        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) issuerKey.getPublic());
        if (keyId != null) {
            jwk.setKeyId(keyId);
        }
        return new JsonWebKeySet(jwk).toJson();
    }

    private static JwtVerifier verifier(String jwksLocation) {
        Map<String, String> properties = new HashMap<>();
        properties.put("ordinal.security.jwt.issuer", ISSUER);
        properties.put("ordinal.security.jwt.jwks-location", jwksLocation);
        JwtVerifier verifier = new JwtVerifier(TestConfig.of(properties));
        assertThat(verifier.enabled()).isTrue();
        return verifier;
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
