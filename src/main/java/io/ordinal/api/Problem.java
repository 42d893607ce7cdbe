package io.ordinal.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@code application/problem+json} answer (RFC 9457): its status, the body's members, and the
 * headers that go with it ({@code Retry-After}, {@code Allow}). {@link ProblemMapper} decides them;
 * this record only writes them, through JAX-RS or on a Vert.x route alike.
 *
 * @param slug       the problem's type, documented in docs/api.md under this name
 * @param extensions members of the body besides the standard ones ({@code currentRevision}, {@code limit})
 */
public record Problem(int status, String slug, String title, String detail, Map<String, Object> extensions,
                      Map<String, String> headers) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:ordinal:problem:";

    public Problem(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, Map.of(), Map.of());
    }

    /** The same problem, answered with one more header. */
    Problem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Problem(status, slug, title, detail, extensions, more);
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        return body;
    }

    /** The answer of a JAX-RS resource or exception mapper. */
    Response response() {
        Response.ResponseBuilder r = Response.status(status).type(MEDIA_TYPE).entity(body());
        headers.forEach(r::header);
        return r.build();
    }

    /**
     * Ends a response with this problem, for the answers given outside JAX-RS (before or around it).
     * Its length is declared for a HEAD too, whose answer carries no body: the length a GET's would have.
     */
    void end(HttpServerResponse response) {
        Buffer json = Json.encodeToBuffer(body());
        headers.forEach(response::putHeader);
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(json.length()))
                .end(json);
    }
}
