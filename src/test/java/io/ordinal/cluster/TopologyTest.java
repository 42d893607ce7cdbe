package io.ordinal.cluster;

import org.apache.ratis.protocol.RaftPeer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyTest {

    private final Topology kubernetes = new Topology("kv", "kv-store", 3,
            "{pod}.kv-store-peers.{namespace}.svc.cluster.local", "prod", 9870, 0);
    private final Topology local = new Topology("kv", "kv-store", 3, "127.0.0.1", "default", 9870, 1);

    @Test
    void ordinalComesFromThePodNameAlone() {
        assertThat(kubernetes.ordinalOf("kv-store-0")).isZero();
        assertThat(kubernetes.ordinalOf("kv-store-2")).isEqualTo(2);
        assertThat(kubernetes.ordinalOf("kv-store-12")).isEqualTo(12);
    }

    @Test
    void namesThatAreNotStatefulSetPodNamesAreRefused() {
        for (String bad : List.of("kv-store", "kv-store-", "kv-store-01", "kv-store-x", "other-1", "kv-store-1a")) {
            assertThatThrownBy(() -> kubernetes.ordinalOf(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void kubernetesPeersArePodDnsNamesUnderTheHeadlessService() {
        List<RaftPeer> peers = kubernetes.peers();
        assertThat(peers).extracting(p -> p.getId().toString())
                .containsExactly("kv-store-0", "kv-store-1", "kv-store-2");
        assertThat(peers.get(2).getAddress()).isEqualTo("kv-store-2.kv-store-peers.prod.svc.cluster.local:9870");
    }

    @Test
    void localPeersShareLoopbackWithPortsDerivedFromTheOrdinal() {
        assertThat(local.peers()).extracting(RaftPeer::getAddress)
                .containsExactly("127.0.0.1:9870", "127.0.0.1:9871", "127.0.0.1:9872");
    }

    @Test
    void groupIdIsDerivedFromTheClusterNameOnly() {
        assertThat(kubernetes.groupId()).isEqualTo(local.groupId());
        Topology other = new Topology("other", "kv-store", 3, "127.0.0.1", "default", 9870, 1);
        assertThat(other.groupId()).isNotEqualTo(local.groupId());
    }
}
