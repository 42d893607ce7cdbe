package io.ordinal.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordinal.dashboard.DashboardFeed;
import io.ordinal.dashboard.Drills;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The dashboard's data: a Server-Sent Events stream of the cluster's state, and, on a frontend started
 * by bin/kv-local only, the failure drills. The page itself is a static resource at {@code /}.
 */
@Path(Routes.DASHBOARD)
@Tag(name = "dashboard", description = "The live dashboard's state stream and local failure drills")
public class DashboardResource {

    /** Header the page sends with a drill; a cross-site form cannot send it (it would need CORS). */
    static final String DRILL_HEADER = "X-Ordinal-Drill";
    static final long RECONNECT_MILLIS = 1000;

    private final DashboardFeed feed;
    private final Drills drills;
    private final ObjectMapper json;

    @Inject
    public DashboardResource(DashboardFeed feed, Drills drills, ObjectMapper json) {
        this.feed = feed;
        this.drills = drills;
        this.json = json;
    }

    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The cluster's state as a stream of Server-Sent Events: hello, then state, traffic and"
            + " event messages, each JSON")
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        return feed.subscribe().map(m -> {
            OutboundSseEvent.Builder event = sse.newEventBuilder().name(m.name()).data(String.class, toJson(m.data()));
            if (m.name().equals("hello")) {
                event.reconnectDelay(RECONNECT_MILLIS); // a page that lost the stream comes back soon
            }
            return event.build();
        });
    }

    @POST
    @Path("drills/{drill}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Runs a failure drill through bin/kv-local: delete-leader, delete-follower or"
            + " pause-leader (local mode only)")
    public CompletionStage<Drills.Result> drill(@PathParam("drill") String drill, @Context HttpHeaders headers) {
        if (headers.getHeaderString(DRILL_HEADER) == null) {
            throw new ApiException(403, "drill-forbidden", "Forbidden", "a drill must be asked for by the dashboard"
                    + " page, with the header " + DRILL_HEADER, Map.of());
        }
        String origin = headers.getHeaderString("Origin");
        String host = headers.getHeaderString(HttpHeaders.HOST);
        if (origin != null && !origin.equals("null") && host != null && !host.equals(URI.create(origin).getAuthority())) {
            throw new ApiException(403, "drill-forbidden", "Forbidden", "a drill must come from this server's own page",
                    Map.of());
        }
        return drills.run(drill);
    }

    @OPTIONS
    @Operation(hidden = true)
    @Path("events")
    public Response eventsOptions() {
        return Routes.options(Routes.READ_ONLY_METHODS);
    }

    @OPTIONS
    @Operation(hidden = true)
    @Path("drills/{drill}")
    public Response drillOptions() {
        return Routes.options(Routes.DRILL_METHODS);
    }

    private String toJson(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
