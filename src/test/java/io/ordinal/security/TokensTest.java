package io.ordinal.security;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The store's token format, and how credentials are told apart. */
class TokensTest {

    @Test
    void aGeneratedTokenIsAnIdAnd256RandomBits() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String token = Tokens.generate();
            assertThat(token).matches("[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}");
            assertThat(Tokens.isOpaque(token)).isTrue();
            assertThat(Tokens.isJwt(token)).isFalse();
            assertThat(seen.add(token)).isTrue();
        }
    }

    @Test
    void onlyTheHashIsKeptAndItMatchesOnlyItsToken() {
        String token = Tokens.generate();
        String hash = Tokens.hash(token);
        assertThat(hash).hasSize(64).doesNotContain(token.substring(17));
        assertThat(Tokens.matches(token, hash)).isTrue();
        assertThat(Tokens.matches(Tokens.generate(), hash)).isFalse();
    }

    @Test
    void aJwtHasThreeBase64urlParts() {
        assertThat(Tokens.isJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")).isTrue();
        assertThat(Tokens.isJwt("a.b")).isFalse();
        assertThat(Tokens.isJwt("a.b.c.d")).isFalse();
        assertThat(Tokens.isBearerCredential("abc$")).isFalse();
        assertThat(Tokens.isBearerCredential("a".repeat(Tokens.MAX_LENGTH + 1))).isFalse();
    }

    @Test
    void aRootTokenFileHoldsOneLongPrintableLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("root-token");
        java.nio.file.Files.writeString(file, "  operators-own-secret-of-some-length\n");
        assertThat(RootToken.read(file)).isEqualTo("operators-own-secret-of-some-length");
        java.nio.file.Files.writeString(file, "short\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RootToken.read(file))
                .hasMessageContaining("at least 22").hasMessageNotContaining("short");
    }
}
