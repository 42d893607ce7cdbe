package io.ordinal.security;

import io.ordinal.security.tls.CertificateAuthority;
import io.quarkus.test.junit.QuarkusTestProfile;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** An all-in-one node with security on: every request needs a token; the root token is {@link SecureApi#ROOT}. */
public class SecureProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path dir = Files.createTempDirectory("ordinal-secure-test");
            Path file = dir.resolve("root-token");
            Files.writeString(file, SecureApi.ROOT + "\n");
            // The node's certificate, for when security on serves HTTPS only (the TLS change reads it).
            Path tls = dir.resolve("tls");
            CertificateAuthority.create("ordinal-test-ca", Duration.ofDays(1))
                    .issue("localhost", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), tls);
            // Service-account JWTs, signed by SecureApi.jwt with this key pair's private half.
            Path jwks = dir.resolve("jwks.json");
            RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) SecureApi.ISSUER_KEY.getPublic());
            jwk.setKeyId("test");
            Files.writeString(jwks, new JsonWebKeySet(jwk).toJson());
            return Map.of("ordinal.security.enabled", "true",
                    "ordinal.security.root-token-file", file.toString(),
                    "ordinal.security.tls.dir", tls.toString(),
                    "ordinal.security.jwt.issuer", SecureApi.ISSUER,
                    "ordinal.security.jwt.jwks-location", jwks.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
