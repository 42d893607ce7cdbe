package io.ordinal.cluster;

import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The desired replica count is the StatefulSet's spec.replicas, read from the Kubernetes API; a failed read is unknown. */
class StatefulSetReplicasTest {

    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void theCountIsTheStatefulSetsSpecReplicasAndFollowsAScale() {
        server.expect().get().withPath("/apis/apps/v1/namespaces/prod/statefulsets/kv-store")
                .andReturn(200, statefulSet(3)).once();
        server.expect().get().withPath("/apis/apps/v1/namespaces/prod/statefulsets/kv-store")
                .andReturn(200, statefulSet(5)).once();
        StatefulSetReplicas desired = new StatefulSetReplicas(client, "prod", "kv-store");
        assertThat(desired.get()).isEqualTo(OptionalInt.of(3));
        assertThat(desired.get()).isEqualTo(OptionalInt.of(5));
    }

    @Test
    void aMissingStatefulSetOrAForbiddenReadIsUnknownNeverAGuess() {
        server.expect().get().withPath("/apis/apps/v1/namespaces/prod/statefulsets/kv-store")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403}").once();
        StatefulSetReplicas desired = new StatefulSetReplicas(client, "prod", "kv-store");
        assertThat(desired.get()).isEmpty();
        assertThat(desired.get()).as("404: the StatefulSet is gone").isEmpty();
    }

    private static io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet(int replicas) {
        return new StatefulSetBuilder().withNewMetadata().withName("kv-store").withNamespace("prod").endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().build();
    }
}
