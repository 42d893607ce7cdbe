package io.ordinal.api;

import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every request for one key, {@code /v1/kv/{key}}: a Vert.x route in front of JAX-RS, which never
 * sees them. Measured on the frontend under load, the JAX-RS layer (its filters, the re-matching of
 * every key onto one resource path, the response machinery) took about half of the frontend's CPU
 * for these requests (docs/performance.md). What each request means is {@link KeyRequests}'s; this
 * class only reads the request and writes the answer, on the request's own event loop. Their OpenAPI
 * description is in {@code META-INF/openapi.yaml}, which the generator merges (it sees only JAX-RS).
 *
 * <p>The key is the rest of the raw path, as the client sent it: {@code .}, {@code a/..} and
 * {@code %2e%2e/x} are keys like any other, which a router matching normalised paths would have
 * turned into other paths. {@link RequestTargetCheck} has already refused malformed request targets.
 *
 * <p>The whole request is read before it is answered, whatever its method: a value is the raw body,
 * whatever its declared type, and a body that comes with a GET, a DELETE or a refused method is read
 * and dropped, so that the connection is ready for the client's next request.
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
        Context context = Vertx.currentContext();
        readBody(routing, value -> {
            if (Routes.refusedMethod(request, Routes.KEY_METHODS)) {
                return;
            }
            switch (request.method().name()) {
                case "PUT" -> answer(context, request, () -> keys.put(request, value));
                case "DELETE" -> answer(context, request, () -> keys.delete(request));
                default -> answer(context, request, () -> keys.get(request)); // GET and HEAD
            }
        });
    }

    /**
     * Reads the whole body, then hands it on ({@link KeyRequests} refuses one over a value's limit
     * with a 413 that names its length). A body of undeclared length beyond the HTTP server's hard cap
     * ends the connection with a bare 413, as the server answers one of declared length before this
     * route runs (docs/api.md). A client that waits for {@code 100 Continue} is sent it.
     */
    private void readBody(RoutingContext routing, Consumer<byte[]> then) {
        HttpServerRequest request = routing.request();
        HttpServerResponse response = routing.response();
        Long hardCap = routing.get(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY); // set only for bodies of undeclared length
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (response.headWritten()) {
                return;
            }
            body.appendBuffer(chunk);
            if (hardCap != null && body.length() > hardCap) {
                response.setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close")
                        .end().onComplete(v -> request.connection().close());
            }
        });
        request.endHandler(v -> {
            if (!response.headWritten()) {
                then.accept(body.getBytes());
            }
        });
        if (HttpHeaders.CONTINUE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            response.writeContinue();
        }
        request.resume(); // the HTTP layer holds a body back until a handler asks for it
    }

    private static void answer(Context context, HttpServerRequest request,
                               Supplier<CompletableFuture<KeyRequests.Answer>> call) {
        HttpServerResponse response = request.response();
        CompletableFuture<KeyRequests.Answer> answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) { // refused before anything was sent: a 4xx problem
            ProblemMapper.answer(request, e);
            return;
        }
        answer.whenComplete((a, error) -> context.runOnContext(v -> {
            if (response.closed()) {
                return;
            }
            if (error != null) {
                ProblemMapper.answer(request, error);
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
            // Declared for a HEAD too, whose answer carries no body: the length a GET would have.
            response.putHeader(HttpHeaders.CONTENT_TYPE, a.contentType())
                    .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(a.body().length))
                    .end(Buffer.buffer(a.body()));
        }
    }
}
