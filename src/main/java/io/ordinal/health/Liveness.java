package io.ordinal.health;

import io.ordinal.config.OrdinalConfig;
import io.ordinal.replica.ReplicaLifecycle;
import io.ordinal.replica.ReplicaServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Alive unless this process's own replica has stopped. It never needs a leader: a lost quorum must
 * not make Kubernetes restart every pod in a loop; nor a group to be in: a fresh disk waits, alive,
 * for its peers before it founds or joins the group.
 */
@org.eclipse.microprofile.health.Liveness
@ApplicationScoped
public class Liveness implements HealthCheck {

    private final OrdinalConfig config;
    private final ReplicaLifecycle replica;

    @Inject
    public Liveness(OrdinalConfig config, ReplicaLifecycle replica) {
        this.config = config;
        this.replica = replica;
    }

    @Override
    public HealthCheckResponse call() {
        if (!config.role().runsReplica()) {
            return HealthCheckResponse.up("process");
        }
        boolean alive = replica.replica().map(ReplicaServer::isAlive).orElse(false);
        return HealthCheckResponse.named("replica-server").status(alive).build();
    }
}
