package io.ordinal.security.tls;

import io.ordinal.config.OrdinalConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Gives the HTTPS listener a rotated certificate without a restart: every
 * {@code ordinal.security.tls.reload-period} it looks at the certificate directory and, when its files
 * changed and hold a key and certificate that belong together, reloads the TLS registry's
 * {@value HttpsConfigSourceFactory#TLS_CONFIGURATION} configuration and fires the
 * {@link CertificateUpdatedEvent} on which Quarkus hands the new certificate to its HTTP server.
 *
 * <p>Not the registry's own {@code reload-period}: that reloads and updates the server every period
 * whether or not anything changed, and Vert.x 4.5's server closes a connection accepted while an
 * update is under way (a NullPointerException in its channel initializer, seen in HttpsTest): once per
 * period, every period. Here an update happens only when a certificate was rotated.
 */
@ApplicationScoped
public class HttpsCertificateReloader {

    private static final Logger LOG = Logger.getLogger(HttpsCertificateReloader.class);

    private final OrdinalConfig config;
    private final TlsConfigurationRegistry registry;
    private final Event<CertificateUpdatedEvent> updated;
    private final Vertx vertx;
    private volatile long timer = -1;

    @Inject
    public HttpsCertificateReloader(OrdinalConfig config, TlsConfigurationRegistry registry,
                                    Event<CertificateUpdatedEvent> updated, Vertx vertx) {
        this.config = config;
        this.registry = registry;
        this.updated = updated;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) throws IOException {
        if (!config.security().enabled()) {
            return;
        }
        TlsDirectory dir = new TlsDirectory(config.security().tls().dir().orElseThrow());
        TlsConfiguration tls = registry.get(HttpsConfigSourceFactory.TLS_CONFIGURATION).orElseThrow(() ->
                new IllegalStateException("no TLS configuration '" + HttpsConfigSourceFactory.TLS_CONFIGURATION + "'"));
        FileStamps files = new FileStamps(List.of(dir.certificate(), dir.key(), dir.ca()));
        Object[] served = {files.read()};
        Duration period = config.security().tls().reloadPeriod();
        timer = vertx.setPeriodic(period.toMillis(), id -> vertx.executeBlocking(() -> {
            Object now = files.read();
            if (!now.equals(served[0])) {
                PemFiles.keyManager(dir.certificate(), dir.key()); // a pair caught halfway is tried again later
                if (tls.reload()) {
                    served[0] = now;
                    updated.fire(new CertificateUpdatedEvent(HttpsConfigSourceFactory.TLS_CONFIGURATION, tls));
                    LOG.infof("HTTPS: serving the certificate rotated in %s", dir.dir());
                }
            }
            return null;
        }, false).onFailure(e -> LOG.warnf("HTTPS: the certificate in %s changed but cannot be used yet (%s);"
                + " still serving the previous one", dir.dir(), e.getMessage())));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
