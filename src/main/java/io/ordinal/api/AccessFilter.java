package io.ordinal.api;

import io.ordinal.security.AccessControl;
import io.ordinal.security.AuditLog;
import io.ordinal.security.AuthenticationException;
import io.ordinal.security.Authenticator;
import io.ordinal.security.ForbiddenException;
import io.ordinal.security.Principal;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.concurrent.CompletableFuture;

/**
 * With security on, every request but the health probes and the dashboard's static files is
 * authenticated here, then checked against {@link AccessRules}, before any route sees it: a request
 * without a valid credential is answered {@code 401}, one its roles do not allow {@code 403}, and
 * nothing is read or written. The principal is left on the routing context for the resources that
 * check more once they have read the body ({@link #principal}). Every {@code 401}, {@code 403} and
 * change under {@code /v1/auth/*} goes to the audit log. With security off, this filter is not
 * registered at all.
 */
@ApplicationScoped
class AccessFilter {

    /** After {@link RequestTargetCheck} (a malformed request target is a 400 whoever sends it), before every route. */
    static final int PRIORITY = RequestTargetCheck.PRIORITY - 1;
    private static final String PRINCIPAL = "ordinal.principal";

    private final AccessControl access;

    @Inject
    AccessFilter(AccessControl access) {
        this.access = access;
    }

    void register(@Observes Filters filters) {
        if (access.enabled()) {
            filters.register(this::filter, PRIORITY);
        }
    }

    /** The principal the request was authenticated as; root's when security is off (everything is allowed). */
    static Principal principal(RoutingContext routing) {
        Principal p = routing == null ? null : routing.get(PRINCIPAL);
        return p == null ? Principal.ROOT : p;
    }

    void filter(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        if (AccessRules.open(request.path())) {
            routing.next();
            return;
        }
        routing.addHeadersEndHandler(v -> audit(routing));
        Authenticator authenticator = access.authenticator();
        CompletableFuture<Principal> principal;
        try {
            String token = Authenticator.credential(request.headers().getAll(HttpHeaders.AUTHORIZATION));
            if (authenticator.needsBlocking(token)) {
                principal = new CompletableFuture<>();
                CompletableFuture<Principal> result = principal;
                routing.vertx().<Principal>executeBlocking(() -> authenticator.authenticate(token).join(), false)
                        .onComplete(r -> {
                            if (r.succeeded()) {
                                result.complete(r.result());
                            } else {
                                result.completeExceptionally(r.cause());
                            }
                        });
            } else {
                principal = authenticator.authenticate(token);
            }
        } catch (AuthenticationException e) {
            ProblemMapper.answer(request, e);
            return;
        }
        if (principal.isDone()) {
            proceed(routing, principal);
            return;
        }
        request.pause(); // the body waits for the route that reads it
        Context context = Vertx.currentContext();
        principal.whenComplete((p, error) -> context.runOnContext(v -> proceed(routing, principal)));
    }

    private static void proceed(RoutingContext routing, CompletableFuture<Principal> authenticated) {
        HttpServerRequest request = routing.request();
        Principal principal;
        try {
            principal = authenticated.join();
        } catch (RuntimeException e) {
            ProblemMapper.answer(request, e);
            return;
        }
        routing.put(PRINCIPAL, principal);
        try {
            AccessRules.check(principal, request);
        } catch (ForbiddenException e) {
            ProblemMapper.answer(request, e);
            return;
        }
        routing.next();
    }

    private static void audit(RoutingContext routing) {
        int status = routing.response().getStatusCode();
        if (status == 401 || status == 403 || AccessRules.changesAccess(routing.request())) {
            Principal p = routing.get(PRINCIPAL);
            AuditLog.record(p == null ? null : p.subject(), routing.request().method().name(),
                    routing.request().path(), status);
        }
    }
}
