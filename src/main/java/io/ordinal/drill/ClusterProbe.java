package io.ordinal.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordinal.local.ClusterAccess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks the cluster who leads, over HTTP: each replica about itself ({@code /v1/replica}), or the API
 * about the group ({@code /v1/cluster}). A member that does not answer within the probe's timeout has
 * no view; nothing waits longer. A secure cluster's members ({@code https} URLs) are asked with its CA
 * and root token ({@link ClusterAccess}).
 */
public final class ClusterProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LOOK_EVERY = Duration.ofMillis(200);

    private final Duration timeout;
    private final ClusterAccess access;
    private final HttpClient http;

    /** For a cluster without security. */
    public ClusterProbe(Duration timeout) {
        this(timeout, ClusterAccess.plain());
    }

    public ClusterProbe(Duration timeout, ClusterAccess access) {
        this.timeout = timeout;
        this.access = access;
        this.http = access.client().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** A replica's own view, or empty if it does not answer in time. */
    public Optional<ReplicaView> view(Pod replica) {
        return getJson(URI.create(replica.http() + "/v1/replica")).map(n -> new ReplicaView(n.path("id").asText(),
                n.path("role").asText(), n.path("term").asLong(), n.hasNonNull("leader") ? n.get("leader").asText() : null,
                n.path("commitIndex").asLong(), n.path("appliedIndex").asLong()));
    }

    /** The replica that says it leads in the highest term, if one does. */
    public Optional<Pod> leader(List<Pod> replicas) {
        Pod best = null;
        long bestTerm = -1;
        for (Pod p : replicas) {
            Optional<ReplicaView> v = view(p);
            if (v.isPresent() && v.get().leads() && v.get().term() > bestTerm) {
                best = p;
                bestTerm = v.get().term();
            }
        }
        return Optional.ofNullable(best);
    }

    /** The group as the API at {@code endpoint} sees it, or empty if it does not answer. */
    public Optional<GroupView> group(URI endpoint) {
        return getJson(endpoint.resolve("/v1/cluster")).map(n -> {
            List<GroupView.Member> members = new ArrayList<>();
            for (JsonNode m : n.path("members")) {
                members.add(new GroupView.Member(m.path("id").asText(), m.path("role").asText()));
            }
            return new GroupView(n.hasNonNull("leader") ? n.get("leader").asText() : null, List.copyOf(members));
        });
    }

    /** Waits until the API at {@code endpoint} names a leader; empty if it does not within {@code within}. */
    public Optional<String> awaitLeaderName(URI endpoint, Duration within) {
        return Poll.until(within, LOOK_EVERY, () -> group(endpoint).map(GroupView::leader));
    }

    private Optional<JsonNode> getJson(URI uri) {
        HttpResponse<String> r = Answers.of(http, access.request(uri).timeout(timeout).GET().build());
        if (r == null || r.statusCode() != 200) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(r.body()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
