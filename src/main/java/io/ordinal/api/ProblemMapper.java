package io.ordinal.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ordinal.frontend.NotAMemberException;
import io.ordinal.dashboard.DrillException;
import io.ordinal.frontend.UnavailableException;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.UnwrapException;

import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Every error the API can answer, mapped to its status and problem body in one place. Bad input is a
 * 4xx with a clear detail; only a failure of our own is a 500.
 */
@UnwrapException({CompletionException.class})
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return Problem.response(e.status(), e.slug(), e.title(), e.getMessage(), e.extensions()).build();
    }

    /**
     * No leader or no quorum within the deadline: the client should retry, and a write's outcome is
     * unknown. What went wrong inside (a Ratis exception, a group id) is logged, not answered.
     */
    @ServerExceptionMapper
    public Response unavailable(UnavailableException e, Request request) {
        return unavailable(e, request.getMethod());
    }

    static Response unavailable(UnavailableException e, String method) {
        LOG.warnf("%s answered 503: %s; cause: %s", method, e.getMessage(), e.getCause());
        boolean write = HttpMethod.PUT.equals(method) || HttpMethod.DELETE.equals(method) || HttpMethod.POST.equals(method);
        String detail = "no leader or no quorum of replicas answered within the request deadline; retry later"
                + (write ? "; the write's outcome is unknown: it may or may not have been applied" : "");
        return Problem.response(503, "unavailable", "Service Unavailable", detail, Map.of())
                .header("Retry-After", "1")
                .build();
    }


    /** Leader transfer to a replica that is not a voting member. */
    @ServerExceptionMapper
    public Response notAMember(NotAMemberException e) {
        return Problem.response(400, "bad-target", "Bad Request", e.getMessage(), Map.of()).build();
    }

    /**
     * The same mapping, for the one endpoint served outside JAX-RS (the watch stream, a Vert.x route):
     * its request errors and a 503 before the stream starts.
     */
    static void answer(HttpServerResponse response, Throwable error, String method) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        Response r;
        if (e instanceof ApiException api) {
            r = Problem.response(api.status(), api.slug(), api.title(), api.getMessage(), api.extensions()).build();
        } else if (e instanceof UnavailableException unavailable) {
            r = unavailable(unavailable, method);
        } else {
            LOG.error("request failed", e);
            r = Problem.response(500, "internal", "Internal Server Error",
                    "the server failed to handle the request; the failure is logged", Map.of()).build();
        }
        r.getHeaders().forEach((name, values) -> values.forEach(v -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                response.putHeader(name, String.valueOf(v));
            }
        }));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) r.getEntity();
        response.setStatusCode(r.getStatus())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(io.vertx.core.json.Json.encode(body));
    }

    @ServerExceptionMapper
    public Response drill(DrillException e) {
        return switch (e.reason()) {
            case DISABLED -> Problem.response(404, "drills-disabled", "Not Found", e.getMessage(), Map.of()).build();
            case UNKNOWN -> Problem.response(404, "not-found", "Not Found", e.getMessage(), Map.of()).build();
            case CONFLICT -> Problem.response(409, "drill-conflict", "Conflict", e.getMessage(), Map.of()).build();
            case FAILED -> {
                LOG.warnf("drill failed: %s", e.getMessage());
                yield Problem.response(500, "drill-failed", "Internal Server Error", "the drill failed: "
                        + e.getMessage(), Map.of()).build();
            }
        };
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.response(404, "not-found", "Not Found", "no such resource", Map.of()).build();
    }

    /** The {@code Allow} header comes from {@link Routes}, as does the answer to {@code OPTIONS}. */
    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri, Request request) {
        String allow = Routes.allowedMethods(uri.getPath());
        return Problem.response(405, "method-not-allowed", "Method Not Allowed",
                        request.getMethod() + " is not allowed here; allowed: " + allow, Map.of())
                .header(HttpHeaders.ALLOW, allow)
                .build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.StatusType type = e.getResponse().getStatusInfo();
        return Problem.response(status, "http-" + status, type.getReasonPhrase(),
                e.getMessage() == null ? type.getReasonPhrase() : e.getMessage(), Map.of()).build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return Problem.response(400, "bad-json", "Bad Request", "the body is not valid JSON: "
                + e.getOriginalMessage(), Map.of()).build();
    }

    /** A failure of ours: logged in full; the answer names no exception or internal detail. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("request failed", e);
        return Problem.response(500, "internal", "Internal Server Error",
                "the server failed to handle the request; the failure is logged", Map.of()).build();
    }
}
