package io.ordinal.frontend;

import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfirmedReadsTest {

    private static final RaftPeerId LEADER = RaftPeerId.valueOf("kv-store-1");

    @Test
    void theLeaderAndItsConfirmersMakeAMajorityOfTheVoters() {
        assertThat(ConfirmedReads.confirmationsNeeded(LEADER, List.of("kv-store-1"))).isZero();
        assertThat(ConfirmedReads.confirmationsNeeded(LEADER, List.of("kv-store-0", "kv-store-1"))).isEqualTo(1);
        assertThat(ConfirmedReads.confirmationsNeeded(LEADER, List.of("kv-store-0", "kv-store-1", "kv-store-2")))
                .isEqualTo(1);
        assertThat(ConfirmedReads.confirmationsNeeded(LEADER,
                List.of("kv-store-0", "kv-store-1", "kv-store-2", "kv-store-3"))).isEqualTo(2);
        assertThat(ConfirmedReads.confirmationsNeeded(LEADER,
                List.of("kv-store-0", "kv-store-1", "kv-store-2", "kv-store-3", "kv-store-4"))).isEqualTo(2);
    }

    @Test
    void aLeaderThatIsNotAVoterCountsForNothing() {
        assertThat(ConfirmedReads.confirmationsNeeded(LEADER, List.of("kv-store-0", "kv-store-2", "kv-store-3")))
                .isEqualTo(2);
    }
}
