package io.ordinal.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * The paths of API v1 and the methods each answers: the one source of the {@code Allow} header, for a
 * 405 and for {@code OPTIONS} alike. {@code OPTIONS} itself is answered on every path and not listed.
 */
final class Routes {

    static final String KV = "/v1/kv";
    static final String KEY_METHODS = "GET, HEAD, PUT, DELETE";
    static final String READ_ONLY_METHODS = "GET, HEAD";
    static final String POST_ONLY = "POST";
    static final String LEASE_METHODS = "GET, HEAD, DELETE";
    static final String DASHBOARD = "/v1/dashboard";
    static final String DRILLS = DASHBOARD + "/drills";
    static final String DRILL_METHODS = "POST";

    private Routes() {
    }

    /** The answer to {@code OPTIONS}. */
    static Response options(String allowedMethods) {
        return Response.ok().header(HttpHeaders.ALLOW, allowedMethods).build();
    }

    /**
     * Answers, on a Vert.x route, {@code OPTIONS} and a method the route does not serve (a 405).
     *
     * @return whether the request was answered so; false for a method in {@code allowed}
     */
    static boolean refusedMethod(HttpServerRequest request, String allowed) {
        String method = request.method().name();
        if (method.equals("OPTIONS")) {
            request.response().putHeader(HttpHeaders.ALLOW, allowed).setStatusCode(200).end();
            return true;
        }
        if (!List.of(allowed.split(", ")).contains(method)) {
            ProblemMapper.problem(ApiException.methodNotAllowed(method, allowed), method)
                    .withHeader(HttpHeaders.ALLOW, allowed).end(request.response());
            return true;
        }
        return false;
    }

    /** @param rest what follows {@code /v1/auth/} */
    static String authMethods(String rest) {
        if (rest.equals("tokens")) {
            return "GET, HEAD, POST";
        }
        if (rest.startsWith("tokens/")) {
            return "DELETE";
        }
        return rest.contains("/") ? "GET, HEAD, PUT, DELETE" : READ_ONLY_METHODS;
    }

    /** @param path the path of a request JAX-RS matched */
    static String allowedMethods(String path) {
        if (path != null && path.startsWith(KV + "/")) {
            return KEY_METHODS;
        }
        if (path != null && (path.equals("/v1/txn") || path.equals("/v1/lease") || path.endsWith("/keepalive")
                || path.equals("/v1/cluster/leader"))) {
            return POST_ONLY;
        }
        if (path != null && path.startsWith("/v1/lease/")) {
            return LEASE_METHODS;
        }
        if (path != null && path.startsWith(DRILLS + "/")) {
            return DRILL_METHODS;
        }
        if (path != null && path.startsWith(AccessRules.AUTH + "/")) {
            return authMethods(path.substring(AccessRules.AUTH.length() + 1));
        }
        return READ_ONLY_METHODS;
    }
}
