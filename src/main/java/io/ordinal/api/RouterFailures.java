package io.ordinal.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Failures of the HTTP server's router that no JAX-RS exception mapper sees, answered as problems
 * rather than the framework's own bodies: a request the router itself refuses (HTTP/1.1 without a
 * Host header: 400; a request target that is not a path: 404), or a handler outside JAX-RS failing.
 */
@ApplicationScoped
class RouterFailures {

    private static final Logger LOG = Logger.getLogger(RouterFailures.class);

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    void answer(RoutingContext context) {
        if (context.response().headWritten() || context.response().closed()) {
            context.next();
            return;
        }
        Throwable failure = context.failure();
        int status = context.statusCode() > 0 ? context.statusCode()
                : failure instanceof HttpException e ? e.getStatusCode() : 500;
        String title = HttpResponseStatus.valueOf(status).reasonPhrase();
        if (status >= 500) {
            LOG.errorf(failure, "%s %s failed", context.request().method(), context.request().path());
            new Problem(status, "internal", title, "the server failed to handle the request; the failure is logged")
                    .end(context.response());
        } else if (status == 404) {
            new Problem(404, "not-found", title, "no such resource").end(context.response());
        } else {
            new Problem(status, "http-" + status, title, "the request is not valid HTTP here"
                    + (failure == null || failure.getMessage() == null ? "" : ": " + failure.getMessage()))
                    .end(context.response());
        }
    }
}
