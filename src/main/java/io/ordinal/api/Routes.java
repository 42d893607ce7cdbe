package io.ordinal.api;

/** The methods each path of API v1 answers, for the {@code Allow} header of a 405. */
final class Routes {

    private Routes() {
    }

    static String allowedMethods(String path) {
        if (path != null && path.startsWith("/v1/kv/")) {
            return "GET, HEAD, PUT, DELETE";
        }
        return "GET, HEAD";
    }
}
