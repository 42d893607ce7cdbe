package io.ordinal.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The hot path of API v1: {@code GET}, {@code PUT} and {@code DELETE} of one key, answered by a Vert.x
 * route in front of JAX-RS. Measured on the frontend under load, the JAX-RS layer (its filters, the
 * re-matching of every key onto one resource path, the response machinery) took about half of the
 * frontend's CPU for these requests (docs/performance.md). What each request means is
 * {@link KeyRequests}'s, shared with {@link KvResource}; this class only reads the request and writes
 * the answer, on the request's own event loop.
 *
 * <p>Anything out of the ordinary goes on to {@link KvResource}, which answers it as before: other
 * methods ({@code HEAD}, {@code OPTIONS}, a 405), a {@code PUT} whose body has no declared length,
 * is declared longer than a value may be (the 413 is answered after the framework has read the body,
 * up to its hard cap), or waits for {@code 100 Continue}, and a {@code GET} or {@code DELETE} that
 * carries a body. {@link RequestTargetCheck} has already refused malformed request targets.
 */
@ApplicationScoped
class KeyRoute {

    private static final String PREFIX = Routes.KV + "/";

    private final KeyRequests keys;

    @Inject
    KeyRoute(KeyRequests keys) {
        this.keys = keys;
    }

    void register(@Observes Router router) {
        router.route().order(-1).handler(this::handle);
    }

    void handle(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        String path = request.path();
        if (path == null || !path.startsWith(PREFIX)) {
            routing.next();
            return;
        }
        HttpMethod method = request.method();
        if (HttpMethod.PUT.equals(method) && bodyFitsAValue(request)) {
            Context context = Vertx.currentContext();
            request.body().onComplete(body -> {
                if (body.succeeded()) {
                    answer(context, request, () -> keys.put(request, body.result().getBytes()));
                } // else the connection went away while the body arrived: nobody to answer
            });
            request.resume(); // the HTTP layer holds a body back until a handler asks for it
        } else if (HttpMethod.GET.equals(method) && hasNoBody(request)) {
            answer(Vertx.currentContext(), request, () -> keys.get(request));
        } else if (HttpMethod.DELETE.equals(method) && hasNoBody(request)) {
            answer(Vertx.currentContext(), request, () -> keys.delete(request));
        } else {
            routing.next();
        }
    }

    /** A body of declared length within the value limit, sent without waiting for {@code 100 Continue}. */
    private boolean bodyFitsAValue(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || request.getHeader(HttpHeaders.EXPECT) != null) {
            return false;
        }
        try {
            long n = Long.parseLong(length);
            return n >= 0 && n <= keys.maxValueBytes();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean hasNoBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null && (length == null || length.equals("0"));
    }

    private static void answer(Context context, HttpServerRequest request,
                               Supplier<CompletableFuture<KeyRequests.Answer>> call) {
        String method = request.method().name();
        HttpServerResponse response = request.response();
        CompletableFuture<KeyRequests.Answer> answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) { // refused before anything was sent: a 4xx problem
            ProblemMapper.answer(response, e, method);
            return;
        }
        answer.whenComplete((a, error) -> context.runOnContext(v -> {
            if (response.closed()) {
                return;
            }
            if (error != null) {
                ProblemMapper.answer(response, error, method);
            } else {
                write(response, a);
            }
        }));
    }

    private static void write(HttpServerResponse response, KeyRequests.Answer a) {
        response.setStatusCode(a.status());
        if (a.etag() > 0) {
            response.putHeader(HttpHeaders.ETAG, Conditions.etag(a.etag()));
        }
        if (a.body() == null) {
            response.end();
        } else {
            response.putHeader(HttpHeaders.CONTENT_TYPE, a.contentType()).end(Buffer.buffer(a.body()));
        }
    }
}
