package io.ordinal.health;

import io.ordinal.config.OrdinalConfig;
import io.ordinal.replica.ReplicaLifecycle;
import io.ordinal.replica.ReplicaServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.ratis.server.RaftServer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Optional;

/**
 * A replica is ready when its server runs and it has joined the group: it knows a leader. A fresh disk
 * that is still deciding whether to found or join the group is not ready.
 */
@Readiness
@ApplicationScoped
public class ReplicaHealth implements HealthCheck {

    private final OrdinalConfig config;
    private final ReplicaLifecycle replica;

    @Inject
    public ReplicaHealth(OrdinalConfig config, ReplicaLifecycle replica) {
        this.config = config;
        this.replica = replica;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("replica");
        if (!config.role().runsReplica()) {
            return r.up().withData("role", "none").build();
        }
        Optional<String> awaitingGroup = replica.replica().flatMap(ReplicaServer::awaitingGroup);
        if (awaitingGroup.isPresent()) {
            return r.down().withData("reason", awaitingGroup.get()).build();
        }
        Optional<RaftServer.Division> division = replica.division();
        if (division.isEmpty() || !division.get().getInfo().isAlive()) {
            return r.down().withData("reason", "the Raft server is not running").build();
        }
        var info = division.get().getInfo();
        r.withData("id", division.get().getId().toString())
                .withData("role", info.getCurrentRole().name())
                .withData("term", info.getCurrentTerm());
        if (info.getLeaderId() == null) {
            return r.down().withData("reason", "no leader known yet").build();
        }
        return r.up().withData("leader", info.getLeaderId().toString()).build();
    }
}
