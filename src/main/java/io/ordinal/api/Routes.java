package io.ordinal.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * The paths of API v1 and the methods each answers: the one source of the {@code Allow} header, for a
 * 405 and for {@code OPTIONS} alike. {@code OPTIONS} itself is answered on every path and not listed.
 */
final class Routes {

    static final String KV = "/v1/kv";
    /** Where every key's requests are matched; the key itself is read from the raw path. */
    static final String KEY = KV + "/key";
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

    /** @param path the path a request was matched on (a key's requests are matched on {@link #KEY}) */
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
        return READ_ONLY_METHODS;
    }
}
