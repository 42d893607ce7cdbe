package io.ordinal.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ordinal.command.OrdinalException;
import io.ordinal.dashboard.DrillException;
import io.ordinal.client.NotAMemberException;
import io.ordinal.client.UnavailableException;
import io.ordinal.security.AuthenticationException;
import io.ordinal.security.ForbiddenException;
import io.ordinal.security.UnknownRoleException;
import io.vertx.core.http.HttpServerRequest;
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

import java.util.concurrent.CompletionException;

/**
 * Every error the API can answer, mapped to its status and problem body in one place,
 * {@link #problem}: for JAX-RS through the exception mappers below, and for the Vert.x routes (keys,
 * the watch stream, the request-target check) through {@link #answer}. Bad input is a 4xx with a
 * clear detail; only a failure of our own is a 500, and its answer names no exception or internal
 * detail (it is logged).
 */
@UnwrapException({CompletionException.class})
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    private static final Problem INTERNAL = new Problem(500, "internal", "Internal Server Error",
            "the server failed to handle the request; the failure is logged");

    /** What to answer to a request with {@code method} that failed with {@code error}. */
    static Problem problem(Throwable error, String method) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof OrdinalException ours) {
            return ours(ours, method);
        }
        if (e instanceof NotFoundException) {
            return new Problem(404, "not-found", "Not Found", "no such resource");
        }
        if (e instanceof WebApplicationException web) { // what the framework refused (415, 406, ...)
            Response.StatusType type = web.getResponse().getStatusInfo();
            if (type.getStatusCode() >= 500) {
                LOG.error("request failed", e);
            }
            return new Problem(type.getStatusCode(), "http-" + type.getStatusCode(), type.getReasonPhrase(),
                    e.getMessage() == null ? type.getReasonPhrase() : e.getMessage());
        }
        if (e instanceof JsonProcessingException json) {
            return new Problem(400, "bad-json", "Bad Request", "the body is not valid JSON: " + json.getOriginalMessage());
        }
        LOG.error("request failed", e);
        return INTERNAL;
    }

    /**
     * Our own failures, by type: a refused request, a cluster that did not answer, a transfer to a
     * non-member, a drill, a credential refused (401) or not allowed (403), a token for unknown roles. Any other (the store, a replica, the codec failed) is a failure of ours: a 500.
     */
    private static Problem ours(OrdinalException e, String method) {
        if (e instanceof ApiException api) {
            return api.problem();
        }
        if (e instanceof UnavailableException unavailable) {
            return unavailable(unavailable, method);
        }
        if (e instanceof NotAMemberException) { // leader transfer to a replica that is not a voting member
            return new Problem(400, "bad-target", "Bad Request", e.getMessage());
        }
        if (e instanceof DrillException drill) {
            return drill(drill);
        }
        if (e instanceof AuthenticationException) { // the detail says why, never the credential
            return new Problem(401, "unauthenticated", "Unauthorized", e.getMessage())
                    .withHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        if (e instanceof ForbiddenException forbidden) {
            return new Problem(403, "forbidden", "Forbidden", e.getMessage(),
                    java.util.Map.of("missing", forbidden.missing()), java.util.Map.of());
        }
        if (e instanceof UnknownRoleException unknown) {
            return new Problem(400, "unknown-role", "Bad Request", e.getMessage(),
                    java.util.Map.of("roles", unknown.roles()), java.util.Map.of());
        }
        LOG.error("request failed", e);
        return INTERNAL;
    }

    /** Answers a request served by a Vert.x route, outside JAX-RS, with {@link #problem}. */
    static void answer(HttpServerRequest request, Throwable error) {
        problem(error, request.method().name()).end(request.response());
    }

    /**
     * No leader or no quorum within the deadline: the client should retry, and a write's outcome is
     * unknown. What went wrong inside (a Ratis exception, a group id) is logged, not answered.
     */
    private static Problem unavailable(UnavailableException e, String method) {
        LOG.warnf("%s answered 503: %s; cause: %s", method, e.getMessage(), e.getCause());
        boolean write = HttpMethod.PUT.equals(method) || HttpMethod.DELETE.equals(method) || HttpMethod.POST.equals(method);
        String detail = "no leader or no quorum of replicas answered within the request deadline; retry later"
                + (write ? "; the write's outcome is unknown: it may or may not have been applied" : "");
        return new Problem(503, "unavailable", "Service Unavailable", detail).withHeader("Retry-After", "1");
    }

    private static Problem drill(DrillException e) {
        return switch (e.reason()) {
            case DISABLED -> new Problem(404, "drills-disabled", "Not Found", e.getMessage());
            case UNKNOWN -> new Problem(404, "not-found", "Not Found", e.getMessage());
            case CONFLICT -> new Problem(409, "drill-conflict", "Conflict", e.getMessage());
            case FAILED -> {
                LOG.warnf("drill failed: %s", e.getMessage());
                yield new Problem(500, "drill-failed", "Internal Server Error", "the drill failed: " + e.getMessage());
            }
        };
    }

    // The JAX-RS mappers, one per family the framework dispatches on; each only asks problem().

    @ServerExceptionMapper
    public Response ours(OrdinalException e, Request request) {
        return problem(e, request.getMethod()).response();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, Request request) {
        return problem(e, request.getMethod()).response();
    }

    /** The {@code Allow} header comes from {@link Routes}, as does the answer to {@code OPTIONS}. */
    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri, Request request) {
        String allow = Routes.allowedMethods(uri.getPath());
        return problem(ApiException.methodNotAllowed(request.getMethod(), allow), request.getMethod())
                .withHeader(HttpHeaders.ALLOW, allow).response();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, Request request) {
        return problem(e, request.getMethod()).response();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, Request request) {
        return problem(e, request.getMethod()).response();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, Request request) {
        return problem(e, request.getMethod()).response();
    }
}
