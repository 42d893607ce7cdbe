package io.ordinal.dashboard;

import io.ordinal.cluster.Topology;
import io.ordinal.client.ClusterStatus;
import io.ordinal.replica.ReplicaReport;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterPollerTest {

    @Test
    void theTermOfALookIsTheLeadersOwnEvenBeforeItsFirstEntry() {
        ReplicaReport leader = new ReplicaReport("kv-store-2", "LEADER", 2, "kv-store-2", 10, 10, 1, 1, 1, 0, 0, 0);
        ReplicaReport follower = new ReplicaReport("kv-store-0", "FOLLOWER", 2, "kv-store-2", 10, 10, 1, 1, 1, 0, 0, 0);
        List<ClusterView.Replica> replicas = List.of(
                new ClusterView.Replica("kv-store-0", "a", "FOLLOWER", 10, 10, 0L, follower),
                new ClusterView.Replica("kv-store-1", "b", ClusterView.UNREACHABLE, 0, 0, null, null),
                new ClusterView.Replica("kv-store-2", "c", "LEADER", 10, 10, 0L, leader));
        // The group status still says term 1: the highest term of any log entry so far.
        assertThat(ClusterPoller.term(new ClusterStatus("kv-store-2", 1, List.of()), replicas)).isEqualTo(2);
        // Without a leader: the highest term anyone is in.
        assertThat(ClusterPoller.term(new ClusterStatus(null, 1, List.of()), replicas)).isEqualTo(2);
    }

    @Test
    void replicasAreAskedOnTheirOwnHttpPortsUnderThePeerHost() {
        Topology local = new Topology("kv", "kv-store", 3, "127.0.0.1", "default", 9870, 1);
        assertThat(ClusterPoller.reportUri(local, "http", 9880, 1, "kv-store-2"))
                .contains(URI.create("http://127.0.0.1:9882/v1/replica"));
        Topology kubernetes = new Topology("kv", "kv-store", 3, "{pod}.kv-store-peers.{namespace}.svc.cluster.local",
                "ordinal", 9870, 0);
        assertThat(ClusterPoller.reportUri(kubernetes, "https", 8443, 0, "kv-store-4"))
                .contains(URI.create("https://kv-store-4.kv-store-peers.ordinal.svc.cluster.local:8443/v1/replica"));
        assertThat(ClusterPoller.reportUri(kubernetes, "http", 8080, 0, "someone-else")).isEmpty();
    }
}
