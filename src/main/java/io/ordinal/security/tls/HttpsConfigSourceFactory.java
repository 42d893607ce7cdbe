package io.ordinal.security.tls;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The HTTP server's TLS, derived from {@code ordinal.security.*} when security is enabled, and nothing
 * at all otherwise (so that {@code bin/kv-local up} and dev mode stay plain HTTP, and need no
 * certificate). It names a TLS configuration of the Quarkus TLS registry, {@value #TLS_CONFIGURATION},
 * with the files of {@code ordinal.security.tls.dir}, and makes the HTTP server use it on
 * {@code quarkus.http.ssl-port} alone: no plain-HTTP listener answers. A rotated certificate is taken
 * without a restart ({@link HttpsCertificateReloader}).
 *
 * <p>Every property set here is a runtime property, so a packaged application switches with its
 * configuration (SmallRye loads this factory through META-INF/services, when the configuration is
 * built). A named configuration rather than the default one: a management interface
 * ({@code ordinal.management.port}) keeps plain HTTP for probes, and nothing else picks it up unasked.
 * Between {@code application.properties} (250) and the environment (300): an operator can still
 * override any of them.
 */
public class HttpsConfigSourceFactory implements ConfigSourceFactory {

    /** The TLS registry's name for the cluster's certificate: {@code quarkus.tls.ordinal.*}. */
    public static final String TLS_CONFIGURATION = "ordinal";

    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String enabled = value(context, "ordinal.security.enabled");
        String dir = value(context, "ordinal.security.tls.dir");
        if (!"true".equalsIgnoreCase(enabled) || dir == null || dir.isBlank()) {
            return List.of(); // security off; or on without a directory, which ConfigRules reports
        }
        TlsDirectory files = new TlsDirectory(Path.of(dir.trim()));
        String bucket = "quarkus.tls." + TLS_CONFIGURATION + ".";
        Map<String, String> properties = Map.of(
                bucket + "key-store.pem.tls.cert", files.certificate().toString(),
                bucket + "key-store.pem.tls.key", files.key().toString(),
                bucket + "trust-store.pem.certs", files.ca().toString().replace(",", "\\,"),
                bucket + "protocols", "TLSv1.3,TLSv1.2",
                "quarkus.http.tls-configuration-name", TLS_CONFIGURATION,
                "quarkus.http.insecure-requests", "disabled");
        return List.of(new PropertiesConfigSource(properties, "ordinal.security (HTTPS)", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null ? null : value.getValue().trim();
    }
}
