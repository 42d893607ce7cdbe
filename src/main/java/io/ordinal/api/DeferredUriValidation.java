package io.ordinal.api;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;

/**
 * Hands Quarkus's validation of the request target over to {@link RequestTargetCheck}, which makes
 * the same check but answers a problem body instead of an empty 400.
 *
 * <p>Quarkus validates every request's URI in the handler in front of its router and refuses an
 * invalid one with a bare 400, before any filter, route or exception mapper can run. The only switch
 * is the system property {@value #PROPERTY}, read once when Quarkus's HTTP recorder class is
 * initialised. Configuration is built before that in every launch mode (tests, dev, a packaged jar),
 * so this customizer, loaded by Quarkus with the configuration (META-INF/services), sets it in time.
 * An explicit {@code -Dvertx.disableURIValidation=false} is respected and restores the empty 400s.
 */
public class DeferredUriValidation implements SmallRyeConfigBuilderCustomizer {

    static final String PROPERTY = "vertx.disableURIValidation";

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }
}
