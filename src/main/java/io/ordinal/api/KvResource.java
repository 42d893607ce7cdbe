package io.ordinal.api;

import io.ordinal.command.Command;
import io.ordinal.command.KeyValue;
import io.ordinal.command.Precondition;
import io.ordinal.command.Query;
import io.ordinal.command.WriteResult;
import io.ordinal.config.OrdinalConfig;
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
 * Conditions are sent to the state machine, which decides them in log order.
 */
@Path("/v1/kv")
@Tag(name = "kv", description = "Keys and values")
public class KvResource {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final String KEY_DOC = "the key: the rest of the path, percent-decoded UTF-8, 1 to 1024 bytes; "
            + "may contain / (dot segments such as . and .. are part of the key)";

    private final KvClient client;
    private final int maxValueBytes;

    @Inject
    public KvResource(KvClient client, OrdinalConfig config) {
        this.client = client;
        this.maxValueBytes = config.api().maxValueBytes();
    }

    @PUT
    @Path("{key}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Set a key's value (the body, any bytes)",
            description = "201 when created, 200 when replaced. If-Match: \"N\" applies only if the key's "
                    + "modRevision is N; If-None-Match: * only if the key is absent; otherwise 412. ?lease=ID attaches "
                    + "the key to a lease (deleted when it expires; 404 if the lease does not exist); a put without "
                    + "lease detaches it.")
    public CompletionStage<Response> put(@Context HttpServerRequest request, @Context HttpHeaders headers,
                                         @Parameter(description = KEY_DOC) @PathParam("key") String ignored,
                                         byte[] body) {
        byte[] key = Keys.fromRawPath(request.path());
        byte[] value = body == null ? new byte[0] : body;
        if (value.length > maxValueBytes) {
            throw ApiException.tooLarge("the value is " + value.length + " bytes; the limit is "
                    + maxValueBytes + " bytes", maxValueBytes);
        }
        Precondition condition = Conditions.forPut(headers);
        long lease = QueryParams.of(request).positiveLong("lease");
        String keyText = Keys.utf8(key, "key");
        return client.write(new Command.Put(key, value, condition, lease)).thenApply(result -> {
            if (result.outcome() == WriteResult.Outcome.PRECONDITION_FAILED) {
                throw Conditions.failed(keyText, result.previousRevision());
            }
            if (result.outcome() == WriteResult.Outcome.LEASE_NOT_FOUND) {
                throw ApiException.leaseNotFound(lease);
            }
            int status = result.outcome() == WriteResult.Outcome.CREATED ? 201 : 200;
            return Response.status(status)
                    .tag(Conditions.etag(result.revision()))
                    .type(MediaType.APPLICATION_JSON)
                    .entity(new PutResponse(keyText, result.revision(), result.previousRevision()))
                    .build();
        });
    }

    @GET
    @Path("{key}")
    @Operation(summary = "Read a key's value",
            description = "Linearizable by default; ?consistency=stale reads any replica's local state. "
                    + "If-Match: 412 unless the key exists at a listed revision; If-None-Match: 304 if it is.")
    public CompletionStage<Response> get(@Context HttpServerRequest request, @Context HttpHeaders headers,
                                         @Parameter(description = KEY_DOC) @PathParam("key") String ignored) {
        byte[] key = Keys.fromRawPath(request.path());
        Consistency consistency = QueryParams.of(request).consistency();
        Precondition ifMatch = Conditions.forGet(headers);
        String ifNoneMatch = headers.getHeaderString(HttpHeaders.IF_NONE_MATCH);
        return client.get(key, consistency).thenApply(found -> {
            long modRevision = found == null ? 0 : found.modRevision();
            if (!ifMatch.holds(modRevision)) {
                throw Conditions.failed(Keys.utf8(key, "key"), modRevision);
            }
            if (found == null) {
                throw ApiException.notFound("key '" + Keys.utf8(key, "key") + "' does not exist");
            }
            if (ifNoneMatch != null && Conditions.matchesAny(ifNoneMatch, found.modRevision())) {
                return Response.notModified(Conditions.etag(found.modRevision())).build();
            }
            return Response.ok(found.value(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                    .tag(Conditions.etag(found.modRevision()))
                    .build();
        });
    }

    @DELETE
    @Path("{key}")
    @Operation(summary = "Delete a key", description = "204 when deleted, 404 when absent; "
            + "with If-Match, 412 unless the key exists at a listed modRevision.")
    public CompletionStage<Response> delete(@Context HttpServerRequest request, @Context HttpHeaders headers,
                                            @Parameter(description = KEY_DOC) @PathParam("key") String ignored) {
        byte[] key = Keys.fromRawPath(request.path());
        Precondition condition = Conditions.forDelete(headers);
        String keyText = Keys.utf8(key, "key");
        return client.write(new Command.Delete(key, condition)).thenApply(result -> switch (result.outcome()) {
            case DELETED -> Response.noContent().build();
            case NOT_FOUND -> throw ApiException.notFound("key '" + keyText + "' does not exist");
            case PRECONDITION_FAILED -> throw Conditions.failed(keyText, result.previousRevision());
            default -> throw new IllegalStateException("unexpected outcome of a delete: " + result.outcome());
        });
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

    /** The answer to a successful PUT. */
    public record PutResponse(String key, long revision, long previousRevision) {
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
