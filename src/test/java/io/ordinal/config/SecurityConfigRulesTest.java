package io.ordinal.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Security on needs the bootstrap root token's file; off, nothing of it is read. */
class SecurityConfigRulesTest {

    @Test
    void securityOnWithoutARootTokenFileIsRefused() {
        assertThatThrownBy(() -> TestConfig.of(Map.of("ordinal.security.enabled", "true")))
                .hasMessageContaining("ordinal.security.root-token-file is unset");
    }

    @Test
    void securityOffNeedsNoRootTokenFile() {
        assertThat(TestConfig.of(Map.of()).security().enabled()).isFalse();
    }
}
