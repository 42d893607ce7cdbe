package io.ordinal.config;

import io.smallrye.config.ConfigValidator;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * Makes SmallRye Config check {@link OrdinalConfig} against {@link ConfigRules} when it maps it, in
 * every launch mode (a packaged jar, dev mode, tests): Quarkus loads this customizer with the
 * configuration (META-INF/services), before any bean exists. A validator already set (Hibernate
 * Validator's, were it ever added) still validates every mapping first.
 */
public class ConfigValidation implements SmallRyeConfigBuilderCustomizer {

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        ConfigValidator before = builder.getValidator();
        // Discovered once, above; discovering again at build() would drop the rules.
        builder.setAddDiscoveredValidator(false);
        builder.withValidator((type, prefix, mapping) -> {
            before.validateMapping(type, prefix, mapping);
            if (mapping instanceof OrdinalConfig config) {
                ConfigRules.check(config);
            }
        });
    }
}
