package io.ordinal.api;

import io.ordinal.client.ClusterStatus;
import io.ordinal.client.KvClient;
import io.ordinal.replica.ReplicaLifecycle;
import io.ordinal.replica.ReplicaReport;
import jakarta.inject.Inject;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/** The Raft group as the replicas report it, and a replica's own view of itself. */
@Path("/v1")
@Tag(name = "cluster", description = "Raft group membership and roles")
public class ClusterResource {

    private final KvClient client;
    private final ReplicaLifecycle replica;

    @Inject
    public ClusterResource(KvClient client, ReplicaLifecycle replica) {
        this.client = client;
        this.replica = replica;
    }

    @GET
    @Path("cluster")
    @Operation(summary = "The leader, the term and every member's role, commit and applied index")
    public CompletionStage<Response> cluster() {
        return client.cluster().thenApply(status -> Response.ok(status, MediaType.APPLICATION_JSON_TYPE).build());
    }

    /**
     * Leader transfer, for operators (before maintenance on the leader's node, say): Ratis's
     * transferLeadership, answered once the target leads, with the group's new status.
     */
    @POST
    @Path("cluster/leader")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Hand leadership to a member",
            description = "Body {\"target\": \"kv-store-2\"}. 200 with the cluster's status once the target leads "
                    + "(at once if it already did); 400 when the target is not a voting member; 503 when leadership "
                    + "did not move within the request deadline.")
    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(content = @org.eclipse.microprofile.openapi.annotations.media.Content(
            mediaType = MediaType.APPLICATION_JSON,
            schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = TransferRequest.class)))
    public CompletionStage<Response> transferLeader(byte[] body) {
        JsonNode json = JsonBodies.object(body, "{\"target\": \"kv-store-N\"}");
        JsonBodies.only(json, "the request", Set.of("target"));
        String target = JsonBodies.text(json, "target", "the request", true);
        return client.transferLeadership(target)
                .thenApply(status -> Response.ok(status, MediaType.APPLICATION_JSON_TYPE).build());
    }

    @OPTIONS
    @Operation(hidden = true)
    @Path("cluster/leader")
    public Response leaderOptions() {
        return Routes.options(Routes.POST_ONLY);
    }

    public record TransferRequest(String target) {
    }

    /** Served by replicas only: what this replica knows of itself, without asking any other. */
    @GET
    @Path("replica")
    @Operation(summary = "This replica's own role, term, leader, commit and applied index, and its process and"
            + " volume (replicas only)")
    public Response self() {
        ReplicaReport report = replica.report()
                .orElseThrow(() -> ApiException.notFound("this process runs no replica"));
        return Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @OPTIONS
    @Operation(hidden = true)
    @Path("cluster")
    public Response clusterOptions() {
        return Routes.options(Routes.READ_ONLY_METHODS);
    }

    @OPTIONS
    @Operation(hidden = true)
    @Path("replica")
    public Response selfOptions() {
        return Routes.options(Routes.READ_ONLY_METHODS);
    }

    /** For the OpenAPI document. */
    static Class<ClusterStatus> schema() {
        return ClusterStatus.class;
    }
}
