package io.ordinal.api;

import io.ordinal.security.Access;
import io.ordinal.security.Authorizer;
import io.ordinal.security.Principal;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Which {@link Authorizer} rule each request of the API needs, decided from its method, path and query
 * before any route runs (a transaction's keys and a lease's keys are checked by their resources, which
 * read them). Paths are judged the way the routes match them: a key's request on its raw path (as
 * {@link KeyRoute} does), everything else on the path as normalised (escapes decoded, matrix parameters,
 * dot segments and repeated slashes removed), so that no spelling of a path reaches a route past its rule.
 */
final class AccessRules {

    static final String AUTH = "/v1/auth";
    static final String WHOAMI = AUTH + "/whoami";

    private AccessRules() {
    }

    /** Whether a request may be answered without a credential: health probes and the dashboard's static files. */
    static boolean open(String rawPath) {
        String path = canonical(rawPath);
        if (rawPath.startsWith("/v1") || path.startsWith("/v1")) {
            return false;
        }
        return path.equals("/q/health") || path.startsWith("/q/health/") || !path.startsWith("/q/");
    }

    /** Throws {@link io.ordinal.security.ForbiddenException} when {@code who} may not make this request. */
    static void check(Principal who, HttpServerRequest request) {
        String raw = request.path();
        String method = request.method().name();
        if (method.equals("OPTIONS")) {
            return;
        }
        if (raw.startsWith(Routes.KV + "/")) {
            byte[] key;
            try {
                key = Keys.fromRawPath(raw);
            } catch (ApiException e) {
                return; // KeyRoute refuses it (400) before anything is read
            }
            boolean read = method.equals("GET") || method.equals("HEAD");
            Authorizer.key(who, read ? Access.READ : Access.READWRITE, key);
            return;
        }
        String path = canonical(raw);
        try {
            if (path.equals(Routes.KV)) {
                byte[] prefix = QueryParams.of(request).keyBytes("prefix");
                Authorizer.prefix(who, Access.READ, prefix == null ? new byte[0] : prefix);
            } else if (path.equals(WatchRoute.PATH)) {
                WatchRoute.Spec spec = WatchRoute.parse(request);
                if (spec.prefix()) {
                    Authorizer.prefix(who, Access.READ, spec.key());
                } else {
                    Authorizer.key(who, Access.READ, spec.key());
                }
            }
        } catch (ApiException e) {
            return; // the route refuses the request (400) before anything is read
        }
        if ((path.equals(AUTH) || path.startsWith(AUTH + "/")) && !path.equals(WHOAMI)) {
            Authorizer.root(who, "manage tokens, roles and bindings (/v1/auth)");
        } else if (path.equals("/v1/cluster/leader")) {
            Authorizer.root(who, "transfer leadership");
        } else if (path.equals(Routes.DRILLS) || path.startsWith(Routes.DRILLS + "/")) {
            Authorizer.root(who, "run drills");
        }
    }

    /** Whether a request changes the access records (it is audited whatever its answer). */
    static boolean changesAccess(HttpServerRequest request) {
        String path = canonical(request.path());
        String method = request.method().name();
        return path.startsWith(AUTH + "/") && (method.equals("PUT") || method.equals("POST") || method.equals("DELETE"));
    }

    /**
     * The path with every escape decoded (one byte each), matrix parameters ({@code ;x}) dropped,
     * repeated slashes collapsed and dot segments removed: at least as normalised as any router's view
     * of it (JAX-RS's or Vert.x's). Used only to decide rules, never to name a key.
     */
    static String canonical(String rawPath) {
        String decoded;
        try {
            decoded = new String(Keys.percentDecode(rawPath, false, "path"), StandardCharsets.ISO_8859_1);
        } catch (ApiException e) {
            decoded = rawPath; // refused by RequestTargetCheck before any route
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decoded.split("/")) {
            int matrix = segment.indexOf(';');
            String s = matrix < 0 ? segment : segment.substring(0, matrix);
            if (s.equals("..")) {
                segments.pollLast();
            } else if (!s.isEmpty() && !s.equals(".")) {
                segments.add(s);
            }
        }
        return "/" + String.join("/", segments) + (decoded.endsWith("/") && !segments.isEmpty() ? "/" : "");
    }
}
