package io.ordinal.api;

import io.ordinal.command.KeyValue;
import io.ordinal.command.Query;
import io.ordinal.client.Consistency;
import io.ordinal.client.KvClient;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * API v1 listing of keys, {@code GET /v1/kv}. Translation only: HTTP in, a range query to the
 * cluster, HTTP out. One key's requests ({@code /v1/kv/{key}}) are {@link KeyRoute}'s.
 */
@Path("/v1/kv")
@Tag(name = "kv", description = "Keys and values")
public class KvResource {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final KvClient client;

    @Inject
    public KvResource(KvClient client) {
        this.client = client;
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
