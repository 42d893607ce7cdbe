package io.ordinal.api;

import io.ordinal.security.AccessControl;
import io.ordinal.security.AuthRecords.Kind;
import io.ordinal.security.AuthStore;
import io.ordinal.security.Principal;
import io.ordinal.security.Role;
import io.ordinal.security.Tokens;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code /v1/auth/*}: roles, tokens and bindings (root only, checked by {@link AccessFilter}), and
 * {@code whoami}. Translation only: the records are {@link AuthStore}'s. With security off there are
 * none: every request here is a {@code 404 security-disabled} problem.
 */
@Path(AccessRules.AUTH)
@Tag(name = "auth", description = "Tokens, roles and bindings (security on)")
@Consumes(MediaType.WILDCARD)
public class AuthResource {

    private final AccessControl access;

    @Inject
    public AuthResource(AccessControl access) {
        this.access = access;
    }

    @GET
    @Path("whoami")
    @Operation(summary = "The credential's subject, roles and the permissions they grant")
    public Response whoami(@Context RoutingContext routing) {
        store();
        Principal p = AccessFilter.principal(routing);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", p.subject());
        body.put("roles", p.roles());
        body.put("permissions", AuthBodies.permissions(p.effectivePermissions()));
        return ok(body);
    }

    @GET
    @Path("roles")
    @Operation(summary = "Every role (the built-in root is not stored, and not listed)")
    public CompletionStage<Response> roles() {
        return store().roles().thenApply(roles -> ok(items(roles.stream().map(AuthBodies::json).toList())));
    }

    @GET
    @Path("roles/{name}")
    @Operation(summary = "One role; 404 when unknown")
    public CompletionStage<Response> role(@PathParam("name") String name) {
        AuthStore store = store();
        if (name.equals(Role.ROOT)) {
            return CompletableFuture.completedFuture(ok(AuthBodies.json(new Role(Role.ROOT,
                    Principal.ROOT.effectivePermissions()))));
        }
        return store.role(AuthBodies.name(name, "role")).thenApply(role -> ok(AuthBodies.json(role.orElseThrow(() ->
                ApiException.notFound("no role '" + name + "'")))));
    }

    @PUT
    @Path("roles/{name}")
    @Operation(summary = "Create (201) or replace (200) a role",
            description = "Body {\"permissions\":[{\"prefix\":\"app/\",\"access\":\"read\"}]}; access is read or readwrite. "
                    + "400 for a bad body or the built-in root.")
    public CompletionStage<Response> putRole(@PathParam("name") String name, byte[] body) {
        AuthStore store = store();
        Role role = AuthBodies.role(notRoot(AuthBodies.name(name, "role")), body);
        return store.putRole(role).thenApply(created -> Response.status(created ? 201 : 200)
                .type(MediaType.APPLICATION_JSON_TYPE).entity(AuthBodies.json(role)).build());
    }

    @DELETE
    @Path("roles/{name}")
    @Operation(summary = "Delete a role (204); tokens and bindings that name it lose its permissions")
    public CompletionStage<Response> deleteRole(@PathParam("name") String name) {
        return delete(Kind.ROLE, notRoot(AuthBodies.name(name, "role")), "role");
    }

    @GET
    @Path("tokens")
    @Operation(summary = "Every token, never its secret")
    public CompletionStage<Response> tokens() {
        return store().tokens().thenApply(tokens -> ok(items(tokens.stream().map(AuthBodies::json).toList())));
    }

    @POST
    @Path("tokens")
    @Operation(summary = "Issue a token",
            description = "Body {\"roles\":[\"app-reader\"],\"description\":\"ci\",\"ttlSeconds\":3600} (ttlSeconds "
                    + "optional: no expiry). 201 with the token: the only time it is shown. 400 for an unknown role.")
    public CompletionStage<Response> issue(byte[] body) {
        AuthStore store = store();
        AuthBodies.TokenRequest request = AuthBodies.token(body);
        Instant expiresAt = request.ttlSeconds() == null ? null : Instant.now().plusSeconds(request.ttlSeconds());
        return store.issueToken(request.roles(), request.description(), expiresAt).thenApply(issued -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", issued.record().id());
            json.put("token", issued.token());
            json.putAll(AuthBodies.json(issued.record()));
            return Response.status(201).header("Location", AccessRules.AUTH + "/tokens/" + issued.record().id())
                    .type(MediaType.APPLICATION_JSON_TYPE).entity(json).build();
        });
    }

    @DELETE
    @Path("tokens/{id}")
    @Operation(summary = "Revoke a token (204): refused on every frontend within 2 s")
    public CompletionStage<Response> revoke(@PathParam("id") String id) {
        AuthStore store = store();
        if (!Tokens.isId(id)) {
            throw ApiException.badRequest("bad-name", "a token id is 16 lowercase hexadecimal digits; got '" + id + "'");
        }
        return delete(Kind.TOKEN, id, "token");
    }

    @GET
    @Path("bindings")
    @Operation(summary = "Every binding of a JWT subject to roles")
    public CompletionStage<Response> bindings() {
        return store().bindings().thenApply(bindings -> ok(items(bindings.stream().map(AuthBodies::json).toList())));
    }

    @GET
    @Path("bindings/{name}")
    @Operation(summary = "One binding; 404 when unknown")
    public CompletionStage<Response> binding(@PathParam("name") String name) {
        return store().binding(AuthBodies.name(name, "binding")).thenApply(b -> ok(AuthBodies.json(b.orElseThrow(() ->
                ApiException.notFound("no binding '" + name + "'")))));
    }

    @PUT
    @Path("bindings/{name}")
    @Operation(summary = "Create (201) or replace (200) a binding",
            description = "Body {\"subject\":\"system:serviceaccount:team-a:api\",\"roles\":[\"app-reader\"]}. 400 for an "
                    + "unknown role.")
    public CompletionStage<Response> putBinding(@PathParam("name") String name, byte[] body) {
        AuthStore store = store();
        var binding = AuthBodies.binding(AuthBodies.name(name, "binding"), body);
        return store.putBinding(binding).thenApply(created -> Response.status(created ? 201 : 200)
                .type(MediaType.APPLICATION_JSON_TYPE).entity(AuthBodies.json(binding)).build());
    }

    @DELETE
    @Path("bindings/{name}")
    @Operation(summary = "Delete a binding (204)")
    public CompletionStage<Response> deleteBinding(@PathParam("name") String name) {
        return delete(Kind.BINDING, AuthBodies.name(name, "binding"), "binding");
    }

    @OPTIONS
    @Path("{rest: .+}")
    @Operation(hidden = true)
    public Response options(@PathParam("rest") String rest) {
        return Routes.options(Routes.authMethods(rest));
    }

    private CompletionStage<Response> delete(Kind kind, String name, String what) {
        return store().delete(kind, name).thenApply(existed -> {
            if (!existed) {
                throw ApiException.notFound("no " + what + " '" + name + "'");
            }
            return Response.noContent().build();
        });
    }

    private AuthStore store() {
        if (!access.enabled()) {
            throw new ApiException(404, "security-disabled", "Not Found", "security is off "
                    + "(ordinal.security.enabled=false): there are no tokens, roles or bindings", Map.of());
        }
        return access.store();
    }

    private static String notRoot(String name) {
        if (name.equals(Role.ROOT)) {
            throw ApiException.badRequest("root-role", "the built-in role root may do everything and cannot be changed");
        }
        return name;
    }

    private static Map<String, Object> items(List<Map<String, Object>> items) {
        return Map.of("items", items);
    }

    private static Response ok(Object body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
