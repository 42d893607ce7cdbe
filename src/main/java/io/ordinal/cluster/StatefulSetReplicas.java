package io.ordinal.cluster;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.util.OptionalInt;

/**
 * The desired count is the StatefulSet's {@code spec.replicas}, so that {@code kubectl scale
 * statefulset kv-store --replicas=5} is all it takes to grow the Raft group. Needs {@code get} on that
 * one StatefulSet (the Role the build generates). A failed read is "unknown", never a guess.
 */
public final class StatefulSetReplicas implements DesiredReplicas {

    private static final Logger LOG = Logger.getLogger(StatefulSetReplicas.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public StatefulSetReplicas(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    @Override
    public OptionalInt get() {
        try {
            StatefulSet set = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
            if (set == null || set.getSpec() == null || set.getSpec().getReplicas() == null) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(set.getSpec().getReplicas());
        } catch (KubernetesClientException e) {
            LOG.debugf("cannot read statefulset %s/%s: %s", namespace, name, e.getMessage());
            return OptionalInt.empty();
        }
    }
}
