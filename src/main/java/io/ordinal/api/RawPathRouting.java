package io.ordinal.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requests under {@code /v1/kv} are routed on the raw path, as the client sent it. A key's requests
 * ({@code /v1/kv/...}) never reach JAX-RS: {@link KeyRoute} answers them. But JAX-RS matches
 * resources on the normalised path, where dot segments are removed and escapes of unreserved
 * characters decoded, so {@code /v1//kv/a} or {@code /v1/x/../kv} would reach the listing: only
 * normalisation made them paths of ours, and they are unknown.
 */
public class RawPathRouting {

    @ServerRequestFilter(preMatching = true)
    public void route(ContainerRequestContext context, HttpServerRequest request) {
        if (!request.path().equals(Routes.KV) && underKv(context.getUriInfo().getPath())) {
            throw new NotFoundException();
        }
    }

    private static boolean underKv(String normalised) {
        String path = normalised.startsWith("/") ? normalised : "/" + normalised;
        return path.equals(Routes.KV) || path.startsWith(Routes.KV + "/");
    }
}
