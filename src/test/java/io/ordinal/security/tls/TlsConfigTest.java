package io.ordinal.security.tls;

import io.ordinal.config.TestConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Security's TLS settings: what startup refuses, and the HTTP server's TLS derived from them. */
class TlsConfigTest {

    @TempDir
    Path dir;

    @Test
    void securityWithoutACertificateDirectoryIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> TestConfig.of(Map.of("ordinal.security.enabled", "true")))
                .hasMessageContaining("ordinal.security.tls.dir is unset");
    }

    @Test
    void aCertificateDirectoryWithoutItsKeyIsRefusedNamingTheFile() throws IOException {
        issue(dir);
        Files.delete(dir.resolve("tls.key"));

        assertThatThrownBy(() -> TestConfig.of(Map.of("ordinal.security.enabled", "true",
                "ordinal.security.tls.dir", dir.toString())))
                .hasMessageContaining("ordinal.security.tls.dir is " + dir)
                .hasMessageContaining(dir.resolve("tls.key").toString());
    }

    @Test
    void aWholeCertificateDirectoryIsAccepted() throws IOException {
        issue(dir);

        assertThat(TestConfig.of(secure()).security().tls().dir()).contains(dir);
    }

    @Test
    void withSecurityOffTheHttpServerIsLeftAlone() {
        SmallRyeConfig config = withHttpsFactory(Map.of("ordinal.security.tls.dir", dir.toString()));

        assertThat(config.getOptionalValue("quarkus.http.insecure-requests", String.class)).isEmpty();
        assertThat(config.getOptionalValue("quarkus.http.tls-configuration-name", String.class)).isEmpty();
    }

    @Test
    void withSecurityOnTheHttpServerServesTheDirectorysCertificateOverHttpsOnly() {
        SmallRyeConfig config = withHttpsFactory(Map.of("ordinal.security.enabled", "true",
                "ordinal.security.tls.dir", dir.toString()));

        assertThat(config.getValue("quarkus.http.insecure-requests", String.class)).isEqualTo("disabled");
        assertThat(config.getValue("quarkus.http.tls-configuration-name", String.class)).isEqualTo("ordinal");
        assertThat(config.getValue("quarkus.tls.ordinal.key-store.pem.tls.cert", String.class))
                .isEqualTo(dir.resolve("tls.crt").toString());
        assertThat(config.getValue("quarkus.tls.ordinal.key-store.pem.tls.key", String.class))
                .isEqualTo(dir.resolve("tls.key").toString());
        assertThat(config.getValue("quarkus.tls.ordinal.protocols", String.class)).isEqualTo("TLSv1.3,TLSv1.2");
    }

    @Test
    void securityFromTheEnvironmentAsTheManifestsSetItSwitchesHttpsOn() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of("ORDINAL_SECURITY_ENABLED", "true",
                        "ORDINAL_SECURITY_TLS_DIR", dir.toString()), 300))
                .withSources(new HttpsConfigSourceFactory())
                .build();

        assertThat(config.getValue("quarkus.http.insecure-requests", String.class)).isEqualTo("disabled");
        assertThat(config.getValue("quarkus.tls.ordinal.key-store.pem.tls.cert", String.class))
                .isEqualTo(dir.resolve("tls.crt").toString());
    }

    private Map<String, String> secure() throws IOException {
        // A root token file too, in the store's token format: security needs one (ConfigRules, the auth rules).
        Path token = dir.resolveSibling(dir.getFileName() + "-root-token");
        Files.writeString(token, "0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
        return Map.of("ordinal.security.enabled", "true", "ordinal.security.tls.dir", dir.toString(),
                "ordinal.security.root-token-file", token.toString());
    }

    private static void issue(Path dir) throws IOException {
        CertificateAuthority.create("test CA", Duration.ofDays(1))
                .issue("kv-store-0", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), dir);
    }

    private static SmallRyeConfig withHttpsFactory(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test properties", 100))
                .withSources(new HttpsConfigSourceFactory())
                .build();
    }
}
