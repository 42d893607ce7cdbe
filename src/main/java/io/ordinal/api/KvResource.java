package io.ordinal.api;

import io.ordinal.command.KeyValue;
import io.ordinal.command.Query;
import io.ordinal.frontend.Consistency;
import io.ordinal.frontend.KvClient;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * API v1 keys and values. Translation only: HTTP in, a command or query to the cluster, HTTP out.
 * Conditions are sent to the state machine, which decides them in log order. GET, PUT and DELETE of
 * one key usually never reach this class: {@link KeyRoute} answers them first, with the same
 * {@link KeyRequests}; what it passes on (HEAD, a body of unknown or excessive length, Expect) and the
 * listing are answered here, and this class documents them all in the OpenAPI document.
 */
@Path("/v1/kv")
@Tag(name = "kv", description = "Keys and values")
public class KvResource {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final String KEY_DOC = "the key: the rest of the path, percent-decoded UTF-8, 1 to 1024 bytes; "
            + "may contain / (dot segments such as . and .. are part of the key)";

    private final KvClient client;
    private final KeyRequests keys;

    @Inject
    public KvResource(KvClient client, KeyRequests keys) {
        this.client = client;
        this.keys = keys;
    }

    @PUT
    @Path("{key}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Set a key's value (the body, any bytes)",
            description = "201 when created, 200 when replaced. If-Match: \"N\" applies only if the key's "
                    + "modRevision is N; If-None-Match: * only if the key is absent; otherwise 412. ?lease=ID attaches "
                    + "the key to a lease (deleted when it expires; 404 if the lease does not exist); a put without "
                    + "lease detaches it.")
    public CompletionStage<Response> put(@Context HttpServerRequest request,
                                         @Parameter(description = KEY_DOC) @PathParam("key") String ignored,
                                         byte[] body) {
        return keys.put(request, body == null ? new byte[0] : body).thenApply(KvResource::response);
    }

    @GET
    @Path("{key}")
    @Operation(summary = "Read a key's value",
            description = "Linearizable by default; ?consistency=stale reads any replica's local state. "
                    + "If-Match: 412 unless the key exists at a listed revision; If-None-Match: 304 if it is.")
    public CompletionStage<Response> get(@Context HttpServerRequest request,
                                         @Parameter(description = KEY_DOC) @PathParam("key") String ignored) {
        return keys.get(request).thenApply(KvResource::response);
    }

    @DELETE
    @Path("{key}")
    @Operation(summary = "Delete a key", description = "204 when deleted, 404 when absent; "
            + "with If-Match, 412 unless the key exists at a listed modRevision.")
    public CompletionStage<Response> delete(@Context HttpServerRequest request,
                                            @Parameter(description = KEY_DOC) @PathParam("key") String ignored) {
        return keys.delete(request).thenApply(KvResource::response);
    }

    private static Response response(KeyRequests.Answer answer) {
        Response.ResponseBuilder r = Response.status(answer.status());
        if (answer.etag() > 0) {
            r.header(HttpHeaders.ETAG, Conditions.etag(answer.etag()));
        }
        if (answer.body() != null) {
            r.entity(answer.body()).type(answer.contentType());
        }
        return r.build();
    }

    @GET
    @Operation(summary = "List keys in byte order",
            description = "?prefix=p&after=k&limit=n (1 to 1000, default 100)&keysOnly=true&consistency=stale. "
                    + "next is the last key of the page when more keys follow, else null.")
    public CompletionStage<Response> list(@Context HttpServerRequest request) {
        QueryParams params = QueryParams.of(request);
        byte[] prefix = params.keyBytes("prefix");
        byte[] after = params.keyBytes("after");
        int limit = params.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        boolean keysOnly = params.bool("keysOnly");
        Consistency consistency = params.consistency();
        Query.Range range = new Query.Range(prefix == null ? new byte[0] : prefix,
                after == null || after.length == 0 ? null : after, limit, keysOnly);
        return client.range(range, consistency).thenApply(result -> {
            List<Item> items = result.items().stream().map(kv -> Item.of(kv, keysOnly)).toList();
            String next = result.more() && !items.isEmpty() ? items.get(items.size() - 1).key() : null;
            return Response.ok(new ListResponse(items, next), MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    @OPTIONS
    @Operation(hidden = true)
    @Path("{key}")
    public Response keyOptions() {
        return Routes.options(Routes.KEY_METHODS);
    }

    @OPTIONS
    @Operation(hidden = true)
    public Response collectionOptions() {
        return Routes.options(Routes.READ_ONLY_METHODS);
    }

    /** One page of keys. */
    public record ListResponse(List<Item> items, String next) {
    }

    /** A key, its value in Base64 (absent with keysOnly=true) and its modRevision. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Item(String key, String value, long revision) {
        static Item of(KeyValue kv, boolean keysOnly) {
            return new Item(Keys.utf8(kv.key(), "key"),
                    keysOnly ? null : Base64.getEncoder().encodeToString(kv.value()), kv.modRevision());
        }
    }

}
