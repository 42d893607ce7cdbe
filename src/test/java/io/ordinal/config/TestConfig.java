package io.ordinal.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.util.Map;

/**
 * The configuration a process would have with these properties set and every other one at its
 * default: built, converted and validated as Quarkus builds it at startup (the same mapping, the
 * converters and customizers the application registers), without starting Quarkus. For tests that
 * start replicas in-JVM and for the tests of the mapping itself.
 */
public final class TestConfig {

    private TestConfig() {
    }

    /** The mapping with {@code properties} ({@code ordinal.api.max-value-bytes} → {@code 10}) set. */
    public static OrdinalConfig of(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors() // expressions: ${HOSTNAME:kv-store-0}
                .addDiscoveredConverters()
                .addDiscoveredCustomizers()
                .withMapping(OrdinalConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test properties"))
                .build();
        return config.getConfigMapping(OrdinalConfig.class);
    }
}
