package io.ordinal.health;

import io.ordinal.config.OrdinalConfig;
import io.ordinal.config.Role;
import io.ordinal.client.Consistency;
import io.ordinal.client.KvClient;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * A frontend is ready when a leader is known and answering: a linearizable read (answered by the
 * leader and confirmed by a majority, or at a barrier) succeeds within a short deadline.
 */
@Readiness
@ApplicationScoped
public class FrontendHealth implements AsyncHealthCheck {

    /** A key the API never accepts (keys are 1 byte or more), so the read touches no user data. */
    private static final byte[] PROBE_KEY = new byte[0];

    private final OrdinalConfig config;
    private final KvClient client;

    @Inject
    public FrontendHealth(OrdinalConfig config, KvClient client) {
        this.config = config;
        this.client = client;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (config.role() == Role.REPLICA) {
            return Uni.createFrom().item(HealthCheckResponse.named("frontend").up().withData("role", "none").build());
        }
        return Uni.createFrom().completionStage(() -> client.get(PROBE_KEY, Consistency.LINEARIZABLE))
                .map(v -> HealthCheckResponse.named("frontend").up().build())
                .ifNoItem().after(Duration.ofSeconds(2)).fail()
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("frontend").down()
                        .withData("reason", "no leader answering: " + e.getMessage()).build());
    }
}
