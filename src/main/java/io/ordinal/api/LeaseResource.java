package io.ordinal.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ordinal.command.Command;
import io.ordinal.client.KvClient;
import io.ordinal.command.Limits;
import io.ordinal.security.Access;
import io.ordinal.security.Authorizer;
import io.ordinal.security.Principal;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Leases: keys attached to one ({@code PUT /v1/kv/k?lease=ID}) are deleted when it is revoked or
 * expires. Grant, keepalive and revoke are writes through the log; the countdown runs on the leader.
 */
@Path("/v1/lease")
@Tag(name = "lease", description = "Leases: keys that expire unless kept alive")
public class LeaseResource {

    /** etcd's largest time to live. */
    static final long MAX_TTL_SECONDS = 9_000_000_000L;
    /** A lease's description lists at most this many of its keys. */
    private static final int MAX_KEYS_SHOWN = 1000;

    private final KvClient client;

    @Inject
    public LeaseResource(KvClient client) {
        this.client = client;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Grant a lease", description = "Body {\"ttl\": seconds} (1 to 9,000,000,000). 201 with the "
            + "lease's id; it expires ttl seconds after it was granted or last kept alive, as the leader counts "
            + "(a new leader gives every lease its full ttl again).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GrantRequest.class)))
    public CompletionStage<Response> grant(byte[] body) {
        JsonNode json = JsonBodies.object(body, "{\"ttl\": seconds}");
        JsonBodies.only(json, "the lease", Set.of("ttl"));
        long ttl = JsonBodies.number(json, "ttl", "the lease", 1, MAX_TTL_SECONDS, null);
        // Response.created would resolve the location against the request, which this thread does not carry.
        return client.lease(new Command.LeaseGrant(ttl)).thenApply(r -> Response.status(201)
                .header("Location", "/v1/lease/" + r.id())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new LeaseResponse(r.id(), r.ttlSeconds()))
                .build());
    }

    @POST
    @Path("{id}/keepalive")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Keep a lease alive", description = "Its countdown starts again from its full ttl. 404 when "
            + "the lease does not exist (never granted, revoked or expired).")
    public CompletionStage<Response> keepAlive(@PathParam("id") String id) {
        long lease = id(id);
        return client.lease(new Command.LeaseKeepAlive(lease)).thenApply(r -> {
            if (!r.found()) {
                throw ApiException.leaseNotFound(lease);
            }
            return Response.ok(new LeaseResponse(r.id(), r.ttlSeconds()), MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a lease", description = "Deletes the lease and every key attached to it, all at one "
            + "revision (0 when it had no keys). 404 when the lease does not exist.")
    public CompletionStage<Response> revoke(@PathParam("id") String id, @Context RoutingContext routing) {
        long lease = id(id);
        return mayWriteKeysOf(AccessFilter.principal(routing), lease)
                .thenCompose(v -> client.lease(new Command.LeaseRevoke(lease))).thenApply(r -> {
            if (!r.found()) {
                throw ApiException.leaseNotFound(lease);
            }
            return Response.ok(new RevokeResponse(r.id(), r.revision(), r.deletedKeys()), MediaType.APPLICATION_JSON_TYPE)
                    .build();
        });
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Describe a lease", description = "Its ttl, the time left as the leader counts it "
            + "(remainingMillis; left out when the leader did not answer) and its keys (at most 1000).")
    public CompletionStage<Response> describe(@PathParam("id") String id, @Context RoutingContext routing) {
        long lease = id(id);
        Principal principal = AccessFilter.principal(routing);
        return client.leaseInfo(lease, MAX_KEYS_SHOWN).thenApply(info -> {
            if (!info.found()) {
                throw ApiException.leaseNotFound(lease);
            }
            info.keys().forEach(key -> Authorizer.key(principal, Access.READ, key)); // the answer names them
            return Response.ok(new LeaseDescription(info.id(), info.ttlSeconds(),
                    info.remainingMillis() < 0 ? null : info.remainingMillis(),
                    info.keys().stream().map(k -> Keys.utf8(k, "key")).toList()), MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    /**
     * Revoking deletes the lease's keys: with security on, only a principal that may write every one of
     * them may (a key attached between this check and the revoke is deleted with the others).
     */
    private CompletableFuture<Void> mayWriteKeysOf(Principal principal, long lease) {
        if (principal.isRoot()) {
            return CompletableFuture.completedFuture(null);
        }
        return client.leaseInfo(lease, Limits.MAX_DELETED_KEYS).thenAccept(info ->
                info.keys().forEach(key -> Authorizer.key(principal, Access.READWRITE, key)));
    }

    @OPTIONS
    @Operation(hidden = true)
    public Response grantOptions() {
        return Routes.options(Routes.POST_ONLY);
    }

    @OPTIONS
    @Path("{id}")
    @Operation(hidden = true)
    public Response leaseOptions() {
        return Routes.options(Routes.LEASE_METHODS);
    }

    @OPTIONS
    @Path("{id}/keepalive")
    @Operation(hidden = true)
    public Response keepAliveOptions() {
        return Routes.options(Routes.POST_ONLY);
    }

    /** A lease id: a positive whole number. */
    static long id(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("bad-parameter", "a lease id is a positive whole number; got '" + text + "'");
    }

    public record GrantRequest(long ttl) {
    }

    public record LeaseResponse(long id, long ttl) {
    }

    /** @param revision the revision of the deletes of its keys, 0 when it had none */
    public record RevokeResponse(long id, long revision, long deleted) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LeaseDescription(long id, long ttl, Long remainingMillis, List<String> keys) {
    }
}
