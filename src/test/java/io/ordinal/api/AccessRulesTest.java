package io.ordinal.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules are decided on a path at least as normalised as any router's, so no spelling slips past one. */
class AccessRulesTest {

    @Test
    void everySpellingOfAPathIsJudgedAsTheRouterMatchesIt() {
        assertThat(AccessRules.canonical("/v1/auth/roles")).isEqualTo("/v1/auth/roles");
        assertThat(AccessRules.canonical("/v1//auth///roles")).isEqualTo("/v1/auth/roles");
        assertThat(AccessRules.canonical("/v1/%61uth/roles")).isEqualTo("/v1/auth/roles");
        assertThat(AccessRules.canonical("/v1/auth;a=b/roles;c")).isEqualTo("/v1/auth/roles");
        assertThat(AccessRules.canonical("/v1/x/../auth/./roles")).isEqualTo("/v1/auth/roles");
        assertThat(AccessRules.canonical("/../v1/auth/")).isEqualTo("/v1/auth/");
        assertThat(AccessRules.canonical("/")).isEqualTo("/");
    }

    @Test
    void onlyHealthAndThePageAreOpen() {
        assertThat(AccessRules.open("/q/health/ready")).isTrue();
        assertThat(AccessRules.open("/")).isTrue();
        assertThat(AccessRules.open("/dashboard/app.js")).isTrue();
        assertThat(AccessRules.open("/q/metrics")).isFalse();
        assertThat(AccessRules.open("/v1/kv/a")).isFalse();
        assertThat(AccessRules.open("/q/health/../../v1/kv/a")).isFalse();
        assertThat(AccessRules.open("/v1/kv/../../index.html")).isFalse();
    }
}
