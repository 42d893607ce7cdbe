package io.ordinal.security;

import io.ordinal.config.TestConfig;
import io.smallrye.jwt.build.Jwt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad bearer JWTs at random: whatever comes in, the verifier answers an {@link AuthenticationException}
 * (a 401), never another failure (a 500), with a reason that does not quote the token; and a valid token
 * with any one character changed, in its header, claims or signature, is refused.
 */
class JwtVerifierPropertiesTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

    private static KeyPair key;
    private static JwtVerifier verifier;
    private static String valid;

    @BeforeContainer
    static void issuer() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        key = rsa.generateKeyPair();
        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) key.getPublic());
        jwk.setKeyId("k1");
        Path jwks = Files.createTempFile("jwks", ".json");
        jwks.toFile().deleteOnExit();
        Files.writeString(jwks, new JsonWebKeySet(jwk).toJson());
        verifier = new JwtVerifier(TestConfig.of(Map.of("ordinal.security.jwt.issuer", ISSUER,
                "ordinal.security.jwt.jwks-location", jwks.toString())));
        valid = Jwt.issuer(ISSUER).audience("ordinal").subject("system:serviceaccount:team-a:api").expiresIn(3600)
                .jws().keyId("k1").sign(key.getPrivate());
    }

    @Property(tries = 300)
    void anythingThatIsNotAValidTokenIsRefusedWithoutQuotingIt(@ForAll("bearers") String bearer) {
        assertThatThrownBy(() -> verifier.verify(bearer))
                .isExactlyInstanceOf(AuthenticationException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).isNotBlank();
                    if (bearer.length() >= 12) {
                        assertThat(e.getMessage()).doesNotContain(bearer);
                    }
                });
    }

    @Property(tries = 200)
    void aValidTokenWithAnyOneCharacterChangedIsRefused(@ForAll @IntRange(min = 0, max = 10_000) int at,
                                                         @ForAll @IntRange(min = 1, max = 63) int shift) {
        assertThat(verifier.verify(valid).subject()).isEqualTo("system:serviceaccount:team-a:api");
        int index = at % valid.length();
        Assume.that(valid.charAt(index) != '.');
        char changed = ALPHABET.charAt((ALPHABET.indexOf(valid.charAt(index)) + shift) % ALPHABET.length());
        String tampered = valid.substring(0, index) + changed + valid.substring(index + 1);
        // The last character of a part may carry unused bits: a change there that decodes to the same bytes is no change.
        Assume.that(!sameBytes(valid, tampered));

        assertThatThrownBy(() -> verifier.verify(tampered)).isExactlyInstanceOf(AuthenticationException.class);
    }

    @Provide
    Arbitrary<String> bearers() {
        Arbitrary<String> part = Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(60);
        Arbitrary<String> base64Json = Arbitraries.of("{}", "{\"alg\":\"none\"}", "{\"alg\":\"RS256\",\"kid\":\"k1\"}",
                        "{\"alg\":\"HS256\"}", "{\"alg\":\"RS256\",\"crit\":[\"x\"]}", "[]", "null", "{\"alg\":1}",
                        "{\"iss\":\"" + ISSUER + "\",\"aud\":\"ordinal\",\"sub\":\"s\",\"exp\":99999999999}")
                .map(json -> Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes()));
        Arbitrary<String> element = Arbitraries.oneOf(part, base64Json);
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200), // anything at all, control characters included
                Combinators.combine(element, element, element).as((a, b, c) -> a + "." + b + "." + c),
                Combinators.combine(element, element).as((a, b) -> a + "." + b),
                element.list().ofMinSize(4).ofMaxSize(6).map(parts -> String.join(".", parts)));
    }

    private static boolean sameBytes(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; i < x.length; i++) {
            if (!Arrays.equals(Base64.getUrlDecoder().decode(x[i]), Base64.getUrlDecoder().decode(y[i]))) {
                return false;
            }
        }
        return true;
    }
}
