package io.ordinal.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/** An {@code application/problem+json} body (RFC 9457). */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** Problem types are documented in docs/api.md under these names. */
    private static final String TYPE_PREFIX = "urn:ordinal:problem:";

    private Problem() {
    }

    public static Map<String, Object> body(int status, String slug, String title, String detail,
                                           Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        return body;
    }

    /** Ends a response with a problem, for the few answers given outside JAX-RS (before or around it). */
    static void end(HttpServerResponse response, int status, String slug, String title, String detail) {
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .end(Json.encode(body(status, slug, title, detail, Map.of())));
    }

    public static Response.ResponseBuilder response(int status, String slug, String title, String detail,
                                                    Map<String, Object> extensions) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(body(status, slug, title, detail, extensions));
    }
}
