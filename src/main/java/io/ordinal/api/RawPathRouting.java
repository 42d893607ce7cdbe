package io.ordinal.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.net.URI;

/**
 * Requests under {@code /v1/kv} are routed on the raw path, as the client sent it. The framework
 * matches resources on the normalised path, where dot segments are removed and escapes of unreserved
 * characters decoded: {@code /v1/kv/%2e} would become the collection {@code /v1/kv/} and
 * {@code /v1/kv/%2e%2e/x} the unknown {@code /v1/x}. But a key is the rest of the raw path after
 * {@code /v1/kv/}, so {@code .}, {@code a/..} and {@code ../x} are keys like any other.
 */
public class RawPathRouting {

    private static final URI KEY_ROUTE = URI.create(Routes.KEY);

    @ServerRequestFilter(preMatching = true)
    public void route(ContainerRequestContext context, HttpServerRequest request) {
        String raw = request.path();
        if (raw.startsWith(Routes.KV + "/")) {
            // Every key (the empty one too, which the resource refuses) is matched on one route; the
            // resource reads the key from the raw path.
            context.setRequestUri(KEY_ROUTE);
            // A value is the raw body whatever its declared type, well-formed or not: the framework
            // would answer 415 to a Content-Type it cannot parse, or form-decode a form body.
            context.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_OCTET_STREAM);
        } else if (!raw.equals(Routes.KV) && underKv(context.getUriInfo().getPath())) {
            // /v1//kv/a or /v1/x/../kv/a: only normalisation made it a path of ours.
            throw new NotFoundException();
        }
    }

    private static boolean underKv(String normalised) {
        String path = normalised.startsWith("/") ? normalised : "/" + normalised;
        return path.equals(Routes.KV) || path.startsWith(Routes.KV + "/");
    }
}
