package io.ordinal.security;

import io.ordinal.client.KvClient;
import io.ordinal.config.OrdinalConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Authentication and the access records of this process, when {@code ordinal.security.enabled}: the
 * root token, the cache of the records (started with the application) and the store they are written
 * to. With security off there is nothing here, and nothing runs.
 */
@Singleton
public class AccessControl {

    /** A revoked token is refused everywhere within this (security-v1.md: 2 s). */
    static final Duration MAX_AGE = Duration.ofSeconds(2);
    /** Each poll of the records' watch waits this long: confirmations stay well within {@link #MAX_AGE}. */
    static final Duration POLL_WAIT = Duration.ofMillis(500);

    private final boolean enabled;
    private final AuthCache cache;
    private final AuthStore store;
    private final Authenticator authenticator;

    @Inject
    public AccessControl(OrdinalConfig config, KvClient client, JwtVerifier jwt) {
        this.enabled = config.security().enabled();
        if (enabled) {
            String root = RootToken.read(config.security().rootTokenFile().orElseThrow(() ->
                    new IllegalStateException("ordinal.security.root-token-file is not set")));
            this.cache = new AuthCache(client, MAX_AGE, POLL_WAIT);
            this.store = new AuthStore(client, cache);
            this.authenticator = new Authenticator(root, cache, jwt::verify);
        } else {
            this.cache = null;
            this.store = null;
            this.authenticator = null;
        }
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            cache.start();
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** Only with security on. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** Only with security on. */
    public AuthStore store() {
        return store;
    }

    @PreDestroy
    void close() {
        if (cache != null) {
            cache.close();
        }
    }
}
