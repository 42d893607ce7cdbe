package io.ordinal.api;

import io.ordinal.command.Command;
import io.ordinal.config.OrdinalConfig;
import io.ordinal.client.KvClient;
import io.ordinal.security.Authorizer;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.concurrent.CompletionStage;

/** {@code POST /v1/txn}: etcd's Txn, as one log entry. Translation only. */
@Path("/v1/txn")
@Tag(name = "txn", description = "Atomic multi-key transactions")
public class TxnResource {

    private final KvClient client;
    private final int maxOps;
    private final int maxBytes;
    private final int maxValueBytes;

    @Inject
    public TxnResource(KvClient client, OrdinalConfig config) {
        this.client = client;
        this.maxOps = config.api().txnMaxOps();
        this.maxBytes = config.api().txnMaxBytes();
        this.maxValueBytes = config.api().maxValueBytes();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Run a transaction",
            description = "If every compare holds, the success operations run, else the failure ones, in order, "
                    + "atomically, as one write: all its writes share one new revision. 200 either way (succeeded says "
                    + "which branch ran). 400 malformed, too many operations or a key written twice in a branch; 404 a "
                    + "put names an unknown lease; 409 a put would take a lease past its most keys; 413 too large, or "
                    + "deletePrefix operations that would delete more than 10,000 keys; 503 outcome unknown. With security "
                    + "on, 403 unless the token may read every compared or read key and write every written one.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Txns.TxnRequest.class)))
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Txns.TxnResponse.class)))
    public CompletionStage<Response> txn(byte[] body, @Context RoutingContext routing) {
        Command.Txn txn = Txns.parse(body, maxOps, maxBytes, maxValueBytes);
        Authorizer.txn(AccessFilter.principal(routing), txn); // every key it touches, before it is sent
        return client.txn(txn).thenApply(result -> {
            if (result.missingLease() != 0) {
                throw ApiException.leaseNotFound(result.missingLease());
            }
            if (result.fullLease() != 0) {
                throw ApiException.leaseFull(result.fullLease());
            }
            if (result.tooManyDeletions()) {
                throw ApiException.tooManyDeletions();
            }
            return Response.ok(Txns.response(txn, result), MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    @OPTIONS
    @Operation(hidden = true)
    public Response options() {
        return Routes.options(Routes.POST_ONLY);
    }
}
