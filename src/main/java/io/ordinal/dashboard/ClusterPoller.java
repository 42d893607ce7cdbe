package io.ordinal.dashboard;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordinal.cluster.Topology;
import io.ordinal.config.OrdinalConfig;
import io.ordinal.client.ClusterStatus;
import io.ordinal.client.KvClient;
import io.ordinal.replica.ReplicaLifecycle;
import io.ordinal.replica.ReplicaReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One look at the cluster: the group's status from the replicas' Raft group info
 * ({@link KvClient#cluster()}, as {@code /v1/cluster} answers it), joined with each member's report of
 * itself ({@code GET /v1/replica} on its own HTTP port, or in-process for this process's replica; over
 * HTTPS with the root token when security is on, {@link ReplicaHttp}).
 * A member that does not answer within a second has no report; nothing waits longer.
 */
@ApplicationScoped
public class ClusterPoller {

    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final KvClient client;
    private final ReplicaLifecycle local;
    private final Topology topology;
    private final int httpPort;
    private final int httpPortStride;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ordinal-dashboard-http");
        t.setDaemon(true);
        return t;
    });
    private final ReplicaHttp http;

    @Inject
    public ClusterPoller(KvClient client, ReplicaLifecycle local, Topology topology, OrdinalConfig config) {
        this.client = client;
        this.local = local;
        this.topology = topology;
        this.httpPort = config.dashboard().replicaHttpPort();
        this.httpPortStride = config.dashboard().replicaHttpPortStride();
        this.http = new ReplicaHttp(config.security(), REPORT_TIMEOUT, executor);
    }

    public CompletableFuture<ClusterView> poll() {
        return client.cluster().thenCompose(status -> {
            Map<String, CompletableFuture<ReplicaReport>> reports = new LinkedHashMap<>();
            for (ClusterStatus.Member m : status.members()) {
                reports.put(m.id(), report(m));
            }
            return CompletableFuture.allOf(reports.values().toArray(CompletableFuture[]::new))
                    .thenApply(v -> view(status, reports));
        });
    }

    private static ClusterView view(ClusterStatus status, Map<String, CompletableFuture<ReplicaReport>> reports) {
        Long leaderCommit = null;
        for (ClusterStatus.Member m : status.members()) {
            if (m.id().equals(status.leader())) {
                leaderCommit = m.commitIndex();
            }
        }
        List<ClusterView.Replica> replicas = new ArrayList<>();
        for (ClusterStatus.Member m : status.members()) {
            boolean reachable = !ClusterView.UNREACHABLE.equals(m.role());
            Long lag = leaderCommit != null && reachable ? Math.max(0, leaderCommit - m.appliedIndex()) : null;
            replicas.add(new ClusterView.Replica(m.id(), m.address(), m.role(), m.commitIndex(), m.appliedIndex(), lag,
                    reports.get(m.id()).join()));
        }
        return new ClusterView(System.currentTimeMillis(), status.leader(), term(status, replicas), List.copyOf(replicas));
    }

    /**
     * The leader's own current term when it reports one. The group status's term is the highest term of
     * any member's last log entry, which lags by one just after an election, until the new leader's
     * first entry; without a leader, the highest term any member reports.
     */
    static long term(ClusterStatus status, List<ClusterView.Replica> replicas) {
        long highest = status.term();
        for (ClusterView.Replica r : replicas) {
            if (r.report() != null && r.reachable()) {
                if (r.id().equals(status.leader()) && r.report().role().equals("LEADER")) {
                    return r.report().term();
                }
                highest = Math.max(highest, r.report().term());
            }
        }
        return highest;
    }

    /** The member's report of itself, or null when it does not answer in time. */
    private CompletableFuture<ReplicaReport> report(ClusterStatus.Member member) {
        if (local.id().map(id -> id.toString().equals(member.id())).orElse(false)) {
            return CompletableFuture.completedFuture(local.report().orElse(null));
        }
        Optional<URI> uri = reportUri(topology, http.scheme(), httpPort, httpPortStride, member.id());
        if (uri.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return http.get(uri.get(), REPORT_TIMEOUT)
                .thenApply(r -> r.statusCode() == 200 ? parse(r.body()) : null)
                .exceptionally(e -> null);
    }

    /**
     * {@code <scheme>://<peer host>:<replica-http-port + ordinal * stride>/v1/replica}; none for a name that is
     * not an ordinal's. With security on, the scheme is https and the port the replica's HTTPS port.
     */
    static Optional<URI> reportUri(Topology topology, String scheme, int httpPort, int httpPortStride, String podName) {
        int ordinal;
        try {
            ordinal = topology.ordinalOf(podName);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int port = httpPort + ordinal * httpPortStride;
        return Optional.of(URI.create(scheme + "://" + topology.host(ordinal) + ":" + port + "/v1/replica"));
    }

    private static ReplicaReport parse(byte[] body) {
        try {
            return JSON.readValue(body, ReplicaReport.class);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
