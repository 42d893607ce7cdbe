package io.ordinal.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ordinal.cluster.DesiredReplicas;
import io.ordinal.cluster.StatefulSetReplicas;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Where the replicas read the size the group should have (see {@code ordinal.membership.source}). */
@ApplicationScoped
public class DesiredReplicasProducer {

    @Produces
    @Singleton
    DesiredReplicas desiredReplicas(OrdinalConfig config, Instance<KubernetesClient> kubernetes) {
        if (config.role() == Role.ALL_IN_ONE) {
            return DesiredReplicas.fixed(1);
        }
        OrdinalConfig.Membership m = config.membership();
        return switch (m.source()) {
            case CONFIG -> DesiredReplicas.fixed(config.cluster().replicas());
            case FILE -> DesiredReplicas.file(m.file().orElseThrow()); // ConfigRules requires it
            // The StatefulSet is named like its pods' prefix: kv-store-2 belongs to kv-store.
            case KUBERNETES -> new StatefulSetReplicas(kubernetes.get(), config.cluster().namespace(),
                    config.cluster().replicaPrefix());
        };
    }
}
