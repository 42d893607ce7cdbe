package io.ordinal.health;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.ordinal.config.OrdinalConfig;
import io.prometheus.client.exporter.common.TextFormat;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The management interface: health and metrics on a port of their own ({@code ordinal.management.port}),
 * in plain HTTP and without authentication, for Kubernetes probes and Prometheus, which hold no token
 * and (probes) cannot verify a certificate. It serves nothing else: the API, the dashboard and
 * {@code /q/openapi} answer 404 here, so the port gives away no more than a probe's or a scraper's answer.
 *
 * <p>Not Quarkus's own management interface ({@code quarkus.management.enabled}): that is fixed at build
 * time and always moves {@code /q/health} and {@code /q/metrics} off the API port, where api-v1.md keeps
 * them. This listener adds the port when it is set and takes nothing away. Its answers are the API
 * port's: the same SmallRye Health reporter (every check, 503 when one is down) and the same Prometheus
 * registry.
 */
@ApplicationScoped
public class ManagementServer {

    static final String HEALTH = "/q/health";
    static final String METRICS = "/q/metrics";

    private static final Logger LOG = Logger.getLogger(ManagementServer.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    /** Where to listen: the API's host, the management port; empty when no port is set. */
    private final Optional<HttpServerOptions> listen;
    private final Vertx vertx;
    private final SmallRyeHealthReporter health;
    private final PrometheusMeterRegistry metrics;
    private volatile HttpServer server;

    @Inject
    public ManagementServer(OrdinalConfig config, @ConfigProperty(name = "quarkus.http.host") String host,
            Vertx vertx, SmallRyeHealthReporter health, PrometheusMeterRegistry metrics) {
        this.listen = config.management().port().stream().boxed().findFirst()
                .map(port -> new HttpServerOptions().setHost(host).setPort(port));
        this.vertx = vertx;
        this.health = health;
        this.metrics = metrics;
    }

    /**
     * Listens before the replica starts (a lower priority runs first), as the API port does: a probe
     * sees the process as it is while a replica waits for disk space or its peers.
     */
    void start(@Observes @Priority(1) StartupEvent event) {
        if (listen.isEmpty()) {
            return;
        }
        Router router = Router.router(vertx);
        health(router, "", SmallRyeHealthReporter::getHealthAsync);
        health(router, "/live", SmallRyeHealthReporter::getLivenessAsync);
        health(router, "/ready", SmallRyeHealthReporter::getReadinessAsync);
        health(router, "/started", SmallRyeHealthReporter::getStartupAsync);
        // Scraping formats every meter: not on an event loop.
        router.get(METRICS).blockingHandler(rc -> rc.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, TextFormat.CONTENT_TYPE_004)
                .end(metrics.scrape(TextFormat.CONTENT_TYPE_004)));
        // Any other path, or another method on these: not found, never a 405 that names what is here.
        router.route().handler(rc -> rc.response().setStatusCode(404).end());
        server = vertx.createHttpServer(listen.get())
                .requestHandler(router)
                .listen()
                .toCompletionStage().toCompletableFuture()
                .orTimeout(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .join();
        LOG.infof("management interface (health, metrics) on http://%s:%d", listen.get().getHost(), server.actualPort());
    }

    void stop(@Observes ShutdownEvent event) {
        HttpServer s = server;
        if (s != null) {
            server = null;
            s.close();
        }
    }

    private void health(Router router, String path, Function<SmallRyeHealthReporter, Uni<SmallRyeHealth>> report) {
        router.get(HEALTH + path).handler(rc -> report.apply(health).subscribe()
                .with(result -> answer(rc, result), rc::fail));
    }

    /** As Quarkus answers on the API port: the reporter's JSON, 503 when a check is down, never cached. */
    private void answer(RoutingContext rc, SmallRyeHealth result) {
        ByteArrayOutputStream json = new ByteArrayOutputStream(256);
        health.reportHealth(json, result);
        rc.response()
                .setStatusCode(result.isDown() ? 503 : 200)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(Buffer.buffer(json.toByteArray()));
    }
}
